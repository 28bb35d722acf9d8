// The published key set (docs/pass-format.md, section 7): parsed, checked and imported
// into WebCrypto. A key whose kid or coordinates do not match its spki makes the whole
// set corrupt: the device then keeps the previous set.
import { base64Decode, base64UrlDecode, equalBytes, sha256, toHex } from "./bytes.js";
import { KID_LENGTH } from "./cose.js";

export class KeysetError extends Error {}

const STATUSES = new Set(["current", "retired"]);
const CURVE = { name: "ECDSA", namedCurve: "P-256" };

function integer(entry, name, optional = false) {
  const value = entry[name];
  if (optional && (value === null || value === undefined)) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new KeysetError(`key set: ${name} must be an integer`);
  return value;
}

async function parseKey(entry) {
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) throw new KeysetError("key set: every key must be an object");
  if (entry.kty !== "EC" || entry.crv !== "P-256") throw new KeysetError("key set: only EC P-256 keys are supported");
  let spki;
  let kid;
  let x;
  let y;
  try {
    spki = base64Decode(entry.spki);
    kid = base64UrlDecode(entry.kid);
    x = base64UrlDecode(entry.x);
    y = base64UrlDecode(entry.y);
  } catch {
    throw new KeysetError("key set: bad encoding of spki, kid, x or y");
  }
  let cryptoKey;
  let jwk;
  try {
    cryptoKey = await crypto.subtle.importKey("spki", spki, CURVE, true, ["verify"]);
    jwk = await crypto.subtle.exportKey("jwk", cryptoKey);
  } catch {
    throw new KeysetError("key set: spki is not a P-256 public key");
  }
  // The kid is derived from the key: a mismatch means a corrupted or doctored set.
  if (kid.length !== KID_LENGTH || !equalBytes(kid, (await sha256(spki)).slice(0, KID_LENGTH))) {
    throw new KeysetError("key set: kid does not match the key");
  }
  if (!equalBytes(x, base64UrlDecode(jwk.x)) || !equalBytes(y, base64UrlDecode(jwk.y))) {
    throw new KeysetError("key set: x/y do not match spki");
  }
  if (!STATUSES.has(entry.status)) throw new KeysetError("key set: status must be 'current' or 'retired'");
  return {
    kid: toHex(kid),
    kidText: entry.kid,
    cryptoKey,
    notBefore: integer(entry, "not_before"),
    notAfter: integer(entry, "not_after", true),
    status: entry.status,
  };
}

/**
 * Check a key set document (the JSON object) and import its keys.
 * Resolves {issuer, issuedAt, keys: Map(kid hex → key)}; rejects with KeysetError.
 */
export async function parseKeyset(document) {
  if (!document || typeof document !== "object" || Array.isArray(document)) throw new KeysetError("key set: expected a JSON object");
  const { issuer } = document;
  if (typeof issuer !== "string" || !issuer) throw new KeysetError("key set: issuer missing");
  if (!Array.isArray(document.keys)) throw new KeysetError("key set: keys must be a list");
  const keys = new Map();
  for (const entry of document.keys) {
    const key = await parseKey(entry);
    if (keys.has(key.kid)) throw new KeysetError("key set: duplicate kid");
    keys.set(key.kid, key);
  }
  return { issuer, issuedAt: integer(document, "issued_at", true), keys };
}

/** Does a pass expiring at ``expiresAt`` (seconds) lie within the key's lifetime? */
export function keyCovers(key, expiresAt) {
  return key.notAfter === null || expiresAt <= key.notAfter;
}
