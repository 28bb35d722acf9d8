// Signed revocation lists (docs/pass-format.md, section 8): an entry is the first 16
// bytes of SHA-256("<permit number>|<sequence>"); a list is a COSE_Sign1 over
// {1: version, 2: issued_at, 3: [entries], 4: base_version}, 0 = full list, else a delta.
import { toHex } from "./bytes.js";
import { decodeStrict, isUint } from "./cbor.js";
import { decodeSign1, verifySignature } from "./cose.js";

export const ENTRY_LENGTH = 16;
const encoder = new TextEncoder();

export class RevocationError extends Error {
  constructor(message, reason = "malformed") {
    super(message);
    this.reason = reason;
  }
}

/** The hex entry of one issued pass. */
export async function revocationEntry(permitNo, sequence) {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${permitNo}|${sequence}`));
  return toHex(new Uint8Array(digest, 0, ENTRY_LENGTH));
}

function version(value, name, minimum) {
  if (!isUint(value) || value < minimum) throw new RevocationError(`revocation list: ${name} must be an integer >= ${minimum}`);
  return value;
}

/**
 * Verify a signed list (bytes) against a parsed key set and return
 * {version, issuedAt, baseVersion, entries: [hex], kid}; rejects with RevocationError
 * (reason malformed, unknown_key or forged): such a list is discarded.
 */
export async function parseRevocationList(bytes, keyset) {
  let message;
  try {
    message = decodeSign1(bytes);
  } catch (error) {
    throw new RevocationError(error.message);
  }
  const kid = toHex(message.kid);
  const key = keyset.keys.get(kid);
  if (!key) throw new RevocationError("revocation list signed with an unknown key", "unknown_key");
  if (!(await verifySignature(message, key.cryptoKey))) throw new RevocationError("revocation list signature is invalid", "forged");
  let body;
  try {
    body = decodeStrict(message.payload);
  } catch (error) {
    throw new RevocationError(`revocation list: ${error.message}`);
  }
  if (!(body instanceof Map) || body.size !== 4 || ![1, 2, 3, 4].every((k) => body.has(k))) {
    throw new RevocationError("revocation list: expected exactly the keys 1 to 4");
  }
  const list = {
    version: version(body.get(1), "version", 1),
    baseVersion: version(body.get(4), "base_version", 0),
    issuedAt: version(body.get(2), "issued_at", 0),
    kid,
  };
  if (list.baseVersion >= list.version) throw new RevocationError("revocation list: base_version must be lower than version");
  const raw = body.get(3);
  if (!Array.isArray(raw) || !raw.every((e) => e instanceof Uint8Array && e.length === ENTRY_LENGTH)) {
    throw new RevocationError("revocation list: entries must be 16-byte strings");
  }
  list.entries = raw.map(toHex);
  if (new Set(list.entries).size !== list.entries.length) throw new RevocationError("revocation list: duplicate entries");
  return list;
}
