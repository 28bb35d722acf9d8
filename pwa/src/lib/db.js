// The device's own storage (IndexedDB): drafts exactly as typed, and small settings the
// service worker needs too (it cannot read localStorage).
import { openDB } from "idb";

let opened;

function database() {
  opened ||= openDB("buergerportal", 1, {
    upgrade(db) {
      const drafts = db.createObjectStore("drafts", { keyPath: "localId" });
      drafts.createIndex("byUser", "userId");
      db.createObjectStore("meta");
    },
  });
  return opened;
}

export async function getDraft(localId) {
  return (await database()).get("drafts", localId);
}

export async function allDrafts() {
  return (await database()).getAll("drafts");
}

export async function putDraft(draft) {
  await (await database()).put("drafts", draft);
  return draft;
}

export async function deleteDraft(localId) {
  await (await database()).delete("drafts", localId);
}

/**
 * Change one draft inside a single read-write transaction, so the page saving a
 * keystroke and the service worker recording a sync never overwrite each other.
 */
export async function updateDraft(localId, change) {
  const tx = (await database()).transaction("drafts", "readwrite");
  const draft = await tx.store.get(localId);
  if (!draft) {
    await tx.done;
    return undefined;
  }
  change(draft);
  await tx.store.put(draft);
  await tx.done;
  return draft;
}

export async function getMeta(key) {
  return (await database()).get("meta", key);
}

export async function setMeta(key, value) {
  await (await database()).put("meta", value, key);
}

/**
 * Change one meta value inside a single read-write transaction (``change`` gets the
 * stored value and returns the new one), so the page and the service worker appending
 * to the same list never lose each other's entries.
 */
export async function updateMeta(key, change) {
  const tx = (await database()).transaction("meta", "readwrite");
  const next = change(await tx.store.get(key));
  await tx.store.put(next, key);
  await tx.done;
  return next;
}
