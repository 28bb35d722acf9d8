// Campaign tags from flyers and posters: their QR codes lead to a service's page (or the
// start page) with ``?q=<tag>``. Where the app starts, ``takeCampaignTag`` notices the
// tag, removes it from the address bar (history.replaceState: a shared or bookmarked
// address carries no tag), remembers it for this visit (sessionStorage), so drafts
// started in this visit carry it (their step views then name it, and a sent
// application counts as "submitted via <tag>"), and reports one anonymous landing:
// ``POST /api/statistics/entries {tag, service_id?}``, nothing else.
//
// The same device landing twice through the same tag and page within REPEAT_MS counts
// once: the last landing per tag and page is kept on the device (IndexedDB), never on
// the server. Offline, the report waits in IndexedDB and goes out when the network
// returns; a report older than a day is dropped (it would count on the wrong day).
import { getMeta, updateMeta } from "./db.js";

export const TAG = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;
export const REPEAT_MS = 30 * 60 * 1000;
export const MAX_AGE_MS = 24 * 3600 * 1000;
export const MAX_KEPT = 50;
const SESSION_KEY = "portal.campaign";
const OUTBOX_KEY = "campaignEntries";
const SEEN_KEY = "campaignSeen";
const ENDPOINT = "/api/statistics/entries";
const SERVICE_PAGE = /^\/leistungen\/([A-Za-z0-9_-]{1,64})\/?$/;

/** The tag of ``search`` (``?q=``) when it has a campaign tag's form, else null. */
export function tagOf(search) {
  const tag = new URLSearchParams(search || "").get("q");
  return tag && TAG.test(tag) && !tag.includes("--") ? tag : null;
}

/** The service whose page ``pathname`` is (``/leistungen/<id>``), else null. */
export function serviceOf(pathname) {
  const match = SERVICE_PAGE.exec(pathname || "");
  return match ? match[1] : null;
}

/** Whether ``pathname`` is a page a flyer's QR code leads to (the start page or a
 * service's page): only there is ``?q=`` a campaign tag (other pages may search with it). */
export function isLandingPage(pathname) {
  return pathname === "/" || serviceOf(pathname) !== null;
}

/** ``search`` without ``q`` ("" when nothing is left). */
export function withoutTag(search) {
  const params = new URLSearchParams(search || "");
  params.delete("q");
  const rest = params.toString();
  return rest ? `?${rest}` : "";
}

const keyOf = (entry) => `${entry.tag}\u0000${entry.service_id || ""}`;

/** Whether a landing like ``entry`` was counted on this device within REPEAT_MS. */
export function isRepeat(seen, entry, now = Date.now()) {
  const last = (seen || {})[keyOf(entry)];
  return typeof last === "number" && now - last < REPEAT_MS;
}

/** ``seen`` with ``entry`` noted at ``now`` (and landings older than REPEAT_MS gone). */
export function noteSeen(seen, entry, now = Date.now()) {
  const kept = Object.fromEntries(Object.entries(seen || {}).filter(([, at]) => now - at < REPEAT_MS));
  return { ...kept, [keyOf(entry)]: now };
}

/** The waiting reports without those older than a day, the newest MAX_KEPT at most. */
export function prune(entries, now = Date.now()) {
  const fresh = (entries || []).filter((entry) => now - Date.parse(entry.at) <= MAX_AGE_MS);
  return fresh.length > MAX_KEPT ? fresh.slice(fresh.length - MAX_KEPT) : fresh;
}

/** "sent", "drop" (refused as invalid) or "keep" (no network, too many, server trouble). */
export function outcome(status) {
  if (status >= 200 && status < 300) return "sent";
  if (status === 400 || status === 413 || status === 422) return "drop";
  return "keep";
}

/** The campaign tag of this visit (for drafts started now), or null. */
export function currentCampaign() {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

// Sent without cookies: the landing is never tied to a signed-in account (and needs no
// CSRF token, which a page that has just started does not have yet).
async function post(entry) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const body = { tag: entry.tag, ...(entry.service_id ? { service_id: entry.service_id } : {}) };
  try {
    const response = await fetch(ENDPOINT, {
      method: "POST",
      headers,
      credentials: "omit",
      body: JSON.stringify(body),
    });
    return response.status;
  } catch {
    return 0;
  }
}

let sending = null;

/** Send the waiting landing reports, one after another, until one has to wait. */
export function sendCampaignEntries() {
  sending ||= (async () => {
    for (;;) {
      const waiting = prune(await getMeta(OUTBOX_KEY));
      if (!waiting.length) return;
      const [entry] = waiting;
      const next = outcome(await post(entry));
      if (next === "keep") return;
      await updateMeta(OUTBOX_KEY, (list) => prune(list).filter((item) => item.id !== entry.id));
    }
  })()
    .catch(() => {})
    .finally(() => {
      sending = null;
    });
  return sending;
}

/**
 * Once, where the app starts: take the tag off the address, remember it for this visit
 * and queue one landing report (unless this device landed the same way just now).
 * ``online`` is the connectivity signal (waiting reports go out when it turns true).
 */
export async function takeCampaignTag({ online } = {}) {
  online?.subscribe((isOnline) => isOnline && sendCampaignEntries());
  if (!isLandingPage(location.pathname)) return sendCampaignEntries();
  const tag = tagOf(location.search);
  if (new URLSearchParams(location.search).has("q")) {
    history.replaceState(history.state, "", location.pathname + withoutTag(location.search) + location.hash);
  }
  if (!tag) return sendCampaignEntries();
  try {
    sessionStorage.setItem(SESSION_KEY, tag);
  } catch {
    // Private mode without storage: the landing still counts, drafts carry no tag.
  }
  const entry = { tag, service_id: serviceOf(location.pathname), at: new Date().toISOString() };
  let repeat = false;
  await updateMeta(SEEN_KEY, (seen) => {
    repeat = isRepeat(seen, entry);
    return repeat ? seen : noteSeen(seen, entry);
  }).catch(() => {});
  if (!repeat) {
    const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await updateMeta(OUTBOX_KEY, (list) => prune([...(list || []), { ...entry, id }])).catch(() => {});
  }
  return sendCampaignEntries();
}
