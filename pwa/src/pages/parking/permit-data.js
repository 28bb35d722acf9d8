// Shared by the wallet screens: loading the permits (network first, the service
// worker's copy offline), labels and the state badge colours.
import { useEffect } from "preact/hooks";
import { useResource } from "../../hooks/use-resource.js";
import { session } from "../../lib/api.js";
import { formatDate, t } from "../../lib/i18n.js";
import { notePermits } from "../../lib/passes/wallet-flag.js";

export const WALLET_PATH = "/api/parking/permits";

export function usePermits() {
  const resource = useResource(WALLET_PATH);
  useEffect(() => {
    if (resource.data && !resource.cachedAt) notePermits(session.get().user, resource.data);
  }, [resource.data]);
  return resource;
}

export const STATE_BADGE = { valid: "success", not_yet_valid: "info", expired: "warning", revoked: "danger" };

/** The state's short label; a permit the city blocked reads "Gesperrt". */
export function stateLabel(permit) {
  return permit.blocked ? t("parking.state.blocked") : t(`parking.state.${permit.state}`);
}

export function stateText(permit) {
  if (permit.blocked) return t("parking.state_text.blocked", { reason: t(`parking.block_reason.${permit.block_reason}`) });
  const date = formatDate(permit.state === "not_yet_valid" ? permit.valid_from : permit.valid_to);
  return t(`parking.state_text.${permit.state}`, { date });
}

export function validRange(permit) {
  return t("parking.valid_range", { from: formatDate(permit.valid_from), to: formatDate(permit.valid_to) });
}

/** A message for a failed write: offline in plain words, else what the server said. */
export function actionError(error) {
  if (!error) return null;
  return error.code === "network" ? t("parking.offline_action") : error.message;
}
