// Working on several selected cases at once: assign them all to one person, or give
// them all one new status with one message; the server checks and reports each case.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { addCatalogues, t } from "../../lib/i18n.js";
import { colleagueName } from "./assign.jsx";
import de from "./locales/de.json";
import en from "./locales/en.json";
import { allStatuses } from "./status-labels.js";

addCatalogues({ de, en });

/** Everyone who may work on at least one selected case (one lookup per area). */
function useColleagues(selected) {
  const [people, setPeople] = useState([]);
  const areas = [...new Set(selected.map((item) => item.area))].sort();
  const key = areas.join(",");
  useEffect(() => {
    let cancelled = false;
    const references = areas.map((area) => selected.find((item) => item.area === area).reference);
    Promise.all(references.map((reference) => api("GET", `/api/staff/applications/${reference}/colleagues`).catch(() => [])))
      .then((lists) => {
        const byId = new Map();
        for (const person of lists.flat()) byId.set(person.id, person);
        if (!cancelled) setPeople([...byId.values()].sort((a, b) => a.email.localeCompare(b.email)));
      });
    return () => {
      cancelled = true;
    };
  }, [key]);
  return people;
}

/** The per-case report of the last bulk action. */
export function BulkReport({ report }) {
  const refused = report.results.filter((result) => !result.ok);
  return (
    <Alert kind={refused.length ? "warning" : "success"} title={t("staff_ws.report", { changed: report.changed, refused: report.refused })}>
      <ul class="kern-list">
        {report.results.map((result) => (
          <li key={result.reference}>
            {result.reference_display}: {result.ok ? t("staff_ws.report_ok") : result.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

export function BulkBar({ selected, services, me, onDone, onClear }) {
  const people = useColleagues(selected);
  const [assignee, setAssignee] = useState("");
  const [status, setStatus] = useState("");
  const [message, setMessage] = useState("");
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction();
  const references = selected.map((item) => item.reference);
  const others = people.filter((person) => person.id !== me.id);
  const assign = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    if (!assignee) return setError({ message: null, fieldErrors: [{ field: "bulk-assignee", message: t("staff_ws.assign_required") }] });
    return run(async () => {
      const assigneeId = assignee === "none" ? null : assignee === "me" ? me.id : Number(assignee);
      onDone(await api("POST", "/api/staff/bulk-assignments", { references, assignee_id: assigneeId }));
      setAssignee("");
    });
  };
  const change = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    if (!status) return setError({ message: null, fieldErrors: [{ field: "bulk-status", message: t("staff_ws.bulk_status_required") }] });
    return run(async () => {
      onDone(await api("POST", "/api/staff/bulk-transitions", { references, to: status, message }));
      setStatus("");
      setMessage("");
    });
  };
  const errors = {};
  for (const item of error?.fieldErrors || []) errors[item.field] ??= item.message;
  return (
    <section class="kern-stack staff-bulk" aria-labelledby="bulk-heading">
      <h2 class="kern-heading-small" id="bulk-heading">
        {t("staff_ws.bulk_heading")}: {selected.length === 1 ? t("staff_ws.selected_one") : t("staff_ws.selected", { count: selected.length })}
      </h2>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
      <form class="staff-filters" onSubmit={assign} novalidate>
        <div class={errors["bulk-assignee"] ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
          <label class="kern-label" for="bulk-assignee">{t("staff_ws.assign_to")}</label>
          {errors["bulk-assignee"] && <p class="kern-error" id="bulk-assignee-error"><span class="kern-body">{errors["bulk-assignee"]}</span></p>}
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="bulk-assignee" value={assignee} aria-describedby={errors["bulk-assignee"] ? "bulk-assignee-error" : undefined} onChange={(e) => setAssignee(e.currentTarget.value)}>
              <option value="">{t("staff_ws.assign_choose")}</option>
              <option value="me">{t("staff_ws.assign_me")}</option>
              {others.map((person) => (
                <option key={person.id} value={String(person.id)}>{colleagueName(person)}</option>
              ))}
              <option value="none">{t("staff_ws.assign_nobody")}</option>
            </select>
          </div>
        </div>
        <div class="kern-btn-wrapper">
          <Button type="submit" variant="secondary" disabled={busy}>{t("staff_ws.assign")}</Button>
        </div>
      </form>
      <form class="kern-stack" onSubmit={change} novalidate>
        <div class={errors["bulk-status"] ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
          <label class="kern-label" for="bulk-status">{t("staff_ws.bulk_status")}</label>
          {errors["bulk-status"] && <p class="kern-error" id="bulk-status-error"><span class="kern-body">{errors["bulk-status"]}</span></p>}
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="bulk-status" value={status} aria-describedby={errors["bulk-status"] ? "bulk-status-error" : undefined} onChange={(e) => setStatus(e.currentTarget.value)}>
              <option value="">{t("staff_ws.assign_choose")}</option>
              {allStatuses(services)
                .filter(([id]) => id !== "awaiting_payment")
                .map(([id, label]) => (
                  <option key={id} value={id}>{label}</option>
                ))}
            </select>
          </div>
        </div>
        <TextField id="bulk-message" label={t("staff_ws.bulk_message")} hint={t("staff_ws.bulk_message_hint")} value={message} onInput={setMessage} multiline maxLength={4000} />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>{t("staff_ws.change_status")}</Button>
          <Button variant="tertiary" onClick={onClear}>{t("staff_ws.clear_selection")}</Button>
        </div>
      </form>
    </section>
  );
}
