// One permit: the pass as a large QR code (drawn on the device, so it shows offline and
// the screen stays on), plates, zone, validity and state; the print@home PDF; renew,
// change plates and give back.
import { useEffect } from "preact/hooks";
import { Alert, Badge, Button } from "../../components/forms.jsx";
import { GermanDocumentNote } from "../../components/german-document-note.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError, OfflineCopy } from "../../components/status.jsx";
import { LEAVING, useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { loadDefinition } from "../../lib/catalogue.js";
import { adoptServerDraft } from "../../lib/drafts.js";
import { formatDate, t } from "../../lib/i18n.js";
import { useWakeLock } from "../../lib/passes/wake-lock.js";
import { Link, navigate, queryParam, useLocation } from "../../lib/router.jsx";
import { PassQrCode } from "./qr-code.jsx";
import { STATE_BADGE, actionError, stateText, usePermits, validRange, stateLabel } from "./permit-data.js";
import { DocumentLink } from "../../components/document-link.jsx";

export function PermitPage({ permitId }) {
  return (
    <RequireSignIn title={t("parking.detail_title")}>
      <Permit permitId={permitId} />
    </RequireSignIn>
  );
}

/** Keep the print@home PDF of the current edition in the offline cache as well. */
function keepPdfOffline(permit) {
  const url = permit.links?.pdf;
  if (!url || !navigator.onLine || !navigator.serviceWorker?.controller) return;
  const key = `parking-pdf:${permit.id}`;
  try {
    if (localStorage.getItem(key) === String(permit.sequence)) return;
  } catch {
    return;
  }
  fetch(url, { credentials: "same-origin" })
    .then((response) => response.ok && localStorage.setItem(key, String(permit.sequence)))
    .catch(() => {});
}

function Permit({ permitId }) {
  const { search } = useLocation();
  const { data, error, cachedAt } = usePermits();
  const permit = data?.find((item) => item.id === permitId);
  const showsPass = Boolean(permit?.pass_text);
  const screenOn = useWakeLock(showsPass);
  useEffect(() => {
    if (permit && !cachedAt) keepPdfOffline(permit);
  }, [permit?.id, permit?.sequence, cachedAt]);
  if (!data) {
    return <Page title={t("parking.detail_title")}>{error ? <LoadError error={error} /> : <Loading />}</Page>;
  }
  if (!permit) {
    return (
      <Page title={t("parking.detail_title")}>
        <p class="kern-body">{t("parking.not_found")}</p>
        <Link class="kern-link" href="/parkausweis">{t("parking.back")}</Link>
      </Page>
    );
  }
  const fresh = queryParam(search, "neu");
  return (
    <Page title={t("parking.detail_title")} caption={permit.number}>
      <OfflineCopy cachedAt={cachedAt} />
      {fresh === "kennzeichen" && (
        <Alert kind="success" title={t("parking.new_pass_title")}>
          <p class="kern-body">{t("parking.new_pass_text")}</p>
        </Alert>
      )}
      {fresh === "zurueckgegeben" && (
        <Alert kind="success" title={t("parking.cancelled_title")}>
          <p class="kern-body">{t("parking.cancelled_text")}</p>
        </Alert>
      )}
      <p class="kern-body">
        <Badge kind={STATE_BADGE[permit.state] || "info"}>{stateLabel(permit)}</Badge>{" "}
        {stateText(permit)}
      </p>
      {showsPass && (
        <figure class="pass-qr">
          <PassQrCode text={permit.pass_text} label={t("parking.qr_label", { number: permit.number })} />
          <figcaption class="pass-qr__plates">{permit.plates.join(" · ")}</figcaption>
        </figure>
      )}
      {showsPass && <p class="kern-body">{t("parking.qr_hint")}</p>}
      {screenOn && <p class="kern-body kern-body--small">{t("parking.wake_lock")}</p>}
      <dl class="kern-description-list">
        <Item label={t("parking.plates")}>{permit.plates.join(", ")}</Item>
        <Item label={t("parking.zone")}>{permit.zone_name ? `${permit.zone} · ${permit.zone_name}` : permit.zone}</Item>
        <Item label={t("parking.validity")}>{validRange(permit)}</Item>
        <Item label={t("parking.number")}>{permit.number}</Item>
        <Item label={t("parking.edition")}>{t("parking.edition_value", { sequence: permit.sequence, date: formatDate(permit.issued_at) })}</Item>
        <Item label={t("parking.authority")}>{permit.authority}</Item>
      </dl>
      {permit.links?.pdf && (
        <section class="kern-stack" aria-labelledby="print-heading">
          <h2 class="kern-heading-medium" id="print-heading">{t("parking.print_heading")}</h2>
          <p class="kern-body">{t("parking.pdf_hint")}</p>
          <p>
            <DocumentLink class="kern-btn kern-btn--primary" href={permit.links.pdf} name={t("kiosk.permit")}>
              <span class="kern-label">{t("parking.pdf")}</span>
            </DocumentLink>
          </p>
          <GermanDocumentNote name={t("parking.detail_title")} />
        </section>
      )}
      <Renewal permit={permit} />
      {(permit.actions.includes("change_plates") || permit.actions.includes("cancel")) && (
        <section class="kern-stack" aria-labelledby="actions-heading">
          <h2 class="kern-heading-medium" id="actions-heading">{t("parking.actions_heading")}</h2>
          <ul class="kern-list link-list permit-actions">
            {permit.actions.includes("change_plates") && (
              <li>
                <Link class="kern-link" href={`/parkausweis/${permit.id}/kennzeichen`}>{t("parking.change_plates")}</Link>
              </li>
            )}
            {permit.actions.includes("cancel") && (
              <li>
                <Link class="kern-link" href={`/parkausweis/${permit.id}/rueckgabe`}>{t("parking.cancel")}</Link>
              </li>
            )}
          </ul>
        </section>
      )}
      <p>
        <Link class="kern-link" href="/parkausweis">{t("parking.back")}</Link>
      </p>
    </Page>
  );
}

function Item({ label, children }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key">{label}</dt>
      <dd class="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

function Renewal({ permit }) {
  // The notice below words the failure itself (see actionError in permit-data.js).
  const { busy, error, run } = useAction({ onError: (caught) => caught });
  const renewal = permit.renewal;
  if (permit.state !== "valid" || !renewal) return null;
  const start = () =>
    run(async () => {
      const application = await api("POST", `/api/parking/permits/${permit.id}/renewal`, {});
      const definition = await loadDefinition(application.service_id, application.service_version);
      const draft = await adoptServerDraft(application, definition);
      navigate(`/antrag/${draft.localId}/weiter`);
      return LEAVING;
    });
  return (
    <section class="kern-stack" aria-labelledby="renewal-heading">
      <h2 class="kern-heading-medium" id="renewal-heading">{t("parking.renew")}</h2>
      {renewal.application_id ? (
        <p class="kern-body">
          {t("parking.renew_running")}{" "}
          <Link class="kern-link" href={`/antraege/${renewal.application_id}`}>{t("parking.renew_running_link")}</Link>
        </p>
      ) : permit.actions.includes("renew") ? (
        <>
          <p class="kern-body">{t("parking.renew_text")}</p>
          {error && <Alert kind="danger" title={t("parking.renew_failed")}><p class="kern-body">{actionError(error)}</p></Alert>}
          <div class="kern-btn-wrapper">
            <Button variant="secondary" onClick={start} disabled={busy}>{busy ? t("parking.saving") : t("parking.renew")}</Button>
          </div>
        </>
      ) : (
        <p class="kern-body">{t("parking.renew_opens", { date: formatDate(renewal.opens_on) })}</p>
      )}
    </section>
  );
}
