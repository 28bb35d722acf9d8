// One application: status, reference, fee, documents, the status timeline, and what the
// citizen may do now (answer a question with text and files, withdraw).
import { useState } from "preact/hooks";
import { FeeStatement } from "../../components/fee-info.jsx";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { GermanDocumentNote } from "../../components/german-document-note.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { StatusBadge } from "../../components/status-badge.jsx";
import { LoadError, OfflineCopy } from "../../components/status.jsx";
import { Timeline } from "../../components/timeline.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { formatDateTime, pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { PayNowSection } from "../payments/links.jsx";
import { ReplyForm, loadReplyDraft } from "./reply-form.jsx";
import { DocumentLink } from "../../components/document-link.jsx";

export function ApplicationDetailPage({ applicationId }) {
  return (
    <RequireSignIn title={t("applications.detail_title")}>
      <ApplicationDetail applicationId={applicationId} />
    </RequireSignIn>
  );
}

function CitizenAction({ application, action, onDone }) {
  const [message, setMessage] = useState("");
  const { error, run } = useAction();
  const [open, setOpen] = useState(false);
  const formId = `action-${action.to}`;
  const submit = (event) => {
    event.preventDefault();
    return run(async () => {
      await api("POST", `/api/applications/${application.id}/transitions`, { to: action.to, message });
      onDone(action);
    });
  };
  const label = action.to === "withdrawn" ? t("detail.withdraw") : action.label;
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {label}
      </Button>
    );
  }
  return (
    <form onSubmit={submit} novalidate class="kern-stack action-form" aria-labelledby={`${formId}-heading`}>
      <h3 class="kern-heading-small" id={`${formId}-heading`}>{label}</h3>
      <ErrorSummary errors={error?.fieldErrors?.map((e) => ({ ...e, field: `${formId}-message` }))} message={error && !error.fieldErrors?.length ? error.message : null} focusToken={error} />
      {action.to === "withdrawn" && <p class="kern-body">{t("detail.withdraw_text")}</p>}
      <TextField
        id={`${formId}-message`}
        label={t("detail.message_label")}
        hint={action.message_required ? undefined : t("detail.message_optional")}
        value={message}
        error={fieldErrors(error).message}
        onInput={setMessage}
        multiline
        maxLength={4000}
      />
      <div class="kern-btn-wrapper">
        <Button type="submit">{action.to === "withdrawn" ? t("detail.withdraw_confirm") : label}</Button>
        <Button variant="tertiary" onClick={() => setOpen(false)}>{t("detail.cancel")}</Button>
      </div>
    </form>
  );
}

// Answering a query: a button first, the form once chosen (at once when an unsent
// answer was kept on this device).
function ReplyAction({ application, onDone }) {
  const [open, setOpen] = useState(() => Boolean(loadReplyDraft(application.id)?.message));
  if (!open) return <Button onClick={() => setOpen(true)}>{t("detail.answer")}</Button>;
  return <ReplyForm application={application} onSent={() => onDone({ to: application.reply_to })} onCancel={() => setOpen(false)} />;
}

function ApplicationDetail({ applicationId }) {
  const application = useResource(`/api/applications/${applicationId}`);
  const events = useResource(`/api/applications/${applicationId}/events`);
  const inbox = useResource("/api/inbox");
  const [done, setDone] = useState(null);
  const data = application.data;
  if (application.error && !data) return <Page title={t("applications.detail_title")}><LoadError error={application.error} /></Page>;
  if (!data) return <Page title={t("applications.detail_title")}><Loading /></Page>;
  const documents = (inbox.data || []).filter((message) => message.application_id === data.id && message.document);
  const afterAction = (action) => {
    setDone(action);
    application.reload();
    events.reload();
  };
  const lastMessage = [...(events.data || [])].reverse().find((event) => event.to_status === "info_requested" && event.message);
  return (
    <Page title={pick(data.title)}>
      <OfflineCopy cachedAt={application.cachedAt || events.cachedAt} />
      {done && <Alert kind="success" title={t("detail.action_done")} />}
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("detail.reference")}</dt>
          <dd class="kern-description-list-item__value reference-number">{data.reference_display || "–"}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("detail.status")}</dt>
          <dd class="kern-description-list-item__value">
            <StatusBadge status={data.status} label={data.status_label} />
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("detail.submitted")}</dt>
          <dd class="kern-description-list-item__value">{formatDateTime(data.submitted_at)}</dd>
        </div>
      </dl>
      {data.status === "info_requested" && lastMessage && (
        <Alert kind="warning" title={t("detail.question_title")} live={false}>
          <p class="kern-body">{lastMessage.message}</p>
        </Alert>
      )}
      <PayNowSection application={data} />
      {data.citizen_actions?.length > 0 && (
        <section class="kern-stack" aria-labelledby="actions-heading">
          <h2 class="kern-heading-medium" id="actions-heading">{t("detail.actions_heading")}</h2>
          {data.reply_to && <ReplyAction application={data} onDone={afterAction} />}
          {data.citizen_actions
            .filter((action) => action.to !== data.reply_to)
            .map((action) => (
              <CitizenAction key={action.to} application={data} action={action} onDone={afterAction} />
            ))}
        </section>
      )}
      <section class="kern-stack" aria-labelledby="timeline-heading">
        <h2 class="kern-heading-medium" id="timeline-heading">{t("detail.timeline_heading")}</h2>
        <LoadError error={!events.data && events.error} />
        <Timeline events={events.data} fileHref={(file) => `/api/applications/${data.id}/attachments/${file.upload_id}`} />
      </section>
      <section class="kern-stack" aria-labelledby="documents-heading">
        <h2 class="kern-heading-medium" id="documents-heading">{t("detail.documents_heading")}</h2>
        {documents.length ? (
          <ul class="kern-list link-list">
            {documents.map((message) => (
              <li key={message.id}>
                <DocumentLink href={`/api/documents/${message.document.id}`} name={message.document.title || message.document.filename}>
                  {message.document.title || message.document.filename}
                </DocumentLink>
                <span class="kern-body kern-body--small list-meta">{formatDateTime(message.created_at)}</span>
                <GermanDocumentNote name={message.document.title || message.document.filename} />
              </li>
            ))}
          </ul>
        ) : (
          <p class="kern-body">{t("detail.no_documents")}</p>
        )}
      </section>
      {data.fees?.lines?.length > 0 && (
        <section class="kern-stack" aria-labelledby="fee-heading">
          <h2 class="kern-heading-medium" id="fee-heading">{t("check.fee_heading")}</h2>
          <FeeStatement fees={data.fees} />
        </section>
      )}
      <p>
        <Link class="kern-link" href="/antraege">{t("detail.back")}</Link>
      </p>
    </Page>
  );
}
