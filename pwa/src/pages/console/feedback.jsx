// Citizens' feedback in the console: a list by status and kind (newest first, in pages)
// with each report's age, accessibility reports past their legal deadline marked; one
// report with its message, a reply by e-mail and closing or reopening.
import { useEffect, useState } from "preact/hooks";
import { Alert, Badge, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { DescriptionList } from "../../components/description-list.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api, apiGet } from "../../lib/api.js";
import { newId } from "../../lib/http.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import "./feedback.css";
import { ConsolePage } from "./layout.jsx";
import { DataTable } from "./city-shared.jsx";

const PAGE_SIZE = 25;
const STATUS_BADGE = { new: "warning", answered: "success", closed: "info" };

export function FeedbackStatus({ status }) {
  return <Badge kind={STATUS_BADGE[status] || "info"}>{t(`console.feedback.status.${status}`)}</Badge>;
}

/** The age in days; overdue accessibility reports say so in words, not only colour. */
function Age({ item }) {
  return (
    <span class="feedback-age">
      <span>{t("console.feedback.age_days", { count: item.age_days })}</span>
      {item.overdue && <Badge kind="danger">{t("console.feedback.overdue")}</Badge>}
    </span>
  );
}

function excerpt(text, length = 90) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function query(filters, beforeId) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filters.status) params.append("status", filters.status);
  if (filters.kind) params.set("kind", filters.kind);
  if (beforeId) params.set("before_id", String(beforeId));
  return `/api/admin/feedback?${params}`;
}

export function ConsoleFeedbackPage() {
  return (
    <ConsolePage title={t("console.feedback.title")}>
      <FeedbackList />
    </ConsolePage>
  );
}

function FeedbackList() {
  const [filters, setFilters] = useState({ status: "new", kind: "" });
  const [applied, setApplied] = useState(filters);
  const [rows, setRows] = useState(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState(null);
  const load = async (beforeId) => {
    setError(null);
    try {
      const { data } = await apiGet(query(applied, beforeId));
      setRows((previous) => (beforeId ? [...(previous || []), ...data] : data));
      setMore(data.length === PAGE_SIZE);
    } catch (caught) {
      setError(caught);
    }
  };
  useEffect(() => {
    load(null);
  }, [applied]);
  return (
    <>
      <p class="kern-body">{t("console.feedback.intro")}</p>
      <form
        class="console-filters"
        aria-label={t("console.feedback.filters")}
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(filters);
        }}
      >
        <div class="kern-form-input">
          <label class="kern-label" for="feedback-status">{t("console.feedback.filter_status")}</label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="feedback-status" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value })}>
              <option value="">{t("console.feedback.all")}</option>
              {["new", "answered", "closed"].map((status) => (
                <option key={status} value={status}>{t(`console.feedback.status.${status}`)}</option>
              ))}
            </select>
          </div>
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for="feedback-kind">{t("console.feedback.filter_kind")}</label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="feedback-kind" value={filters.kind} onChange={(e) => setFilters({ ...filters, kind: e.currentTarget.value })}>
              <option value="">{t("console.feedback.all")}</option>
              {["accessibility", "general"].map((kind) => (
                <option key={kind} value={kind}>{t(`console.feedback.kind.${kind}`)}</option>
              ))}
            </select>
          </div>
        </div>
        <div class="kern-btn-wrapper">
          <Button type="submit" variant="secondary">{t("console.feedback.apply")}</Button>
        </div>
      </form>
      <LoadError error={error} />
      {!rows && !error && <Loading />}
      {rows && (
        <p class="kern-body" role="status">
          {t("console.feedback.count", { count: rows.length })}
        </p>
      )}
      {rows && rows.length > 0 && (
        <DataTable caption={t("console.feedback.table")} hiddenCaption head={[t("console.feedback.col_number"), t("console.feedback.col_message"), t("console.feedback.col_kind"), t("console.feedback.col_status"), t("console.feedback.col_received"), t("console.feedback.col_age")]}>
          {rows.map((item) => (
            <tr class="kern-table__row" key={item.id}>
              <td class="kern-table__cell">
                <Link class="kern-link" href={`/verwaltung/rueckmeldungen/${item.id}`}>
                  {t("console.feedback.number", { number: item.id })}
                </Link>
              </td>
              <td class="kern-table__cell feedback-excerpt">{excerpt(item.message)}</td>
              <td class="kern-table__cell">{t(`console.feedback.kind.${item.kind}`)}</td>
              <td class="kern-table__cell"><FeedbackStatus status={item.status} /></td>
              <td class="kern-table__cell">{formatDateTime(item.created_at)}</td>
              <td class="kern-table__cell"><Age item={item} /></td>
            </tr>
          ))}
        </DataTable>
      )}
      {more && (
        <div class="kern-btn-wrapper">
          <Button variant="secondary" onClick={() => load(rows[rows.length - 1].id)}>{t("console.feedback.more")}</Button>
        </div>
      )}
    </>
  );
}

export function ConsoleFeedbackDetailPage({ feedbackId }) {
  return (
    <ConsolePage title={t("console.feedback.detail_title", { number: feedbackId })}>
      <FeedbackDetail feedbackId={feedbackId} />
    </ConsolePage>
  );
}

function FeedbackDetail({ feedbackId }) {
  const { data, error, reload } = useResource(`/api/admin/feedback/${encodeURIComponent(feedbackId)}`);
  const [notice, setNotice] = useState(null);
  const status = useAction();
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  const change = (to) =>
    status.run(async () => {
      await api("POST", `/api/admin/feedback/${data.id}/${to}`);
      setNotice(t(`console.feedback.done_${to}`));
      reload();
    });
  return (
    <>
      <p class="kern-body">
        <Link class="kern-link" href="/verwaltung/rueckmeldungen">{t("console.feedback.back")}</Link>
      </p>
      {notice && <Alert kind="success" title={notice} />}
      <ErrorSummary message={status.error?.message} errors={status.error?.fieldErrors} />
      {data.overdue && (
        <Alert kind="warning" title={t("console.feedback.overdue_title")} live={false}>
          <p class="kern-body">{t("console.feedback.overdue_text", { count: data.age_days })}</p>
        </Alert>
      )}
      <DescriptionList
        rows={[
          [t("console.feedback.col_status"), <FeedbackStatus status={data.status} />],
          [t("console.feedback.col_kind"), t(`console.feedback.kind.${data.kind}`)],
          [t("console.feedback.col_received"), `${formatDateTime(data.created_at)} (${t("console.feedback.age_days", { count: data.age_days })})`],
          [t("console.feedback.page"), data.page ? <code>{data.page}</code> : t("console.feedback.none")],
          [t("console.feedback.language"), t(`console.feedback.language.${data.locale}`)],
          [t("console.feedback.address"), data.email || t("console.feedback.no_address")],
        ]}
      />
      <section class="kern-stack" aria-labelledby="feedback-message-heading">
        <h2 class="kern-heading-medium" id="feedback-message-heading">{t("console.feedback.message")}</h2>
        <blockquote class="feedback-message kern-body">{data.message}</blockquote>
      </section>
      {data.replies.length > 0 && (
        <section class="kern-stack" aria-labelledby="feedback-replies-heading">
          <h2 class="kern-heading-medium" id="feedback-replies-heading">{t("console.feedback.replies")}</h2>
          <ol class="feedback-replies">
            {data.replies.map((reply) => (
              <li key={reply.id} class="feedback-reply">
                <p class="kern-body kern-body--small">
                  {t("console.feedback.replied_by", { who: reply.author || t("console.feedback.someone"), when: formatDateTime(reply.created_at) })}
                </p>
                <p class="kern-body"><strong>{reply.subject}</strong></p>
                <p class="kern-body feedback-message">{reply.body}</p>
              </li>
            ))}
          </ol>
        </section>
      )}
      {data.status !== "closed" &&
        (data.email ? (
          <ReplyForm item={data} onSent={() => { setNotice(t("console.feedback.sent")); reload(); }} />
        ) : (
          <Alert kind="info" title={t("console.feedback.no_reply_title")} live={false}>
            <p class="kern-body">{t("console.feedback.no_reply_text")}</p>
          </Alert>
        ))}
      <div class="kern-btn-wrapper">
        {data.status === "closed" ? (
          <Button variant="secondary" onClick={() => change("reopen")} disabled={status.busy}>{t("console.feedback.reopen")}</Button>
        ) : (
          <Button variant="secondary" onClick={() => change("close")} disabled={status.busy}>{t("console.feedback.close")}</Button>
        )}
      </div>
    </>
  );
}

function ReplyForm({ item, onSent }) {
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  // One key per reply: a repeat after a lost answer finds the first reply, mails nothing.
  const [key, setKey] = useState(newId);
  // The error summary takes the focus when the admin tries to send, not while typing.
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction();
  const errors = fieldErrors(error);
  const ids = { body: "reply-body", subject: "reply-subject" };
  const write = (value) => {
    setBody(value);
    // The missing reply is no longer missing once the admin writes one.
    if (value.trim() && errors.body) {
      const left = error.fieldErrors.filter((item) => item.field !== "body");
      setError(left.length || error.message ? { ...error, fieldErrors: left } : null);
    }
  };
  const submit = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    if (!body.trim()) {
      return setError({ message: null, fieldErrors: [{ field: "body", message: t("console.feedback.reply_required") }] });
    }
    return run(async () => {
      await api("POST", `/api/admin/feedback/${item.id}/replies`, { body, subject: subject.trim() || null }, { "Idempotency-Key": key });
      setBody("");
      setSubject("");
      setKey(newId());
      onSent();
    });
  };
  return (
    <section class="kern-stack" aria-labelledby="feedback-reply-heading">
      <h2 class="kern-heading-medium" id="feedback-reply-heading">{t("console.feedback.reply_heading")}</h2>
      <form class="kern-stack" onSubmit={submit} noValidate>
        <ErrorSummary message={error?.message} errors={(error?.fieldErrors || []).map((e) => ({ ...e, field: ids[e.field] || e.field }))} focusToken={attempt} />
        <p class="kern-body">
          {t("console.feedback.reply_intro", { email: item.email, language: t(`console.feedback.language.${item.locale}`) })}
        </p>
        <TextField id="reply-subject" label={t("console.feedback.reply_subject")} hint={t("console.feedback.reply_subject_hint")} value={subject} onInput={setSubject} error={errors.subject} maxLength={200} />
        <TextField id="reply-body" label={t("console.feedback.reply_body")} value={body} onInput={write} error={errors.body} multiline />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>{busy ? t("console.feedback.sending") : t("console.feedback.send")}</Button>
        </div>
      </form>
    </section>
  );
}
