// Building blocks the console's city screens share: a select in KERN markup, a data
// table that scrolls inside itself, a CSV file input, a confirmation step, server errors
// on form fields.
import { Button } from "../../components/forms.jsx";
import { t } from "../../lib/i18n.js";
import "./city.css";

/** A labelled select; ``options`` are [value, label] pairs, ``placeholder`` an empty first
 * choice; ``hiddenLabel`` keeps the label for screen readers only (in table cells). */
export function SelectField({ id, label, hint, error, value, onChange, options, placeholder, hiddenLabel = false }) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class={error ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
      <label class={hiddenLabel ? "visually-hidden" : "kern-label"} for={id}>
        {label}
      </label>
      {hint && (
        <div class="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{error}</span>
        </p>
      )}
      <div class="kern-form-input__select-wrapper">
        <select
          class={error ? "kern-form-input__select kern-form-input__select--error" : "kern-form-input__select"}
          id={id}
          name={id}
          value={value ?? ""}
          aria-describedby={describedBy}
          aria-invalid={error ? "true" : undefined}
          onChange={(event) => onChange(event.currentTarget.value)}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map(([optionValue, optionLabel]) => (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** A data table with a visible or hidden caption; wide tables scroll inside themselves. */
export function DataTable({ caption, hiddenCaption = false, head, children }) {
  return (
    <div class="kern-table-responsive city-table" tabIndex={0} role="region" aria-label={caption}>
      <table class="kern-table kern-table--small">
        <caption class={hiddenCaption ? "visually-hidden" : "city-table__caption"}>{caption}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            {head.map((label) => (
              <th class="kern-table__header" scope="col" key={label}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="kern-table__body">{children}</tbody>
      </table>
    </div>
  );
}

/** Asks before something that cannot be undone; the question takes focus. */
export function Confirm({ id, question, effect, confirmLabel, onConfirm, onCancel, busy }) {
  return (
    <div class="kern-stack city-confirm" role="group" aria-labelledby={id}>
      <p class="kern-body kern-body--bold" id={id} tabIndex={-1} ref={(node) => node?.focus()}>
        {question}
      </p>
      {effect && <p class="kern-body">{effect}</p>}
      <div class="kern-btn-wrapper">
        <Button onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </Button>
        <Button variant="secondary" onClick={onCancel} disabled={busy}>
          {t("console.parking.cancel")}
        </Button>
      </div>
    </div>
  );
}

/** Server field errors renamed to the form's input ids (``prefix-field``). */
export function withIds(error, prefix) {
  if (!error) return null;
  return {
    message: error.fieldErrors?.length ? null : error.message,
    fieldErrors: (error.fieldErrors || []).map((item) => ({ ...item, field: `${prefix}-${item.field}` })),
  };
}

/** A file input for a CSV upload, with a hint and every problem the server found in the file. */
export function FileInput({ id, label, hint, problems, inputRef, onChange, accept = ".csv,text/csv" }) {
  return (
    <div class={problems.length ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
      <label class="kern-label" for={id}>
        {label}
      </label>
      <div class="kern-hint" id={`${id}-hint`}>
        {hint}
      </div>
      {problems.length > 0 && (
        <div class="kern-error" id={`${id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <ul class="kern-list">
            {problems.map((message) => (
              <li class="kern-body" key={message}>
                {message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <input
        ref={inputRef}
        class="kern-form-input__input"
        type="file"
        id={id}
        name={id}
        accept={accept}
        aria-describedby={problems.length ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={problems.length ? "true" : undefined}
        onChange={(event) => onChange(event.currentTarget.files[0] || null)}
      />
    </div>
  );
}
