// "Daten aktualisieren": fetch the key set, the revocation list (only what changed
// since the version on the device, when possible) and the zones; check them; keep them
// in IndexedDB. A document that fails its checks is discarded and the previous one
// stays, so a broken or forged download never weakens the scanner.
import { parseKeyset } from "./keyset.js";
import { parseRevocationList } from "./revocation.js";
import { load, loadAll, save } from "./store.js";

export const STALE_AFTER_MS = 24 * 3600 * 1000;
// Deltas only ever add entries; a full list now and then also drops expired ones.
const FULL_LIST_EVERY_MS = 7 * 24 * 3600 * 1000;

async function get(url, type) {
  // "no-cache": ask the server every time (a 304 from the browser cache is fine).
  let response;
  try {
    response = await fetch(url, { cache: "no-cache", credentials: "same-origin", headers: { Accept: type } });
  } catch {
    throw Object.assign(new Error("no connection"), { reason: "network" });
  }
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return response;
}

let cachedKeyset = null;

/** The key set on the device, imported into WebCrypto (cached in memory). */
export async function deviceKeyset(stored) {
  const record = stored === undefined ? await load("keyset") : stored;
  if (!record) return null;
  if (cachedKeyset?.record === record.fetchedAt) return cachedKeyset.keyset;
  const keyset = await parseKeyset(record.document);
  cachedKeyset = { record: record.fetchedAt, keyset };
  return keyset;
}

async function syncKeyset(now) {
  const document = await (await get("/api/passes/keyset", "application/json")).json();
  const keyset = await parseKeyset(document);
  const record = { document, fetchedAt: now };
  await save("keyset", record);
  cachedKeyset = { record: now, keyset };
  return keyset;
}

async function fetchList(keyset, since) {
  const url = since ? `/api/passes/revocations?since=${since}` : "/api/passes/revocations";
  const bytes = new Uint8Array(await (await get(url, "application/cose")).arrayBuffer());
  return parseRevocationList(bytes, keyset);
}

async function syncRevocations(keyset, now) {
  const held = await load("revocations");
  const fresh = held && now - (held.fullAt || 0) < FULL_LIST_EVERY_MS;
  let list = await fetchList(keyset, fresh ? held.version : null);
  let entries;
  if (list.baseVersion === 0) {
    entries = list.entries;
  } else if (held && list.baseVersion === held.version) {
    entries = [...new Set([...held.entries, ...list.entries])];
  } else {
    // A delta that does not start where the device is: take the full list instead.
    list = await fetchList(keyset, null);
    if (list.baseVersion !== 0) throw new Error("expected a full revocation list");
    entries = list.entries;
  }
  const record = {
    version: list.version,
    issuedAt: list.issuedAt,
    entries,
    kid: list.kid,
    fetchedAt: now,
    delta: list.baseVersion !== 0,
    fullAt: list.baseVersion === 0 ? now : held.fullAt,
  };
  await save("revocations", record);
  return record;
}

async function syncZones(now) {
  const zones = await (await get("/api/parking/zones", "application/json")).json();
  if (!Array.isArray(zones)) throw new Error("zones: expected a list");
  const record = { zones: zones.map(({ code, name, active }) => ({ code: String(code), name: String(name || ""), active: active !== false })), fetchedAt: now };
  await save("zones", record);
  return record;
}

/**
 * Fetch and check everything. Resolves {ok, errors: {keyset?, revocations?, zones?}};
 * "network" errors mean no connection. Parts that succeeded are kept.
 */
export async function syncScannerData() {
  const now = Date.now();
  const errors = {};
  const reason = (error) => error.reason || "invalid";
  let keyset = null;
  try {
    keyset = await syncKeyset(now);
  } catch (error) {
    errors.keyset = reason(error);
    keyset = await deviceKeyset().catch(() => null);
  }
  if (keyset) {
    try {
      await syncRevocations(keyset, now);
    } catch (error) {
      errors.revocations = reason(error);
    }
  } else {
    errors.revocations ||= "no_keyset";
  }
  try {
    await syncZones(now);
  } catch (error) {
    errors.zones = reason(error);
  }
  return { ok: Object.keys(errors).length === 0, errors, state: await loadAll() };
}

let running = null;

/**
 * syncScannerData, shared: a caller arriving while a sync runs (the automatic one and a
 * tap on "update", say) gets that sync's result instead of starting a second download.
 */
export function syncShared() {
  running ||= syncScannerData().finally(() => {
    running = null;
  });
  return running;
}

/** Ages in milliseconds (null when never synced) and whether to warn. */
export function dataAge(state, now = Date.now()) {
  const keyset = state.keyset ? now - state.keyset.fetchedAt : null;
  const revocations = state.revocations ? now - state.revocations.fetchedAt : null;
  const stale = keyset === null || revocations === null || keyset > STALE_AFTER_MS || revocations > STALE_AFTER_MS;
  return { keyset, revocations, stale };
}

/** Remember the newest sequence seen per permit (only from passes whose signature verified). */
export async function rememberSequence(claims) {
  const sequences = (await load("sequences")) || {};
  if ((sequences[claims.permitNo] ?? -1) < claims.sequence) {
    sequences[claims.permitNo] = claims.sequence;
    await save("sequences", sequences);
  }
}
