// Small status elements shared by screens: the offline copy notice and the sync state.
import { formatDateTime, t } from "../lib/i18n.js";
import { Alert } from "./forms.jsx";

/** "You are offline; this is the data from <time>." */
export function OfflineCopy({ cachedAt }) {
  if (!cachedAt) return null;
  return (
    <Alert kind="warning" title={t("offline.copy_title")}>
      <p class="kern-body">{t("offline.copy_text", { time: formatDateTime(cachedAt) })}</p>
    </Alert>
  );
}

/** A problem loading data, with the offline case explained in plain words. */
export function LoadError({ error }) {
  if (!error) return null;
  if (error.code === "network") {
    return <Alert kind="warning" title={t("offline.nothing_title")}><p class="kern-body">{t("offline.nothing_text")}</p></Alert>;
  }
  return <Alert kind="danger" title={error.message || t("errors.generic")} />;
}
