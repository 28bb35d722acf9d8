// The Bürgerbüro terminal (kiosk mode, docs/kiosk.md). The server decides whether this
// device is a terminal (a signed HttpOnly marker cookie set by the one-time setup link
// `/?kiosk=<token>`, or an instance serving terminals only); the page keeps a copy of
// the answer in localStorage only so the large look is there before the first answer.
// Nothing of a visit outlives it: `endVisit` signs out on the server and wipes what the
// visit left on the device, then starts the app afresh on the start screen.
import { api, session } from "./api.js";
import { KIOSK_WIPE_MESSAGE, isPublicCache } from "./cache-names.js";
import { online } from "./connectivity.js";
import { request } from "./http.js";
import { locale } from "./i18n.js";
import { signal } from "./signal.js";

export const KIOSK_MARKER_KEY = "kiosk";
// Set when a visit ended without the server confirming the sign-out (no network): the
// session cookie is HttpOnly, so only the server can end it. Kept by the wipe, and the
// sign-out is sent again as soon as the portal answers.
const LOGOUT_PENDING_KEY = "kiosk-logout-pending";
const KEPT_KEYS = [KIOSK_MARKER_KEY, LOGOUT_PENDING_KEY];
const ROOT_CLASS = "kiosk";
// How long the wipe waits for the service worker and for IndexedDB before it starts the
// app afresh anyway.
const STEP_TIMEOUT_MS = 3000;

const remembered = typeof localStorage !== "undefined" && localStorage.getItem(KIOSK_MARKER_KEY) === "1";

/** {active, terminal, idleSeconds, countdownSeconds} as the server last said. */
export const kiosk = signal({ active: remembered, terminal: null, idleSeconds: 120, countdownSeconds: 30 });

/** Whether this device runs as the Bürgerbüro terminal. */
export function isKiosk() {
  return kiosk.get().active;
}

function apply(status) {
  const active = Boolean(status.kiosk);
  kiosk.set({
    active,
    terminal: status.terminal || null,
    idleSeconds: status.idle_seconds,
    countdownSeconds: status.countdown_seconds,
  });
  if (active) localStorage.setItem(KIOSK_MARKER_KEY, "1");
  else localStorage.removeItem(KIOSK_MARKER_KEY);
  document.documentElement.classList.toggle(ROOT_CLASS, active);
}

/**
 * At start: use a setup link's token if the address carries one (and take it out of
 * the address and the history at once), then ask the server whether this is a terminal.
 */
export async function startKiosk() {
  document.documentElement.classList.toggle(ROOT_CLASS, remembered);
  const params = new URLSearchParams(window.location.search);
  const token = params.get("kiosk");
  if (token !== null) {
    params.delete("kiosk");
    const rest = params.toString();
    history.replaceState(null, "", `${window.location.pathname}${rest ? `?${rest}` : ""}`);
    try {
      apply(await api("POST", "/api/kiosk/activate", { token }));
      return;
    } catch {
      // A used or expired link: the device stays as it was (asked below).
    }
  }
  try {
    apply(await api("GET", "/api/kiosk"));
  } catch {
    // Offline: keep what the device knew.
  }
  if (isKiosk()) guardTerminal();
  if (localStorage.getItem(LOGOUT_PENDING_KEY)) {
    finishPendingLogout();
    online.subscribe((isOnline) => isOnline && finishPendingLogout());
  }
}

/** Sign out on the server with a fresh CSRF token; true once the server confirmed it. */
async function signOutOnServer(csrf) {
  const options = { locale: locale.get() };
  let result = await request("POST", "/api/auth/logout", { ...options, csrf });
  if (result.status === 403) {
    // A token from before (the session was renewed elsewhere): ask for the current one.
    const current = await request("GET", "/api/auth/session", options);
    result = await request("POST", "/api/auth/logout", { ...options, csrf: current.data?.csrf_token });
  }
  return result.ok;
}

async function finishPendingLogout() {
  if (!localStorage.getItem(LOGOUT_PENDING_KEY)) return;
  if (!(await signOutOnServer(session.get().csrf_token))) return;
  localStorage.removeItem(LOGOUT_PENDING_KEY);
  // Whatever this page showed meanwhile may have been the earlier visitor's.
  window.location.replace("/");
}

function guardTerminal() {
  // No "install this app" offer on a shared terminal.
  window.addEventListener("beforeinstallprompt", (event) => event.preventDefault());
  // A page brought back by the browser's history (from its back-forward cache or loaded
  // again) may belong to an earlier visit: the terminal starts from the start screen.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.replace("/");
  });
  const [entry] = performance.getEntriesByType?.("navigation") || [];
  if (entry?.type === "back_forward" && window.location.pathname !== "/") {
    window.location.replace("/");
    return;
  }
  // The first page of this document: "Zurück" (components/kiosk-bar.jsx) stops here.
  history.replaceState({ ...(history.state || {}), kioskStart: true }, "");
}

function withTimeout(promise) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, STEP_TIMEOUT_MS))]);
}

async function askWorkerToWipe() {
  const registration = await navigator.serviceWorker?.getRegistration?.();
  const worker = registration?.active;
  if (!worker) return;
  await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    worker.postMessage({ type: KIOSK_WIPE_MESSAGE }, [channel.port2]);
  });
}

async function dropCaches() {
  if (typeof caches === "undefined") return;
  // The worker answers for its caches; the page deletes them too in case it is gone.
  await withTimeout(askWorkerToWipe().catch(() => {}));
  const names = await caches.keys();
  await Promise.all(names.filter((name) => !isPublicCache(name)).map((name) => caches.delete(name)));
}

/**
 * Empty every object store of one database. Emptied rather than deleted: a deletion
 * waits for every open connection to close, and the service worker's own (Workbox's
 * expiration records) would hold it, and every later use of the database, forever.
 */
async function emptyDatabase(name) {
  const db = await new Promise((resolve, reject) => {
    const opening = indexedDB.open(name);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  try {
    const stores = [...db.objectStoreNames];
    if (!stores.length) return;
    const tx = db.transaction(stores, "readwrite");
    for (const store of stores) tx.objectStore(store).clear();
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function dropDatabases() {
  if (typeof indexedDB === "undefined") return;
  const known = indexedDB.databases
    ? (await indexedDB.databases()).map((entry) => entry.name).filter(Boolean)
    : ["buergerportal", "buergerportal-reports", "buergerportal-scanner"];
  await withTimeout(Promise.all(known.map((name) => emptyDatabase(name).catch(() => {}))));
}

function dropStorage() {
  for (const key of Object.keys(localStorage)) {
    if (!KEPT_KEYS.includes(key)) localStorage.removeItem(key);
  }
  sessionStorage.clear();
  // Cookies scripts can see (the session and the marker are HttpOnly: the server ends
  // the one and keeps the other).
  for (const part of document.cookie.split(";")) {
    const name = part.split("=")[0].trim();
    if (name) document.cookie = `${name}=; Max-Age=0; path=/`;
  }
}

let ending = null;

/**
 * End the visit: sign out on the server (the session ends there, and its cookie goes),
 * then empty IndexedDB (drafts, outboxes, everything), delete the caches that may hold
 * personal data, localStorage and sessionStorage (all but the terminal marker), and
 * the history state, and start the app afresh on the start screen.
 */
export function endVisit() {
  ending ||= (async () => {
    const signedOut = await withTimeout(signOutOnServer(session.get().csrf_token).catch(() => false));
    if (!signedOut) localStorage.setItem(LOGOUT_PENDING_KEY, "1");
    session.set({ loaded: true, authenticated: false, user: null, csrf_token: null });
    await dropCaches().catch(() => {});
    await dropDatabases().catch(() => {});
    dropStorage();
    history.replaceState(null, "", "/");
    // A fresh start: nothing of the visit stays in the page's memory either.
    window.location.replace("/");
  })();
  return ending;
}
