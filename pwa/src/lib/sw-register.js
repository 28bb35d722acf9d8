// Registers the service worker and announces a waiting new version. The new version
// only takes over when the citizen presses "reload" (drafts are saved on every
// keystroke, so nothing typed is lost by reloading).
import { Workbox } from "workbox-window";
import { signal } from "./signal.js";

export const updateReady = signal(false);
export const offlineReady = signal(false);
let workbox = null;

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return null;
  workbox = new Workbox("/sw.js", { scope: "/" });
  workbox.addEventListener("waiting", () => updateReady.set(true));
  workbox.register().catch(() => {});
  return workbox;
}

/** Resolves once a service worker controls this page (its fetches then fill the caches). */
export function whenControlled() {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return Promise.resolve(false);
  if (navigator.serviceWorker.controller) return Promise.resolve(true);
  return new Promise((resolve) => {
    navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true), { once: true });
  });
}

export function applyUpdate() {
  if (!workbox) return window.location.reload();
  workbox.addEventListener("controlling", () => window.location.reload());
  workbox.messageSkipWaiting();
}

/** Ask the browser to run the queue when the network returns (Background Sync). */
export async function requestBackgroundSync(tag) {
  try {
    if (!navigator.serviceWorker?.controller) return false;
    // ready never settles without a registration; do not let that hold up sending.
    const registration = await Promise.race([
      navigator.serviceWorker.ready,
      new Promise((resolve) => setTimeout(() => resolve(null), 1000)),
    ]);
    if (registration?.sync) await registration.sync.register(tag);
    return Boolean(registration?.sync);
  } catch {
    return false;
  }
}
