// Pass verification in the browser, with nothing but the cached key set and
// revocation list (docs/pass-format.md, section 9). The checks run in the documented
// order and the first failing one decides; plates and zone come back only once the
// signature verified, so nothing from a forged or unreadable pass is ever shown.
import { base45Decode } from "./base45.js";
import { toHex, base64UrlEncode } from "./bytes.js";
import { parseClaims } from "./claims.js";
import { decodeSign1, verifySignature } from "./cose.js";
import { berlinToday, dayToIso } from "./days.js";
import { keyCovers } from "./keyset.js";
import { revocationEntry } from "./revocation.js";

export const PREFIX = "BPA1:";
export const REASONS = ["valid", "malformed", "unknown_key", "forged", "revoked", "superseded", "not_yet_valid", "expired", "wrong_zone"];

function verdict(reason, detail = "", kid = null, claims = null) {
  return { valid: reason === "valid", reason, detail, kid, claims };
}

/**
 * Verify pass text. ``keyset`` is a parsed key set (keyset.js); ``revoked`` a Set of
 * hex entries; ``zone`` the zone being checked (or null); ``today`` a day number
 * (default: today in Europe/Berlin); ``latestSequences`` the newest sequence seen per
 * permit number. Resolves a verdict {valid, reason, detail, kid, claims}; never rejects.
 */
export async function verifyPass(text, { keyset, revoked = new Set(), zone = null, today = berlinToday(), latestSequences = null } = {}) {
  if (typeof text !== "string" || !text.startsWith(PREFIX)) return verdict("malformed", `pass text must start with ${PREFIX}`);
  let message;
  try {
    const body = text.slice(PREFIX.length);
    if (!body) return verdict("malformed", "empty pass text");
    message = decodeSign1(base45Decode(body));
  } catch (error) {
    return verdict("malformed", error.message);
  }
  const kid = base64UrlEncode(message.kid);
  const key = keyset?.keys.get(toHex(message.kid));
  if (!key) return verdict("unknown_key", "kid not in key set", kid);
  if (!(await verifySignature(message, key.cryptoKey))) return verdict("forged", "signature does not match", kid);
  let claims;
  try {
    claims = parseClaims(message.payload);
  } catch (error) {
    return verdict("malformed", `signed payload: ${error.message}`, kid);
  }
  if (claims.issuer !== keyset.issuer) return verdict("unknown_key", "issuer differs from key set", kid);
  if (!keyCovers(key, claims.expiresAt)) return verdict("unknown_key", "pass outlives its signing key", kid);
  if (revoked.has(await revocationEntry(claims.permitNo, claims.sequence))) {
    return verdict("revoked", "pass is on the revocation list", kid, claims);
  }
  const latest = latestSequences?.get?.(claims.permitNo);
  if (latest !== undefined && latest !== null && claims.sequence < latest) {
    return verdict("superseded", `newer pass exists (sequence ${latest})`, kid, claims);
  }
  if (today < claims.validFrom) return verdict("not_yet_valid", `valid from ${dayToIso(claims.validFrom)}`, kid, claims);
  if (today > claims.validTo) return verdict("expired", `valid until ${dayToIso(claims.validTo)}`, kid, claims);
  if (zone && zone !== claims.zone) return verdict("wrong_zone", `pass is for zone ${claims.zone}`, kid, claims);
  return verdict("valid", "", kid, claims);
}
