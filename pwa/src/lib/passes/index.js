// The pass format in the browser: decoding, key set, revocation list, verification.
// Stand-alone (no app state), so the benchmark and the conformance test can bundle it.
export { base45Decode } from "./base45.js";
export { decodeStrict } from "./cbor.js";
export { decodeSign1 } from "./cose.js";
export { parseClaims } from "./claims.js";
export { parseKeyset } from "./keyset.js";
export { parseRevocationList, revocationEntry } from "./revocation.js";
export { berlinToday, dayToIso, isoToDay } from "./days.js";
export { PREFIX, REASONS, verifyPass } from "./verify.js";
