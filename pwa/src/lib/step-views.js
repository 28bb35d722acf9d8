// Anonymous step views for the statistics' funnel ("where do people give up?"): when a
// form shows a step, the device notes {journey, service_id, version, step, at}; when the
// application is sent, the step "_submitted". The journey is a random token made for one
// draft and kept with the draft on this device only: it is never sent with account data,
// so the server cannot tie views to a person.
//
// Views wait in an outbox in IndexedDB (the meta store both the page and the service
// worker can write) and go out in batches of at most 100: soon after a view, when the
// app is hidden (fetch with keepalive, since sendBeacon cannot send the CSRF header),
// when the network returns, and every minute. A batch that fails stays for the next try;
// a batch the server refuses as invalid is dropped, since resending it cannot help.
// Runs in the page and in the service worker: fetch and IndexedDB only.
import { getMeta, updateDraft, updateMeta } from "./db.js";

export const OUTBOX_KEY = "stepViews";
export const BATCH_SIZE = 100;
// The server takes views up to 30 days old; older ones would only be refused.
export const MAX_AGE_MS = 29 * 24 * 3600 * 1000;
// A device offline for weeks keeps the newest views, not an ever longer list.
export const MAX_KEPT = 2000;
export const SUBMITTED = "_submitted";
const ENDPOINT = "/api/statistics/step-views";

/** A random journey token: 32 URL-safe characters (24 random bytes). */
export function newJourney() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const keyOf = (view) => `${view.journey}\u0000${view.step}`;

/** The outbox without views too old to send, the newest ``MAX_KEPT`` at most. */
export function prune(views, now = Date.now()) {
  const fresh = (views || []).filter((view) => now - Date.parse(view.at) <= MAX_AGE_MS);
  return fresh.length > MAX_KEPT ? fresh.slice(fresh.length - MAX_KEPT) : fresh;
}

/** The outbox with ``view`` added; the same step of the same journey is kept once. */
export function addView(views, view, now = Date.now()) {
  const list = prune(views, now);
  if (list.some((item) => keyOf(item) === keyOf(view))) return list;
  return prune([...list, view], now);
}

/** The outbox without the views of ``batch`` (views added meanwhile stay). */
export function removeBatch(views, batch) {
  const sent = new Set(batch.map(keyOf));
  return (views || []).filter((view) => !sent.has(keyOf(view)));
}

/**
 * What to do with a batch after the server's answer: "sent" (accepted), "drop" (refused
 * as invalid: it would be refused again) or "keep" (no network, server trouble, too many
 * requests, a session that changed: try again later).
 */
export function outcome(status) {
  if (status >= 200 && status < 300) return "sent";
  if (status === 400 || status === 413 || status === 422) return "drop";
  return "keep";
}

/**
 * An outbox over a storage ``{read(), update(change)}`` and ``send(batch, {keepalive})``,
 * which resolves with the HTTP status (0 without network). ``flush`` sends batch after
 * batch until the outbox is empty or a batch has to wait; one flush runs at a time.
 */
export function createOutbox({ storage, send, now = () => Date.now() }) {
  let running = null;
  async function flushAll(options) {
    let sent = 0;
    for (;;) {
      const list = prune(await storage.read(), now());
      if (!list.length) return { sent, left: 0 };
      const batch = list.slice(0, BATCH_SIZE);
      let status;
      try {
        status = await send(batch, options);
      } catch {
        status = 0;
      }
      const next = outcome(status);
      if (next === "keep") return { sent, left: list.length };
      await storage.update((views) => removeBatch(prune(views, now()), batch));
      if (next === "sent") sent += batch.length;
    }
  }
  return {
    /** Note one view; it goes out with the next flush. */
    record: (view) => storage.update((views) => addView(views, view, now())),
    /** Send what waits; resolves with {sent, left}. */
    flush(options = {}) {
      running ||= flushAll(options).finally(() => {
        running = null;
      });
      return running;
    },
  };
}

const idbStorage = {
  read: async () => (await getMeta(OUTBOX_KEY)) || [],
  update: (change) => updateMeta(OUTBOX_KEY, (views) => change(views || [])),
};

let csrfToken = () => null;

async function post(batch, { keepalive = false } = {}) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const token = csrfToken();
  if (token) headers["X-CSRF-Token"] = token;
  try {
    const response = await fetch(ENDPOINT, {
      method: "POST",
      headers,
      credentials: "same-origin",
      keepalive,
      body: JSON.stringify({ views: batch }),
    });
    return response.status;
  } catch {
    return 0;
  }
}

export const outbox = createOutbox({ storage: idbStorage, send: post });

/** The draft's journey token, made (and kept with the draft) on its first view. */
async function journeyOf(draft) {
  if (draft.journey) return draft.journey;
  const made = newJourney();
  const updated = await updateDraft(draft.localId, (d) => {
    d.journey ||= made;
  });
  draft.journey = updated?.journey || made;
  return draft.journey;
}

/** Note that ``draft``'s form showed ``step`` (or sent the application: SUBMITTED). */
export async function recordStepView(draft, step, at = new Date()) {
  const journey = step === SUBMITTED ? draft.journey : await journeyOf(draft);
  // A draft never shown on this device has no journey: nothing to relate "sent" to.
  if (!journey || !draft.serviceId) return;
  const version = draft.definition?.version ?? draft.serviceVersion;
  if (!version) return;
  const campaign = draft.campaign ? { campaign: draft.campaign } : {};
  await outbox.record({ journey, service_id: draft.serviceId, version, step, at: at.toISOString(), ...campaign });
  soon();
}

let timer = null;
let started = false;

function soon() {
  if (!started) return;
  clearTimeout(timer);
  timer = setTimeout(() => outbox.flush().catch(() => {}), 5000);
}

/**
 * Start sending from the page: ``csrf`` returns the session's CSRF token (or null when
 * signed out). Sends when the app is hidden, when ``online`` turns true, and every minute.
 */
export function startStepViews({ csrf, online }) {
  csrfToken = csrf;
  started = true;
  const flush = (options) => outbox.flush(options).catch(() => {});
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush({ keepalive: true });
  });
  online?.subscribe((isOnline) => isOnline && flush());
  setInterval(() => {
    if (navigator.onLine) flush();
  }, 60_000);
  flush();
}
