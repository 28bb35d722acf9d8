// Web Push in the service worker: show the portal's notification for a push message,
// open the right page when the citizen taps it, and keep this device registered when
// the browser replaces its subscription. The page side is pwa/src/lib/push.js; the
// payload and the API are described in docs/push.md.
import { KNOWN, RIGHT_TO_LEFT } from "../pwa/languages.config.js";
import { getMeta, setMeta } from "../pwa/src/lib/db.js";
import { request } from "../pwa/src/lib/http.js";

const ICON = "/icons/icon-192.png";
const BADGE = "/icons/badge-72.png";
// The portal's record of this device ({id, userId, endpoint}), shared with the page.
const DEVICE = "push-device";

// Shown when a message cannot be read: a push must always show something. The city's
// name is the one the page keeps in IndexedDB (meta "city", from the app shell's city
// data), so one build serves any city.
const FALLBACK = {
  de: { title: (city) => (city ? `Bürgerportal ${city}` : "Bürgerportal"), body: "Es gibt Neuigkeiten in Ihrem Postfach." },
  en: { title: (city) => (city ? `${city} citizen portal` : "Citizen portal"), body: "There is news in your inbox." },
};

/** An address inside the portal (a path or a full URL); anything else opens the inbox. */
function portalUrl(path) {
  const origin = self.location.origin;
  try {
    const url = new URL(typeof path === "string" && path ? path : "/postfach", origin);
    if (url.origin === origin) return url.href;
  } catch {
    // Not an address at all.
  }
  return `${origin}/postfach`;
}

/** Title and options of the notification for a payload ({kind, title, body, url, tag, lang}). */
function notificationFor(data, deviceLocale = "de", cityName = "") {
  const lang = KNOWN.includes(data?.lang) ? data.lang : KNOWN.includes(deviceLocale) ? deviceLocale : "de";
  const readable = typeof data?.title === "string" && data.title.trim() !== "";
  // The text for an unreadable message exists in German and English (German otherwise).
  const fallback = FALLBACK[lang === "en" ? "en" : "de"];
  const title = readable ? data.title : fallback.title(cityName);
  const tag = typeof data?.tag === "string" && data.tag ? data.tag : undefined;
  return [
    title,
    {
      body: readable && typeof data.body === "string" ? data.body : fallback.body,
      lang: readable ? lang : lang === "en" ? "en" : "de",
      dir: readable && RIGHT_TO_LEFT.includes(lang) ? "rtl" : "ltr",
      icon: ICON,
      badge: BADGE,
      // A newer status of the same application replaces the older notification and
      // still alerts the citizen.
      tag,
      renotify: Boolean(tag),
      timestamp: Date.now(),
      data: { url: portalUrl(readable ? data.url : "/postfach"), kind: data?.kind || null },
    },
  ];
}

async function showPush(event) {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  const locale = await getMeta("locale").catch(() => "de");
  const city = await getMeta("city").catch(() => null);
  const [title, options] = notificationFor(data, locale, city?.name || "");
  await self.registration.showNotification(title, options);
}

/**
 * Bring the citizen to ``url``: navigate a window of the portal that is already open (the
 * one showing that page, else the focused one, else any) and focus it; with no window
 * open, open one. Navigating first: a browser allows one focus or new window per tap.
 */
async function openPortalPage(url) {
  const target = portalUrl(url);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const client = windows.find((item) => item.url === target) || windows.find((item) => item.focused) || windows[0];
  if (!client) return self.clients.openWindow(target);
  let shown = client;
  if (client.url !== target) {
    // Only a window this worker controls can be navigated; otherwise open a new one.
    shown = await client.navigate(target).catch(() => null);
    if (!shown) return self.clients.openWindow(target);
  }
  // A browser may refuse the focus (e.g. the window is minimised); the page is open anyway.
  return shown.focus().catch(() => shown);
}

/** The browser replaced (or dropped) the subscription: subscribe again and tell the portal. */
async function renewSubscription(oldSubscription, newSubscription) {
  const stored = await getMeta(DEVICE);
  // Nobody switched notifications on here (or they signed out): nothing to renew.
  if (!stored?.id) return;
  let subscription = newSubscription;
  if (!subscription) {
    let key = oldSubscription?.options?.applicationServerKey;
    if (!key) {
      const answer = await request("GET", "/api/push/public-key");
      if (!answer.ok) return;
      key = base64UrlToBytes(answer.data.public_key);
    }
    subscription = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }
  const session = await request("GET", "/api/auth/session");
  // Signed out or someone else signed in: the page registers again when they switch it on.
  if (!session.ok || !session.data?.authenticated || session.data.user?.id !== stored.userId) return;
  const locale = (await getMeta("locale")) || undefined;
  const answer = await request("POST", "/api/push/subscriptions", {
    body: { ...subscription.toJSON(), old_endpoint: oldSubscription?.endpoint || stored.endpoint },
    csrf: session.data.csrf_token,
    locale,
  });
  // Kept on failure, the old endpoint lets the page send old_endpoint the next time.
  if (answer.ok) await setMeta(DEVICE, { ...stored, id: answer.data.id, endpoint: subscription.endpoint });
}

function base64UrlToBytes(text) {
  const base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

self.addEventListener("push", (event) => {
  event.waitUntil(showPush(event));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openPortalPage(event.notification.data?.url));
});

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription));
});
