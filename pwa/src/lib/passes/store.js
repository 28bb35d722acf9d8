// What the scanner keeps on the device (IndexedDB, its own database): the last good key
// set and revocation list, the zones, the zone being checked and the newest sequence
// seen per permit. All of it is public data; nothing personal is stored here.
import { openDB } from "idb";

let opened;

function database() {
  opened ||= openDB("buergerportal-scanner", 1, {
    upgrade(db) {
      db.createObjectStore("state");
    },
  });
  return opened;
}

export async function load(key) {
  return (await database()).get("state", key);
}

export async function save(key, value) {
  await (await database()).put("state", value, key);
}

/** Everything at once: {keyset, revocations, zones, zone, sequences}. */
export async function loadAll() {
  const db = await database();
  const tx = db.transaction("state");
  const [keyset, revocations, zones, zone, sequences] = await Promise.all(
    ["keyset", "revocations", "zones", "zone", "sequences"].map((key) => tx.store.get(key)),
  );
  await tx.done;
  return { keyset, revocations, zones, zone, sequences };
}
