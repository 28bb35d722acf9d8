// JSON over fetch for both the page and the service worker: no DOM, no app state, and
// failures come back as values (status 0 = no network) so offline code can decide calmly.

export async function request(method, path, { body, form, headers = {}, csrf, locale } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (locale) sent["Accept-Language"] = locale;
  if (csrf && method !== "GET") sent["X-CSRF-Token"] = csrf;
  if (body !== undefined) sent["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: sent,
      credentials: "same-origin",
      body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    return { ok: false, status: 0, data: null, headers: new Headers() };
  }
  const data = response.status === 204 || response.status === 304 ? null : await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data, headers: response.headers };
}

/** A random id for idempotency keys and local drafts (also where randomUUID is missing). */
export function newId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
