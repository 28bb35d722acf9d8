// Resident parking permits for the city: find one by its number or a licence plate, read
// its history, and revoke it with a reason (its passes go on the revocation list).
import { useState } from "preact/hooks";
import { Alert, Badge, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { asActionError, useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDate, formatDateTime, t } from "../../lib/i18n.js";
import { Confirm, DataTable } from "./city-shared.jsx";
import { ConsolePage } from "./layout.jsx";
import "./city.css";

const REASONS = ["stolen", "misuse", "issued_in_error", "other"];
const BADGE = { valid: "success", not_yet_valid: "info", expired: "warning", revoked: "danger" };

export function ConsolePermitsPage() {
  return (
    <ConsolePage title={t("console.permits.title")}>
      <Permits />
    </ConsolePage>
  );
}

const stateLabel = (permit) => (permit.blocked ? t("console.permits.state_blocked") : t(`console.permits.state_${permit.state}`));

function Permits() {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState(null);
  const [selected, setSelected] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction({
    onError: (caught) => {
      setAttempt((count) => count + 1);
      return asActionError(caught);
    },
  });
  const search = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    const text = query.trim();
    if (!text) return setError({ message: null, fieldErrors: [{ field: "permit-q", message: t("console.permits.query_needed") }] });
    setSelected(null);
    run(async () => {
      const param = encodeURIComponent(text);
      const [byNumber, byPlate] = await Promise.all([api("GET", `/api/staff/parking/permits?number=${param}`), api("GET", `/api/staff/parking/permits?plate=${param}`)]);
      const seen = new Set();
      const all = [...byNumber, ...byPlate].filter((permit) => !seen.has(permit.id) && seen.add(permit.id));
      setFound(all);
      if (all.length === 1) setSelected(all[0].id);
    });
  };
  const errors = fieldErrors(error);
  return (
    <div class="kern-stack city-page">
      <form class="kern-stack city-form" role="search" onSubmit={search} novalidate>
        <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
        <TextField id="permit-q" label={t("console.permits.query_label")} hint={t("console.permits.query_hint")} error={errors["permit-q"]} value={query} onInput={setQuery} autocomplete="off" />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>
            {t("console.permits.search")}
          </Button>
        </div>
      </form>
      {found && found.length === 0 && (
        <p class="kern-body" role="status">
          {t("console.permits.none_found")}
        </p>
      )}
      {found && found.length > 0 && (
        <DataTable caption={t("console.permits.found_caption")} head={[t("console.permits.col_number"), t("console.permits.col_zone"), t("console.permits.col_plates"), t("console.permits.col_valid"), t("console.permits.col_state"), t("console.permits.col_actions")]}>
          {found.map((permit) => (
            <tr class="kern-table__row" key={permit.id}>
              <td class="kern-table__cell">{permit.number}</td>
              <td class="kern-table__cell">{permit.zone}</td>
              <td class="kern-table__cell">{permit.plates.join(", ")}</td>
              <td class="kern-table__cell">{t("console.permits.valid_range", { from: formatDate(permit.valid_from), to: formatDate(permit.valid_to) })}</td>
              <td class="kern-table__cell">
                <Badge kind={BADGE[permit.state] || "info"}>{stateLabel(permit)}</Badge>
              </td>
              <td class="kern-table__cell">
                <Button variant="tertiary" onClick={() => setSelected(permit.id)} aria-label={t("console.permits.show_named", { number: permit.number })}>
                  {t("console.permits.show")}
                </Button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {selected && <PermitHistory key={selected} permitId={selected} />}
    </div>
  );
}

function eventText(event) {
  const base = t(`console.permits.event_${event.kind}`);
  if (event.kind === "blocked") return `${base}: ${t(`console.permits.reason_${event.reason}`)}`;
  return base;
}

function PermitHistory({ permitId }) {
  const history = useResource(`/api/staff/parking/permits/${encodeURIComponent(permitId)}/history`);
  const [revoked, setRevoked] = useState(false);
  if (history.error) return <LoadError error={history.error} />;
  if (!history.data) return <Loading />;
  const { permit, events } = history.data;
  return (
    <section class="kern-stack" aria-labelledby="permit-heading">
      <h2 class="kern-heading-medium" id="permit-heading">
        {t("console.permits.permit_heading", { number: permit.number })}
      </h2>
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("console.permits.col_state")}</dt>
          <dd class="kern-description-list-item__value">
            <Badge kind={BADGE[permit.state] || "info"}>{stateLabel(permit)}</Badge>
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("console.permits.col_plates")}</dt>
          <dd class="kern-description-list-item__value">{permit.plates.join(", ")}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("console.permits.col_zone")}</dt>
          <dd class="kern-description-list-item__value">{permit.zone}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("console.permits.col_valid")}</dt>
          <dd class="kern-description-list-item__value">{t("console.permits.valid_range", { from: formatDate(permit.valid_from), to: formatDate(permit.valid_to) })}</dd>
        </div>
      </dl>
      <DataTable caption={t("console.permits.history_caption")} head={[t("console.permits.col_when"), t("console.permits.col_event"), t("console.permits.col_plates"), t("console.permits.col_valid"), t("console.permits.col_note"), t("console.permits.col_by")]}>
        {events.map((event) => (
          <tr class="kern-table__row" key={`${event.kind}-${event.sequence}`}>
            <td class="kern-table__cell">{formatDateTime(event.at)}</td>
            <td class="kern-table__cell">{eventText(event)}</td>
            <td class="kern-table__cell">
              {event.previous_plates ? t("console.permits.plates_changed", { before: event.previous_plates.join(", "), after: event.plates.join(", ") }) : event.plates.join(", ")}
            </td>
            <td class="kern-table__cell">{t("console.permits.valid_range", { from: formatDate(event.valid_from), to: formatDate(event.valid_to) })}</td>
            <td class="kern-table__cell">{event.note || "–"}</td>
            <td class="kern-table__cell">{event.by || "–"}</td>
          </tr>
        ))}
      </DataTable>
      {revoked && <Alert kind="success" title={t("console.permits.revoked_done", { number: permit.number })} />}
      {permit.state !== "revoked" && (
        <RevokeForm
          permit={permit}
          onRevoked={() => {
            setRevoked(true);
            history.reload();
          }}
        />
      )}
    </section>
  );
}

function RevokeForm({ permit, onRevoked }) {
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction({
    onError: (caught) => {
      setConfirming(false);
      setAttempt((count) => count + 1);
      return {
        message: caught.fieldErrors?.length ? null : caught.message,
        fieldErrors: (caught.fieldErrors || []).map((item) => ({ ...item, field: item.field === "note" ? "revoke-note" : "revoke-reason" })),
      };
    },
  });
  const errors = fieldErrors(error);
  const check = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    const problems = [];
    if (!reason) problems.push({ field: "revoke-reason", message: t("console.permits.reason_needed") });
    if (reason === "other" && !note.trim()) problems.push({ field: "revoke-note", message: t("console.permits.note_needed") });
    if (problems.length) return setError({ message: null, fieldErrors: problems });
    setError(null);
    setConfirming(true);
  };
  const confirm = () =>
    run(async () => {
      await api("POST", `/api/staff/parking/permits/${permit.id}/block`, { reason, note });
      setConfirming(false);
      onRevoked();
    });
  return (
    <section class="kern-stack" aria-labelledby="revoke-heading">
      <h3 class="kern-heading-small" id="revoke-heading">
        {t("console.permits.revoke_heading")}
      </h3>
      {confirming ? (
        <Confirm
          id="revoke-question"
          question={t("console.permits.revoke_question", { number: permit.number, plates: permit.plates.join(", ") })}
          effect={t("console.permits.revoke_effect")}
          confirmLabel={t("console.permits.revoke_confirm")}
          busy={busy}
          onConfirm={confirm}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <form class="kern-stack city-form" onSubmit={check} novalidate>
          <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
          <fieldset class={errors["revoke-reason"] ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"} aria-describedby={errors["revoke-reason"] ? "revoke-reason-error" : undefined}>
            <legend class="kern-label">{t("console.permits.reason_legend")}</legend>
            {errors["revoke-reason"] && (
              <p class="kern-error" id="revoke-reason-error">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                <span class="kern-body">{errors["revoke-reason"]}</span>
              </p>
            )}
            <div class="kern-fieldset__body">
              {REASONS.map((option, index) => {
                const id = index === 0 ? "revoke-reason" : `revoke-reason-${option}`;
                return (
                  <div class="kern-form-check" key={option}>
                    <input class="kern-form-check__radio" type="radio" name="revoke-reason" id={id} checked={reason === option} onChange={() => setReason(option)} />
                    <label class="kern-label" for={id}>
                      {t(`console.permits.reason_${option}`)}
                    </label>
                  </div>
                );
              })}
            </div>
          </fieldset>
          <TextField id="revoke-note" label={t("console.permits.note_label")} hint={t("console.permits.note_hint")} error={errors["revoke-note"]} value={note} onInput={setNote} multiline maxLength={500} />
          <div class="kern-btn-wrapper">
            <Button type="submit">{t("console.permits.revoke_next")}</Button>
          </div>
        </form>
      )}
    </section>
  );
}
