// The CWT claims of a pass (docs/pass-format.md, section 4), checked exactly as the
// reference implementation (app/passes/claims.py) does.
import { decodeStrict, isUint } from "./cbor.js";

export const CLAIM_ISS = 1;
export const CLAIM_EXP = 4;
export const CLAIM_IAT = 6;
export const CLAIM_PERMIT = -65537;
const MAX_PLATES = 4;
// 9999-12-31 in days since 1970-01-01: the last day Python's date can hold.
const MAX_DAYS = 2932896;

export class ClaimsError extends Error {}

// Python's str.isprintable(): no "Other" (C*) and no separators (Z*) except the space.
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

function text(value, name, maxLength) {
  if (typeof value !== "string") throw new ClaimsError(`${name} must be text`);
  const length = [...value].length;
  if (length < 1 || length > maxLength) throw new ClaimsError(`${name} must have 1 to ${maxLength} characters`);
  if (UNPRINTABLE.test(value)) throw new ClaimsError(`${name} contains control characters`);
  return value;
}

function uint(value, name) {
  if (!isUint(value)) throw new ClaimsError(`${name} must be an integer from 0 to 2^53-1`);
  return value;
}

function day(value, name) {
  uint(value, name);
  if (value > MAX_DAYS) throw new ClaimsError(`${name} is out of range`);
  return value;
}

function hasExactly(map, keys) {
  return map instanceof Map && map.size === keys.length && keys.every((key) => map.has(key));
}

/** Decode and check the signed payload; throws ClaimsError (or CborError). */
export function parseClaims(payload) {
  const cwt = decodeStrict(payload);
  if (!hasExactly(cwt, [CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_PERMIT])) {
    throw new ClaimsError("CWT: expected exactly the claims 1, 4, 6 and -65537");
  }
  const permit = cwt.get(CLAIM_PERMIT);
  if (!hasExactly(permit, [1, 2, 3, 4, 5, 6])) throw new ClaimsError("permit claim: expected exactly the keys 1 to 6");
  const plates = permit.get(2);
  if (!Array.isArray(plates)) throw new ClaimsError("permit claim: plates must be an array");
  const claims = {
    validFrom: day(permit.get(4), "valid_from"),
    validTo: day(permit.get(5), "valid_to"),
    permitNo: text(permit.get(1), "permit number", 24),
    zone: text(permit.get(3), "zone", 8),
    issuer: text(cwt.get(CLAIM_ISS), "issuer", 32),
    plates: plates.map((plate) => text(plate, "licence plate", 12)),
    sequence: uint(permit.get(6), "sequence"),
    issuedAt: uint(cwt.get(CLAIM_IAT), "issued_at"),
    expiresAt: uint(cwt.get(CLAIM_EXP), "expires_at"),
  };
  if (plates.length < 1 || plates.length > MAX_PLATES) throw new ClaimsError("a pass carries 1 to 4 licence plates");
  if (new Set(plates).size !== plates.length) throw new ClaimsError("licence plates must be distinct");
  if (claims.validFrom > claims.validTo) throw new ClaimsError("valid_from is after valid_to");
  if (claims.issuedAt > claims.expiresAt) throw new ClaimsError("issued_at is after expires_at");
  return claims;
}
