// One application for a clerk: applicant, answers, attachments, history in sentences
// with internal notes, assignment, a decision in one step with the service's default
// message to the citizen (editable) and the values the service asks of the clerk at that
// decision (prefilled with its proposal), notes, and the hand-offs to specialist systems.
import { useEffect, useState } from "preact/hooks";
import { FeeStatement } from "../../components/fee-info.jsx";
import { Alert, Badge, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireStaff } from "../../components/require-staff.jsx";
import { StatusBadge } from "../../components/status-badge.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api, session } from "../../lib/api.js";
import { formatDate, formatDateTime, locale, pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { PermitSection } from "./permit-block.jsx";
import { HandoffSection } from "./handoff-section.jsx";
import { AssignToColleague, colleagueName } from "./assign.jsx";
import { DetailShortcuts } from "./detail-shortcuts.jsx";
import { DecidedValues, DecisionFields } from "./decision-fields.jsx";
import { decisionInputId, startTexts, valuesToSend } from "./decision-values.js";
// Registers the staff catalogue (status and decision texts).
import "./status-labels.js";

// Who acted, when the history has a role rather than a person's address.
const ACTOR = { citizen: "staff.by_applicant", staff: "staff.by_staff", system: "timeline.by_system" };

export function StaffDetailPage({ reference }) {
  return (
    <RequireStaff title={t("staff.detail_title")}>
      <StaffDetail reference={reference} />
    </RequireStaff>
  );
}

function StatusChange({ data, onChanged }) {
  const [to, setTo] = useState("");
  const [message, setMessage] = useState("");
  // What the clerk typed into the decision's value inputs, by field id.
  const [texts, setTexts] = useState({});
  const [attempt, setAttempt] = useState(0);
  // The server's field names become the form's.
  const inputOf = (field) => (field === "message" ? "status-message" : field.startsWith("values.") ? decisionInputId(field.slice(7)) : "status-to");
  const { error, setError, run } = useAction({
    onError: (caught) => (caught.fieldErrors?.length ? { message: null, fieldErrors: caught.fieldErrors.map((e) => ({ ...e, field: inputOf(e.field) })) } : caught),
  });
  const action = data.staff_actions.find((a) => a.to === to);
  const silent = action?.notify === false;
  const choose = (option) => {
    // The chosen step's default message, unless the clerk has written words of their own.
    if (!message.trim() || message === action?.message_template) setMessage(option.message_template || "");
    // Another decision starts from its own proposals.
    if (option.to !== to) setTexts(startTexts(option.fields, locale.get()));
    setTo(option.to);
  };
  const submit = async (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    if (!to) return setError({ message: null, fieldErrors: [{ field: "status-to", message: t("staff.choose_status") }] });
    if (action?.message_required && !message.trim())
      return setError({ message: null, fieldErrors: [{ field: "status-message", message: t("staff.message_required") }] });
    return run(async () => {
      const values = valuesToSend(action?.fields, texts);
      const updated = await api("POST", `/api/staff/applications/${data.reference}/transitions`, { to, message: silent ? "" : message, values });
      onChanged(updated, action.label, !silent);
      setTo("");
      setMessage("");
      setTexts({});
    });
  };
  if (!data.staff_actions.length) return <p class="kern-body">{t("staff.no_actions")}</p>;
  const errors = {};
  for (const item of error?.fieldErrors || []) errors[item.field] ??= item.message;
  return (
    <form onSubmit={submit} novalidate class="kern-stack">
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
      <fieldset class={errors["status-to"] ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"}>
        <legend class="kern-label">{t("staff.new_status")}</legend>
        {errors["status-to"] && <p class="kern-error"><span class="kern-body">{errors["status-to"]}</span></p>}
        <div class="kern-fieldset__body">
          {data.staff_actions.map((option, index) => (
            <div class="kern-form-check" key={option.to}>
              <input class="kern-form-check__radio" type="radio" name="status-to" id={index === 0 ? "status-to" : `status-to-${option.to}`} checked={to === option.to} onChange={() => choose(option)} />
              <label class="kern-label" for={index === 0 ? "status-to" : `status-to-${option.to}`}>
                {option.label}
                {option.message_required && ` ${t("staff.needs_message")}`}
                {option.notify === false && ` ${t("staff_decision.silent")}`}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <DecisionFields fields={action?.fields} texts={texts} errors={errors} onChange={(id, text) => setTexts({ ...texts, [id]: text })} />
      {silent ? (
        <p class="kern-body" id="status-silent">{t("staff_decision.silent_hint")}</p>
      ) : (
        <TextField
          id="status-message"
          label={t("staff.message_label")}
          hint={action?.message_template ? t("staff_decision.template_hint") : t("staff.message_hint")}
          value={message}
          error={errors["status-message"]}
          onInput={setMessage}
          multiline
          maxLength={4000}
        />
      )}
      <div class="kern-btn-wrapper">
        <Button type="submit">{t("staff.change_status")}</Button>
      </div>
    </form>
  );
}

function NoteForm({ data, onAdded }) {
  const [text, setText] = useState("");
  const { error, setError, run } = useAction({ onError: (caught) => caught.message });
  const submit = (event) => {
    event.preventDefault();
    if (!text.trim()) return setError(t("staff.note_required"));
    return run(async () => {
      onAdded(await api("POST", `/api/staff/applications/${data.reference}/notes`, { text }));
      setText("");
    });
  };
  return (
    <form onSubmit={submit} novalidate class="kern-stack">
      <TextField id="note-text" label={t("staff.note_label")} hint={t("staff.note_hint")} value={text} error={error} onInput={setText} multiline maxLength={4000} />
      <div class="kern-btn-wrapper">
        <Button type="submit" variant="secondary">{t("staff.note_add")}</Button>
      </div>
    </form>
  );
}

function StaffDetail({ reference }) {
  const current = useSignal(session);
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  useEffect(() => {
    api("GET", `/api/staff/applications/${encodeURIComponent(reference)}`).then(setData, setError);
  }, [reference]);
  if (error) return <Page title={t("staff.detail_title")}><LoadError error={error} /></Page>;
  if (!data) return <Page title={t("staff.detail_title")}><Loading /></Page>;
  const assign = async (assigneeId) => {
    setData(await api("PUT", `/api/staff/applications/${data.reference}/assignee`, { assignee_id: assigneeId }));
    setNotice(assigneeId ? t("staff.assigned_to_me") : t("staff.released"));
  };
  const mine = data.assigned_to === current.user.id;
  return (
    <Page title={pick(data.title)} caption={data.reference_display} wide>
      <p>
        <Link class="kern-link" href="/sachbearbeitung">{t("staff.back")}</Link>
      </p>
      {notice && <Alert kind="success" title={notice} />}
      {data.applicant.account_closed && (
        <Alert kind="warning" title={t("staff.account_closed_title")} live={false}>
          <p class="kern-body">{t("staff.account_closed_text")}</p>
        </Alert>
      )}
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("detail.status")}</dt>
          <dd class="kern-description-list-item__value">
            <StatusBadge status={data.status} label={data.status_label} />
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("staff.applicant")}</dt>
          <dd class="kern-description-list-item__value">
            {data.applicant.name || "–"} · {data.applicant.email || t("staff.account_closed_short")} · {t(`trust.${data.applicant.trust_level}`)}
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("detail.submitted")}</dt>
          <dd class="kern-description-list-item__value">{formatDateTime(data.submitted_at)}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("staff_ws.due")}</dt>
          <dd class="kern-description-list-item__value">
            {data.due_at ? formatDate(data.due_at) : t("staff_ws.no_due")}
            {data.overdue && <> <Badge kind="danger">{t("staff_ws.overdue")}</Badge></>}
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("staff.assignee")}</dt>
          <dd class="kern-description-list-item__value">
            {mine ? t("staff.assigned_me") : data.assigned_to ? t("staff.assigned_other") : t("staff.unassigned")}
          </dd>
        </div>
      </dl>
      <div class="kern-btn-wrapper">
        {mine ? (
          <Button variant="secondary" onClick={() => assign(null)}>{t("staff.release")}</Button>
        ) : (
          <Button variant="secondary" onClick={() => assign(current.user.id)}>{t("staff.take")}</Button>
        )}
      </div>
      <AssignToColleague
        key={data.assigned_to ?? "none"}
        data={data}
        onAssigned={(updated, person) => {
          setData(updated);
          setNotice(person ? t("staff_ws.assigned_to_named", { name: colleagueName(person) }) : t("staff.released"));
        }}
      />
      <DetailShortcuts onAssignToMe={() => (mine ? false : assign(current.user.id))} />
      {(data.warnings || []).map((warning) => (
        <Alert key={warning.field} kind="warning" title={pick(warning)} live={false} />
      ))}
      <section class="kern-stack" aria-labelledby="answers-heading">
        <h2 class="kern-heading-medium" id="answers-heading">{t("staff.answers")}</h2>
        {data.summary.map((group) => (
          <div class="answer-summary__group" key={group.title}>
            <h3 class="kern-heading-small">{group.title}</h3>
            <dl class="kern-description-list">
              {group.rows.map((row, index) => (
                <div class="kern-description-list-item" key={`${row.label}-${index}`}>
                  <dt class="kern-description-list-item__key">{row.label}</dt>
                  <dd class="kern-description-list-item__value preserve-lines">{row.value}</dd>
                </div>
              ))}
            </dl>
          </div>
        ))}
      </section>
      <section class="kern-stack" aria-labelledby="attachments-heading">
        <h2 class="kern-heading-medium" id="attachments-heading">{t("staff.attachments")}</h2>
        {data.attachments.length ? (
          <ul class="kern-list link-list">
            {data.attachments.map((file) => (
              <li key={file.upload_id}>
                <a class="kern-link" href={`/api/staff/applications/${data.reference}/attachments/${file.upload_id}`} download>
                  {file.filename}
                </a>
                <span class="kern-body kern-body--small list-meta">
                  {Math.max(1, Math.round(file.size / 1024))} KB{file.sent_with_reply && ` · ${t("staff_reply.sent_with_reply")}`}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="kern-body">{t("staff.no_attachments")}</p>
        )}
      </section>
      {data.fees?.lines?.length > 0 && (
        <section class="kern-stack" aria-labelledby="staff-fee-heading">
          <h2 class="kern-heading-medium" id="staff-fee-heading">{t("check.fee_heading")}</h2>
          <FeeStatement fees={data.fees} />
        </section>
      )}
      {data.service_id === "resident_parking" && <PermitSection applicationId={data.id} />}
      <HandoffSection key={`${data.id}-${data.status}`} applicationId={data.id} />
      <section class="kern-stack" aria-labelledby="status-heading">
        <h2 class="kern-heading-medium" id="status-heading">{t("staff_decision.heading")}</h2>
        <StatusChange
          data={data}
          onChanged={(updated, label, told) => {
            setData(updated);
            setNotice(t(told ? "staff.status_changed" : "staff_decision.changed_silent", { status: label }));
          }}
        />
      </section>
      <section class="kern-stack" aria-labelledby="notes-heading">
        <h2 class="kern-heading-medium" id="notes-heading">{t("staff.notes_heading")}</h2>
        <NoteForm
          data={data}
          onAdded={(updated) => {
            setData(updated);
            setNotice(t("staff.note_added"));
          }}
        />
      </section>
      <section class="kern-stack" aria-labelledby="history-heading">
        <h2 class="kern-heading-medium" id="history-heading">{t("staff.history")}</h2>
        <ol class="timeline">
          {data.history.map((event, index) => (
            <li class={event.internal ? "timeline__item timeline__item--internal" : "timeline__item"} key={`${event.at}-${index}`}>
              <p class="kern-body kern-body--small timeline__when">
                {formatDateTime(event.at)} · {ACTOR[event.by] ? t(ACTOR[event.by]) : event.by}
              </p>
              <p class="kern-body">
                <strong>{event.what}</strong>
              </p>
              {event.message && <p class="kern-body preserve-lines">{event.message}</p>}
              <DecidedValues values={event.values} />
              {event.files?.length > 0 && (
                <ul class="kern-list link-list" aria-label={t("staff_reply.files")}>
                  {event.files.map((file) => (
                    <li key={file.upload_id}>
                      <a class="kern-link" href={`/api/staff/applications/${data.reference}/attachments/${file.upload_id}`} download>
                        {file.filename}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}
