// Web Push on this device, for the account screen: whether it can work here, asking for
// permission (only ever from a tap), the browser's subscription and the portal's record of
// it. The portal's device id is kept in IndexedDB ("push-device": {id, userId, endpoint}),
// where the service worker (service_worker/push.js) finds it when the browser replaces
// the subscription. API: docs/push.md.
import { api } from "./api.js";
import { getMeta, setMeta } from "./db.js";
import { locale } from "./i18n.js";

const DEVICE = "push-device";

export class PushError extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

function isIos() {
  const agent = navigator.userAgent || "";
  // iPadOS presents itself as a Mac; the touch screen gives it away.
  return /iPhone|iPad|iPod/.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1);
}

function isInstalled() {
  return navigator.standalone === true || Boolean(window.matchMedia?.("(display-mode: standalone)").matches);
}

/**
 * "ok"; "ios_install" (iPhone/iPad in the browser: Web Push needs the app on the home
 * screen, iOS 16.4+); "ios_update" (installed, but iOS older than 16.4); "unsupported".
 */
export function pushSupport() {
  const capable = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (isIos()) {
    if (!isInstalled()) return "ios_install";
    return capable ? "ok" : "ios_update";
  }
  return capable ? "ok" : "unsupported";
}

/** "default", "granted" or "denied". */
export function permission() {
  return typeof Notification === "undefined" ? "denied" : Notification.permission;
}

/**
 * Calls ``onChange(state)`` when the citizen changes the permission in the browser's or
 * the phone's settings (where the Permissions API does not tell, on coming back to the
 * app). Returns a function that stops watching.
 */
export function watchPermission(onChange) {
  let last = permission();
  const check = () => {
    if (permission() !== last) onChange((last = permission()));
  };
  document.addEventListener("visibilitychange", check);
  let status = null;
  navigator.permissions
    ?.query({ name: "notifications" })
    .then((result) => {
      status = result;
      status.onchange = check;
    })
    .catch(() => {});
  return () => {
    document.removeEventListener("visibilitychange", check);
    if (status) status.onchange = null;
  };
}

/**
 * The service worker's registration, or null where none is running (yet). On the very
 * first visit the worker may still be installing (it stores the whole app for offline use).
 */
async function registration(waitMs = 3000) {
  if (!("serviceWorker" in navigator)) return null;
  return Promise.race([navigator.serviceWorker.ready, new Promise((resolve) => setTimeout(() => resolve(null), waitMs))]);
}

async function browserSubscription() {
  const current = await registration();
  return current ? current.pushManager.getSubscription() : null;
}

export function base64UrlToBytes(text) {
  const base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const known = new Uint8Array(buffer);
  return known.length === bytes.length && known.every((value, index) => value === bytes[index]);
}

/** The portal's public key, or null when push is switched off there (503). */
export async function publicKey() {
  try {
    return (await api("GET", "/api/push/public-key")).public_key;
  } catch (error) {
    if (error.status === 503) return null;
    throw error;
  }
}

async function register(subscription, userId, extra = {}) {
  const stored = await getMeta(DEVICE);
  const body = { ...subscription.toJSON(), language: locale.get(), ...extra };
  // The browser replaced the subscription while nobody could tell the portal.
  if (!body.old_endpoint && stored?.userId === userId && stored.endpoint && stored.endpoint !== subscription.endpoint) {
    body.old_endpoint = stored.endpoint;
  }
  const device = await api("POST", "/api/push/subscriptions", body);
  await setMeta(DEVICE, { id: device.id, userId, endpoint: subscription.endpoint });
  return device;
}

/**
 * Switch notifications on for this device: ask for permission (call this straight from
 * the citizen's tap, before anything else is awaited), subscribe with the portal's key
 * and register the device. Resolves with the portal's device; rejects with a PushError
 * ("denied", "dismissed", "unavailable", "failed") or an ApiError.
 */
export async function enablePush(userId) {
  const answer = await Notification.requestPermission();
  if (answer !== "granted") throw new PushError(answer === "denied" ? "denied" : "dismissed");
  const current = await registration(30000);
  if (!current) throw new PushError("failed");
  const key = await publicKey();
  if (!key) throw new PushError("unavailable");
  const bytes = base64UrlToBytes(key);
  let subscription = await current.pushManager.getSubscription();
  let oldEndpoint;
  if (subscription && !sameKey(subscription.options?.applicationServerKey, bytes)) {
    // Made for another key (the portal's key changed): it can never receive anything.
    oldEndpoint = subscription.endpoint;
    await subscription.unsubscribe().catch(() => {});
    subscription = null;
  }
  try {
    subscription ||= await current.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes });
  } catch {
    throw new PushError("failed");
  }
  return register(subscription, userId, oldEndpoint ? { old_endpoint: oldEndpoint } : {});
}

/**
 * This device's record at the portal when notifications are on here for ``userId``,
 * refreshed (the subscription is sent again: same device, current language, a new key
 * if the portal's changed); null when they are off. Offline: the stored record as is.
 */
export async function currentDevice(userId) {
  const stored = await getMeta(DEVICE);
  if (!stored || stored.userId !== userId || permission() !== "granted") return null;
  const subscription = await browserSubscription();
  if (!subscription) return null;
  const key = await publicKey();
  if (!key) return null;
  if (!sameKey(subscription.options?.applicationServerKey, base64UrlToBytes(key))) {
    await subscription.unsubscribe().catch(() => {});
    const renewed = await (await registration()).pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(key) });
    return register(renewed, userId, { old_endpoint: subscription.endpoint });
  }
  return register(subscription, userId);
}

/** The id of this device at the portal, if notifications were switched on here by ``userId``. */
export async function thisDeviceId(userId) {
  const stored = await getMeta(DEVICE);
  return stored?.userId === userId ? stored.id : null;
}

/** Switch notifications off here: remove the device at the portal, then in the browser. */
export async function disablePush() {
  const stored = await getMeta(DEVICE);
  if (stored?.id) {
    await api("DELETE", `/api/push/subscriptions/${stored.id}`).catch((error) => {
      if (error.status !== 404) throw error;
    });
  }
  const subscription = await browserSubscription();
  if (subscription) await subscription.unsubscribe().catch(() => {});
  await setMeta(DEVICE, null);
}

/**
 * On signing out: this device stops getting the account's notifications (a shared
 * device must not show the previous person's news). Call it while still signed in.
 * Never fails; without network the browser's unsubscribe makes the push service answer
 * "gone", and the portal then deletes the device by itself.
 */
export async function forgetPushDevice() {
  try {
    const stored = await getMeta(DEVICE);
    if (stored?.id) await api("DELETE", `/api/push/subscriptions/${stored.id}`).catch(() => {});
    if (stored) await setMeta(DEVICE, null);
    if (permission() === "granted" || stored) {
      const subscription = await browserSubscription();
      if (subscription) await subscription.unsubscribe().catch(() => {});
    }
  } catch {
    // Signing out goes ahead.
  }
}
