// What a refused satisfaction answer means for the device's queue (pwa/src/lib/surveys.js).

/**
 * Whether a refusal is final, so the answer leaves the queue: a 4xx other than 401
 * (signed out: it goes out after the next sign-in) and 409 (not submitted yet); 408 and
 * 429 only ask to try later. Network failures (status 0) and 5xx stay queued.
 */
export function isFinal(status) {
  return status >= 400 && status < 500 && ![401, 408, 409, 429].includes(status);
}
