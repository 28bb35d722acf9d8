// Whether the device could check a pass at all. A pass signed with a key the device has
// never loaded is not evidence of forgery when the device has no key set, or only an old
// one: the key may simply have been published since. Such a pass gets the neutral
// verdict "not_synced" (no ticket on its strength) instead of a red "unknown key".
// The format's own verdicts (verify.js) stay as the reference implementation has them.
import { base64UrlDecode, toHex } from "./bytes.js";
import { STALE_AFTER_MS } from "./sync.js";

export const NOT_SYNCED = "not_synced";

/** Is ``result`` an "unknown key" verdict because its kid is not in ``keyset`` at all? */
export function lacksKey(result, keyset) {
  if (result.reason !== "unknown_key" || !result.kid) return false;
  if (!keyset?.keys?.size) return true;
  try {
    return !keyset.keys.has(toHex(base64UrlDecode(result.kid)));
  } catch {
    return true;
  }
}

/**
 * The verdict to show: ``result`` from verifyPass, unless the device cannot tell because
 * it has no key set (``keysetAge`` null) or the kid is unknown and the key set is older
 * than the stale limit; then {valid: false, reason: "not_synced", cause}.
 */
export function scannerVerdict(result, { keyset, keysetAge }) {
  if (!lacksKey(result, keyset)) return result;
  const noKeys = !keyset?.keys?.size || keysetAge === null;
  if (!noKeys && keysetAge <= STALE_AFTER_MS) return result;
  return { ...result, valid: false, reason: NOT_SYNCED, cause: noKeys ? "no_keys" : "stale_keys" };
}
