// The permit a resident parking application led to, as clerks of the parking area see
// it, and blocking it ("Ausweis sperren"): a reason from a fixed list, a note for the
// file, then a confirmation step. The server refuses everyone else, so clerks of other
// areas simply see nothing here.
import { useEffect, useState } from "preact/hooks";
import { Alert, Badge, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { LEAVING, useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { addCatalogues, formatDate, t } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

const REASONS = ["stolen", "misuse", "issued_in_error", "other"];
const BADGE = { valid: "success", not_yet_valid: "info", expired: "warning", revoked: "danger" };

export function PermitSection({ applicationId }) {
  const [permits, setPermits] = useState(null);
  useEffect(() => {
    api("GET", `/api/staff/parking/permits?application=${encodeURIComponent(applicationId)}`).then(setPermits, () => setPermits([]));
  }, [applicationId]);
  if (!permits?.length) return null;
  const replace = (updated) => setPermits(permits.map((item) => (item.id === updated.id ? updated : item)));
  return (
    <section class="kern-stack" aria-labelledby="permit-heading">
      <h2 class="kern-heading-medium" id="permit-heading">{t("staff_permit.heading")}</h2>
      {permits.map((permit) => (
        <PermitCard key={permit.id} permit={permit} onChanged={replace} />
      ))}
    </section>
  );
}

function stateLabel(permit) {
  return permit.blocked ? t("staff_permit.state.blocked") : t(`staff_permit.state.${permit.state}`);
}

function PermitCard({ permit, onChanged }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  return (
    <div class="kern-stack">
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("staff_permit.number")}</dt>
          <dd class="kern-description-list-item__value">{permit.number}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("staff_permit.state")}</dt>
          <dd class="kern-description-list-item__value">
            <Badge kind={BADGE[permit.state] || "info"}>{stateLabel(permit)}</Badge>
            {permit.blocked && ` ${t(`staff_permit.reason.${permit.revoke_reason}`)}`}
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("staff_permit.plates")}</dt>
          <dd class="kern-description-list-item__value">{permit.plates.join(", ")}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("staff_permit.valid")}</dt>
          <dd class="kern-description-list-item__value">
            {t("staff_permit.valid_range", { from: formatDate(permit.valid_from), to: formatDate(permit.valid_to) })}
          </dd>
        </div>
      </dl>
      {done && <Alert kind="success" title={t("staff_permit.blocked_done", { number: permit.number })} />}
      {permit.state !== "revoked" && !open && (
        <div class="kern-btn-wrapper">
          <Button variant="secondary" onClick={() => setOpen(true)}>{t("staff_permit.block")}</Button>
        </div>
      )}
      {permit.state !== "revoked" && open && (
        <BlockForm
          permit={permit}
          onCancel={() => setOpen(false)}
          onBlocked={(updated) => {
            setOpen(false);
            setDone(true);
            onChanged(updated);
          }}
        />
      )}
    </div>
  );
}

function BlockForm({ permit, onCancel, onBlocked }) {
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // A refusal goes back to the form, with the server's fields named as the form's.
  const { busy, error, setError, run } = useAction({
    onError: (caught) => {
      setConfirming(false);
      setAttempt((count) => count + 1);
      return {
        message: caught.fieldErrors?.length ? null : caught.message,
        fieldErrors: (caught.fieldErrors || []).map((item) => ({ ...item, field: item.field === "note" ? "block-note" : "block-reason" })),
      };
    },
  });
  const problems = (list) => setError({ message: null, fieldErrors: list });
  const check = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    if (!reason) return problems([{ field: "block-reason", message: t("staff_permit.choose_reason") }]);
    if (reason === "other" && !note.trim()) return problems([{ field: "block-note", message: t("staff_permit.note_required") }]);
    setError(null);
    setConfirming(true);
  };
  const confirm = () =>
    run(async () => {
      onBlocked(await api("POST", `/api/staff/parking/permits/${permit.id}/block`, { reason, note }));
      return LEAVING;
    });
  const errors = fieldErrors(error);
  if (confirming) {
    return (
      <div class="kern-stack" role="group" aria-labelledby="block-confirm-question">
        <p class="kern-body kern-body--bold" id="block-confirm-question" tabIndex={-1} ref={(node) => node?.focus()}>
          {t("staff_permit.confirm_question", { number: permit.number, plates: permit.plates.join(", ") })}
        </p>
        <p class="kern-body">{t("staff_permit.confirm_effect")}</p>
        <div class="kern-btn-wrapper">
          <Button onClick={confirm} disabled={busy}>{busy ? t("staff_permit.saving") : t("staff_permit.confirm")}</Button>
          <Button variant="secondary" onClick={() => setConfirming(false)} disabled={busy}>{t("staff_permit.back")}</Button>
        </div>
      </div>
    );
  }
  return (
    <form onSubmit={check} novalidate class="kern-stack">
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
      <fieldset class={errors["block-reason"] ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"}>
        <legend class="kern-label">{t("staff_permit.reason_legend")}</legend>
        {errors["block-reason"] && <p class="kern-error"><span class="kern-body">{errors["block-reason"]}</span></p>}
        <div class="kern-fieldset__body">
          {REASONS.map((option, index) => {
            const id = index === 0 ? "block-reason" : `block-reason-${option}`;
            return (
              <div class="kern-form-check" key={option}>
                <input class="kern-form-check__radio" type="radio" name="block-reason" id={id} checked={reason === option} onChange={() => setReason(option)} />
                <label class="kern-label" for={id}>{t(`staff_permit.reason.${option}`)}</label>
              </div>
            );
          })}
        </div>
      </fieldset>
      <TextField
        id="block-note"
        label={t("staff_permit.note_label")}
        hint={t("staff_permit.note_hint")}
        value={note}
        error={errors["block-note"]}
        onInput={setNote}
        multiline
        maxLength={500}
      />
      <div class="kern-btn-wrapper">
        <Button type="submit">{t("staff_permit.next")}</Button>
        <Button variant="secondary" onClick={onCancel}>{t("staff_permit.cancel")}</Button>
      </div>
    </form>
  );
}
