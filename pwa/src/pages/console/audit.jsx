// The audit log in the console: who did what to which subject when, filtered by the
// actor's address, a citizen's address (every access to their account, applications,
// notices and payments), action, subject and time range; newest first, in pages.
import { useEffect, useState } from "preact/hooks";
import { Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { apiGet } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import "./feedback.css";
import { ConsolePage } from "./layout.jsx";
import { DataTable } from "./city-shared.jsx";

const PAGE_SIZE = 50;
const EMPTY = { actor: "", citizen: "", action: "", subject_type: "", subject_id: "", since: "", until: "" };

/** A readable name for an action; the stored name when there is no text for it. */
export function actionLabel(action) {
  const key = `console.audit.action.${action}`;
  const text = t(key);
  return text === key ? action : text;
}

function subjectLabel(type) {
  const key = `console.audit.subject.${type}`;
  const text = t(key);
  return text === key ? type : text;
}

/** A day (yyyy-mm-dd, local time) as the start of that day in UTC; ``end`` the next day's. */
function dayBoundary(day, end = false) {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(year, month - 1, date + (end ? 1 : 0)).toISOString();
}

function query(filters, beforeId) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const name of ["actor", "citizen", "action", "subject_type", "subject_id"]) {
    if (filters[name].trim()) params.set(name, filters[name].trim());
  }
  if (filters.since) params.set("since", dayBoundary(filters.since));
  if (filters.until) params.set("until", dayBoundary(filters.until, true));
  if (beforeId) params.set("before_id", String(beforeId));
  return `/api/admin/audit?${params}`;
}

function details(event) {
  return Object.entries(event.details || {})
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : value}`)
    .join(", ");
}

export function ConsoleAuditPage() {
  return (
    <ConsolePage title={t("console.audit.title")}>
      <AuditLog />
    </ConsolePage>
  );
}

function AuditLog() {
  const { data: actions } = useResource("/api/admin/audit/actions");
  const [filters, setFilters] = useState(EMPTY);
  const [applied, setApplied] = useState(EMPTY);
  const [rows, setRows] = useState(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState(null);
  const [problems, setProblems] = useState([]);
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
  const set = (name) => (value) => setFilters({ ...filters, [name]: value });
  const submit = (event) => {
    event.preventDefault();
    if (filters.since && filters.until && filters.until < filters.since) {
      setProblems([{ field: "audit-until", message: t("console.audit.until_before_since") }]);
      return;
    }
    setProblems([]);
    setApplied(filters);
  };
  const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
  return (
    <>
      <p class="kern-body">{t("console.audit.intro")}</p>
      <form class="kern-stack" aria-label={t("console.audit.filters")} onSubmit={submit} noValidate>
        <ErrorSummary errors={problems} />
        <div class="console-filters">
          <TextField id="audit-citizen" label={t("console.audit.citizen")} hint={t("console.audit.citizen_hint")} type="email" value={filters.citizen} onInput={set("citizen")} />
          <TextField id="audit-actor" label={t("console.audit.actor")} hint={t("console.audit.actor_hint")} type="email" value={filters.actor} onInput={set("actor")} />
          <div class="kern-form-input">
            <label class="kern-label" for="audit-action">{t("console.audit.action")}</label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="audit-action" value={filters.action} onChange={(e) => set("action")(e.currentTarget.value)}>
                <option value="">{t("console.audit.all")}</option>
                {(actions?.actions || []).map((action) => (
                  <option key={action} value={action}>{actionLabel(action)}</option>
                ))}
              </select>
            </div>
          </div>
          <TextField id="audit-subject-type" label={t("console.audit.subject_type")} hint={t("console.audit.subject_type_hint")} value={filters.subject_type} onInput={set("subject_type")} maxLength={32} />
          <TextField id="audit-subject-id" label={t("console.audit.subject_id")} value={filters.subject_id} onInput={set("subject_id")} maxLength={64} />
          <TextField id="audit-since" label={t("console.audit.since")} type="date" value={filters.since} onInput={set("since")} />
          <TextField id="audit-until" label={t("console.audit.until")} type="date" value={filters.until} onInput={set("until")} error={byField["audit-until"]} />
        </div>
        <div class="kern-btn-wrapper">
          <Button type="submit" variant="secondary">{t("console.audit.apply")}</Button>
          <Button variant="tertiary" onClick={() => { setFilters(EMPTY); setProblems([]); setApplied(EMPTY); }}>{t("console.audit.reset")}</Button>
        </div>
      </form>
      <LoadError error={error} />
      {!rows && !error && <Loading />}
      {rows && (
        <p class="kern-body" role="status">
          {t("console.audit.count", { count: rows.length })}
        </p>
      )}
      {rows && rows.length > 0 && (
        <DataTable caption={t("console.audit.table")} hiddenCaption head={[t("console.audit.col_at"), t("console.audit.col_actor"), t("console.audit.col_action"), t("console.audit.col_subject"), t("console.audit.col_details")]}>
          {rows.map((event) => (
            <tr class="kern-table__row" key={event.id}>
              <td class="kern-table__cell">{formatDateTime(event.at)}</td>
              <td class="kern-table__cell audit-details">{event.actor_email || t("console.audit.system")}</td>
              <td class="kern-table__cell">{actionLabel(event.action)}</td>
              <td class="kern-table__cell">
                {event.subject_type ? `${subjectLabel(event.subject_type)} ${event.subject_id}`.trim() : "–"}
              </td>
              <td class="kern-table__cell audit-details">{details(event) || "–"}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {more && (
        <div class="kern-btn-wrapper">
          <Button variant="secondary" onClick={() => load(rows[rows.length - 1].id)}>{t("console.audit.more")}</Button>
        </div>
      )}
    </>
  );
}
