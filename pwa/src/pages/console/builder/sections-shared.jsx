// Small pieces the builder's sections (general, fees, workflow, documents, rules, texts)
// share: loader paths from key lists, labelled checkboxes and selects that can be
// switched off for read-only versions, move/remove buttons naming their item, the
// choices of a parts-catalogue list, and a polite live region for changes made by a
// button (a rule moved, a status removed).
import { Button } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { SelectField } from "../city-shared.jsx";
import { inputIdFor, problemsAt, problemsUnder } from "./paths.js";
import "./sections.css";

/** The loader's path for a list of keys: ["fees", "rules", 0, "label"] → "fees.rules[0].label". */
export function pathOf(keys) {
  return keys.reduce((path, key) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key), "");
}

/** The problems at ``path`` as one error text for an input (undefined when there are none). */
export function errorAt(problems, path) {
  return problemsAt(problems, path).join(" ") || undefined;
}

/** ``t(key)``, or ``fallback`` when the catalogue has no such text (a plugin's own name). */
export function textOr(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

/**
 * [value, label] pairs of a parts-catalogue list: plain names are labelled from the
 * catalogue under ``prefix`` (or shown as they are), registered plugins by their label.
 * A ``current`` value the catalogue does not know stays selectable, so it is not lost.
 */
export function partChoices(list, prefix, current) {
  const choices = (list || []).map((item) =>
    typeof item === "string" ? [item, prefix ? textOr(`${prefix}.${item}`, item) : item] : [item.name, pick(item.label) || item.name],
  );
  if (current && !choices.some(([value]) => value === current)) choices.push([current, current]);
  return choices;
}

/** A parts-catalogue entry by name (plugins carry a label and a description). */
export function partEntry(list, name) {
  return (list || []).find((item) => (typeof item === "string" ? item === name : item.name === name));
}

/** A labelled select in KERN markup with an error at its path (the console's select, with
 * ``choices`` as [value, text] pairs and ``empty`` as the text of an empty first choice). */
export function Select({ choices, empty, ...props }) {
  return <SelectField {...props} options={choices} placeholder={empty} />;
}

/** A single text input without the KERN wrapper's visible label (for table cells). */
export function CellInput({ id, label, error, value, onInput, multiline = false, rows = 3, ...props }) {
  const Tag = multiline ? "textarea" : "input";
  return (
    <div class={error ? "kern-form-input kern-form-input--error sec-cell" : "kern-form-input sec-cell"}>
      <label class="visually-hidden" for={id}>
        {label}
      </label>
      {error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{error}</span>
        </p>
      )}
      <Tag
        class={error ? "kern-form-input__input kern-form-input__input--error" : "kern-form-input__input"}
        id={id}
        name={id}
        type={multiline ? undefined : "text"}
        rows={multiline ? rows : undefined}
        value={value ?? ""}
        aria-describedby={error ? `${id}-error` : undefined}
        aria-invalid={error ? "true" : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
        {...props}
      />
    </div>
  );
}

/** A labelled checkbox with an optional hint and the problems at its path. */
export function Checkbox({ id, label, hint, error, checked, onChange }) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="sec-check">
      {error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{error}</span>
        </p>
      )}
      <div class="kern-form-check">
        <input
          class={error ? "kern-form-check__checkbox kern-form-check__checkbox--error" : "kern-form-check__checkbox"}
          type="checkbox"
          id={id}
          name={id}
          checked={Boolean(checked)}
          aria-describedby={describedBy}
          aria-invalid={error ? "true" : undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <label class="kern-label" for={id}>
          {label}
        </label>
      </div>
      {hint && (
        <div class="kern-hint sec-check__hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}

/** Problems that concern a whole item or list (not one input), shown where it starts;
 * the element carries the path's id so the frame's problem list can jump to it. */
export function ItemProblems({ problems, path, below = [] }) {
  // ``below``: parts of the item no input here edits; their problems are shown here too.
  const messages = [...problemsAt(problems, path), ...below.flatMap((prefix) => problemsUnder(problems, prefix).map((problem) => problem.message))];
  return (
    <div id={inputIdFor(path)} tabIndex={-1} class="sec-item-problems">
      {messages.map((message, index) => (
        <p class="kern-error" key={`${index}-${message}`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{message}</span>
        </p>
      ))}
    </div>
  );
}

/** "nach oben", "nach unten" and "entfernen" for item ``index`` of ``count``, each naming
 * the item ("Regel „Gebühr“ nach oben"). ``listId`` (the list's input id) gives the move
 * buttons ids, so that focus follows the moved item to its new place. */
export function ItemActions({ name, index, count, onMove, onRemove, removeLabel, listId }) {
  const buttonId = (at, direction) => (listId ? `${listId}-${at}-${direction}` : undefined);
  const moveTo = (to, direction) => {
    onMove(index, to);
    if (!listId) return;
    // After the list is drawn again: the same button of the moved item, or its other
    // one when it reached an end of the list.
    setTimeout(() => {
      const same = document.getElementById(buttonId(to, direction));
      const other = document.getElementById(buttonId(to, direction === "up" ? "down" : "up"));
      (same && !same.disabled ? same : other)?.focus();
    });
  };
  return (
    <div class="sec-item-actions">
      {onMove && (
        <>
          <Button variant="tertiary" id={buttonId(index, "up")} disabled={index === 0} onClick={() => moveTo(index - 1, "up")}>
            {t("console.builder.sections.move_up", { name })}
          </Button>
          <Button variant="tertiary" id={buttonId(index, "down")} disabled={index === count - 1} onClick={() => moveTo(index + 1, "down")}>
            {t("console.builder.sections.move_down", { name })}
          </Button>
        </>
      )}
      {onRemove && (
        <Button variant="secondary" onClick={() => onRemove(index)}>
          {removeLabel || t("console.builder.sections.remove", { name })}
        </Button>
      )}
    </div>
  );
}

/** "Entfernen" for a table row: short on screen, naming its item for screen readers. */
export function RemoveInRow({ name, onClick }) {
  return (
    <Button variant="tertiary" onClick={onClick}>
      {t("console.builder.sections.remove_short")}
      <span class="visually-hidden"> ({name})</span>
    </Button>
  );
}

/** A whole number typed as text; anything else is kept as typed, so that the server
 * names the problem at the field instead of the editor dropping what was typed. */
export function wholeNumber(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** A key not used yet in ``taken``: ``base_1``, ``base_2`` … */
export function freshId(base, taken) {
  const used = new Set(taken);
  for (let number = 1; ; number += 1) {
    const candidate = `${base}_${number}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Every field of the form with the step it is on and the repeat group it sits in. */
export function formFields(definition) {
  const found = [];
  (definition.steps || []).forEach((step, stepIndex) => {
    (step?.fields || []).forEach((field) => {
      if (!field?.id) return;
      found.push({ field, step: stepIndex, group: null });
      for (const inner of field.fields || []) if (inner?.id) found.push({ field: inner, step: stepIndex, group: field });
    });
  });
  return found;
}

/**
 * The fields a condition evaluated for one item of repeat group ``groupId`` may name
 * (as the rule editor's ``fieldScope``): the item's own fields by their plain ids, and
 * every field outside repeat groups. Without a group: the fields outside groups.
 */
export function itemScope(definition, groupId) {
  const top = (definition.steps || []).flatMap((step) => step?.fields || []).filter((field) => field?.id);
  const refs = top.map((field) => ({ ref: field.id, field, label: fieldName(field) }));
  const group = top.find((field) => field.id === groupId && field.type === "repeat");
  for (const inner of group?.fields || []) {
    if (inner?.id) refs.push({ ref: inner.id, field: inner, label: `${fieldName(group)} › ${fieldName(inner)}` });
  }
  return refs;
}

/** A field's label in the current language, else its id. */
export function fieldName(field) {
  return pick(field?.label) || field?.id || "";
}

/** The workflow's table: the definition's own, or the named one from the catalogue. */
export function workflowTable(definition, parts) {
  const workflow = definition.workflow;
  if (workflow && typeof workflow === "object") return workflow;
  const named = (parts?.workflows || []).find((item) => item.name === workflow);
  return named?.workflow || null;
}

/** [id, label] choices of the workflow's statuses. */
export function statusChoices(definition, parts) {
  const table = workflowTable(definition, parts);
  return (table?.statuses || []).filter((status) => status?.id).map((status) => [status.id, pick(status.label) ? `${pick(status.label)} (${status.id})` : status.id]);
}

/** A section's body (the editor page gives it its heading): an introduction and, for
 * read-only versions, every input switched off at once (a disabled fieldset disables
 * everything inside it). */
export function SectionFrame({ titleKey, introKey, readOnly, children }) {
  return (
    <div class="sec kern-stack">
      {introKey && <p class="kern-body">{t(introKey)}</p>}
      <fieldset class="sec-body kern-stack" disabled={readOnly}>
        <legend class="visually-hidden">{t(titleKey)}</legend>
        {children}
      </fieldset>
    </div>
  );
}
