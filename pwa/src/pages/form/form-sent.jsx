// After "send": either waiting for the network ("will be sent when you are online")
// or the reference number the citizen can quote on the phone.
import { useEffect } from "preact/hooks";
import { Alert } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { online } from "../../lib/connectivity.js";
import { syncAll } from "../../lib/drafts.js";
import { pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { useDraft } from "../../hooks/use-draft.js";
import { MissingDraft } from "./form-step.jsx";
import { PayNowButton } from "../payments/links.jsx";
import { SatisfactionQuestion } from "../surveys/satisfaction.jsx";

export function FormSentPage({ localId }) {
  const draft = useDraft(localId);
  const isOnline = useSignal(online);
  useEffect(() => {
    if (isOnline && draft?.state === "queued") syncAll();
  }, [isOnline, draft?.state]);
  if (draft === undefined) return <Page title={t("app.loading")}><Loading /></Page>;
  if (draft === null) return <MissingDraft />;
  if (draft.state === "submitted") {
    return (
      <Page title={t("sent.title")} caption={pick(draft.title)}>
        <div class="kern-alert kern-alert--success reference-box" role="status">
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--success" aria-hidden="true" />
            <span class="kern-title">{t("sent.received")}</span>
          </div>
          <div class="kern-alert__body">
            <p class="kern-body">{t("sent.reference_label")}</p>
            <p class="reference-number" data-reference={draft.reference}>
              {draft.referenceDisplay || draft.reference}
            </p>
          </div>
        </div>
        {draft.status === "awaiting_payment" && (
          <Alert kind="info" title={draft.statusLabel} live={false}>
            <p class="kern-body">{t("sent.awaiting_payment")}</p>
          </Alert>
        )}
        {draft.status === "awaiting_payment" && <PayNowButton applicationId={draft.serverId} />}
        <SatisfactionQuestion draft={draft} />
        <h2 class="kern-heading-medium">{t("sent.next_heading")}</h2>
        <ul class="kern-list kern-list--bullet">
          <li>{t("sent.next_receipt")}</li>
          <li>{t("sent.next_status")}</li>
          <li>{t("sent.next_counter")}</li>
        </ul>
        <ul class="kern-list link-list">
          <li>
            <Link class="kern-link" href={`/antraege/${draft.serverId}`}>{t("sent.to_application")}</Link>
          </li>
          <li>
            <Link class="kern-link" href="/postfach">{t("sent.to_inbox")}</Link>
          </li>
          <li>
            <Link class="kern-link" href="/">{t("sent.to_start")}</Link>
          </li>
        </ul>
      </Page>
    );
  }
  if (draft.state === "queued") {
    return (
      <Page title={t("sent.queued_page_title")} caption={pick(draft.title)}>
        <Alert kind="info" title={t("sent.queued_title")}>
          <p class="kern-body">{t("sent.queued_text")}</p>
        </Alert>
        <p class="kern-body">{isOnline ? t("sent.queued_trying") : t("sent.queued_offline")}</p>
        <ul class="kern-list link-list">
          <li>
            <Link class="kern-link" href="/antraege">{t("nav.applications")}</Link>
          </li>
          <li>
            <Link class="kern-link" href={`/antrag/${draft.localId}/pruefen`}>{t("sent.queued_review")}</Link>
          </li>
        </ul>
      </Page>
    );
  }
  return (
    <Page title={t("sent.not_sent_title")} caption={pick(draft.title)}>
      <Alert kind="danger" title={t("sent.not_sent_text")} />
      <p>
        <Link class="kern-btn kern-btn--primary" href={`/antrag/${draft.localId}/pruefen`}>
          <span class="kern-label">{t("sent.fix")}</span>
        </Link>
      </p>
    </Page>
  );
}
