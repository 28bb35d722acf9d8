// Tells the citizen where their answers are: always on this device at once, and in
// their account once synced (or why not yet).
import { online } from "../lib/connectivity.js";
import { isDirty } from "../lib/drafts.js";
import { formatDateTime, t } from "../lib/i18n.js";
import { useSignal } from "../lib/signal.js";

export function SaveState({ draft, signedIn }) {
  const isOnline = useSignal(online);
  let detail;
  if (!signedIn) detail = t("save.not_signed_in");
  else if (!isDirty(draft) && draft.lastSyncedAt) detail = t("save.synced", { time: formatDateTime(draft.lastSyncedAt) });
  else if (draft.syncRefusal) detail = t("save.refused", { reason: draft.syncRefusal.message || t("save.refused_unknown") });
  else if (!isOnline) detail = t("save.offline");
  else detail = t("save.syncing");
  return (
    <p class="kern-body kern-body--small save-state" role="status">
      <span class="kern-icon kern-icon--success kern-icon--small" aria-hidden="true" /> {t("save.device")} {detail}
    </p>
  );
}
