// Defect reports waiting on this device until the portal answers (the "outbox"), and
// the reports this device sent (the anonymous ones with their tracking links). Runs in the page and
// in the service worker (Background Sync), so it only uses fetch and IndexedDB.
//
// Each report gets its idempotency key when the citizen presses "send"; every attempt
// sends that key, and the server answers a repeat with the report it already made. A
// report leaves the outbox only after the server's answer arrived, so it is sent at
// least once, and the key makes it arrive exactly once.
import { openDB } from "idb";
import { newId, request } from "./http.js";

export const OUTBOX_SYNC_TAG = "report-outbox";
export const OUTBOX_CHANNEL = "buergerportal-reports";

let opened;

function database() {
  opened ||= openDB("buergerportal-reports", 1, {
    upgrade(db) {
      db.createObjectStore("outbox", { keyPath: "key" });
      db.createObjectStore("sent", { keyPath: "id" });
    },
  });
  return opened;
}

function announce() {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(OUTBOX_CHANNEL);
  channel.postMessage({ kind: "changed" });
  channel.close();
}

/** Queue a report: ``fields`` as the form sends them, ``photos`` as Blobs. */
export async function queueReport(fields, photos, userId) {
  const entry = { key: newId(), fields, photos, userId: userId ?? null, queuedAt: Date.now(), error: null };
  await (await database()).put("outbox", entry);
  announce();
  return entry;
}

export async function queuedReports() {
  return (await database()).getAll("outbox");
}

export async function sentReports() {
  return (await database()).getAll("sent");
}

export async function forgetQueued(key) {
  await (await database()).delete("outbox", key);
  announce();
}

function formOf(entry) {
  const form = new FormData();
  for (const [name, value] of Object.entries(entry.fields)) {
    if (value !== null && value !== undefined && value !== "") form.append(name, value);
  }
  entry.photos.forEach((photo, index) => form.append("photos", photo, `foto-${index + 1}.jpg`));
  return form;
}

function withLock(task) {
  // One sender at a time (two tabs, or a tab and the service worker).
  if (globalThis.navigator?.locks?.request) return navigator.locks.request("buergerportal-report-outbox", task);
  return task();
}

/**
 * Send what waits. ``ctx``: {csrf, locale, userId} of the current session. Reports
 * queued by another account wait for it. Resolves with {sent, pending, failed};
 * ``sent`` holds the server's answers with the outbox key they were sent under.
 */
export function sendOutbox(ctx) {
  return withLock(async () => {
    const db = await database();
    const result = { sent: [], pending: 0, failed: 0 };
    for (const entry of await db.getAll("outbox")) {
      if ((entry.userId ?? null) !== (ctx.userId ?? null)) {
        result.pending += 1;
        continue;
      }
      if (entry.error) {
        // Refused before: sending it again changes nothing until the citizen acts.
        result.failed += 1;
        continue;
      }
      const answer = await request("POST", "/api/reports", {
        form: formOf(entry),
        headers: { "Idempotency-Key": entry.key },
        csrf: ctx.csrf,
        locale: ctx.locale,
      });
      if (answer.status === 0 || answer.status >= 500 || answer.status === 429) {
        result.pending += 1;
        continue;
      }
      if (!answer.ok) {
        // The portal refused it (e.g. the category was withdrawn): kept, with the
        // reason, for the citizen to read and send again from the form.
        await db.put("outbox", { ...entry, error: answer.data });
        result.failed += 1;
        continue;
      }
      await db.put("sent", {
        id: answer.data.id,
        key: entry.key,
        tracking_token: answer.data.tracking_token,
        category: entry.fields.category,
        sentAt: Date.now(),
      });
      await db.delete("outbox", entry.key);
      result.sent.push({ key: entry.key, ...answer.data });
    }
    announce();
    return result;
  });
}

/** Ask the browser to send the outbox when the network is back (if it can). */
export async function requestOutboxSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register(OUTBOX_SYNC_TAG);
  } catch {
    // No Background Sync: the page sends when it sees the portal again.
  }
}
