// Give a permit back, after a clear confirmation: the pass is revoked at once.
import { Alert, Button } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError } from "../../components/status.jsx";
import { LEAVING, useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link, navigate } from "../../lib/router.jsx";
import { actionError, usePermits, stateLabel } from "./permit-data.js";

export function CancelPermitPage({ permitId }) {
  return (
    <RequireSignIn title={t("parking.cancel_title")}>
      <CancelPermit permitId={permitId} />
    </RequireSignIn>
  );
}

function CancelPermit({ permitId }) {
  const { data, error } = usePermits();
  const { busy, error: failure, run } = useAction({ onError: actionError });
  const permit = data?.find((item) => item.id === permitId);
  if (!permit) {
    return (
      <Page title={t("parking.cancel_title")}>
        {!data && (error ? <LoadError error={error} /> : <Loading />)}
        {data && <p class="kern-body">{t("parking.not_found")}</p>}
      </Page>
    );
  }
  const confirm = () =>
    run(async () => {
      await api("POST", `/api/parking/permits/${permit.id}/cancel`);
      navigate(`/parkausweis/${permit.id}?neu=zurueckgegeben`);
      return LEAVING;
    });
  return (
    <Page title={t("parking.cancel_title")} caption={permit.number}>
      <p class="kern-body">{t("parking.cancel_intro")}</p>
      {failure && <Alert kind="danger" title={failure} />}
      {permit.actions.includes("cancel") ? (
        <>
          <p class="kern-body kern-body--bold">{t("parking.cancel_question", { number: permit.number, plates: permit.plates.join(", ") })}</p>
          <div class="kern-btn-wrapper">
            <Button onClick={confirm} disabled={busy}>{busy ? t("parking.saving") : t("parking.cancel_confirm")}</Button>
            <Link class="kern-btn kern-btn--secondary" href={`/parkausweis/${permit.id}`}>
              <span class="kern-label">{t("parking.cancel_abort")}</span>
            </Link>
          </div>
        </>
      ) : (
        <Alert kind="info" title={stateLabel(permit)} />
      )}
    </Page>
  );
}
