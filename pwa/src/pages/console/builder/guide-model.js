// The service's guide (``guide``: what to have at hand, a note per step, an example
// answer per top-level field, what happens after sending) as the builder's "Anleitung"
// edits it: plain functions on the definition, no screen, so node's tests run them.
import { isEmpty } from "../../../lib/form/clean.js";
import { formState, itemState } from "../../../lib/form/pages.js";

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const asList = (value) => (Array.isArray(value) ? value : []);

/** The literal an address example with scope city holds for the city's example address. */
export const CITY_ADDRESS = "city";

/** Whether ``field`` is an address checked against the city's street directory. */
export function isCityAddress(field) {
  return field?.type === "address" && (field.scope ?? "city") === "city";
}

/** Whether ``field`` gets no example: uploads, and choices from the portal's data (their
 * values are each portal's records, which a definition cannot name for good). */
export function takesNoExample(field) {
  return field?.type === "file" || Boolean(field?.options_from);
}

/** The steps in the form's order with their top-level fields (only those with an id). */
export function guideSteps(definition) {
  return asList(definition?.steps)
    .map((step, index) => ({ step: isObject(step) ? step : {}, index, fields: asList(step?.fields).filter((field) => isObject(field) && field.id) }))
    .filter(({ step }) => typeof step.id === "string" && step.id);
}

/**
 * What the guide names by itself under "Was Sie bereithalten sollten", so the admin need
 * not repeat it: ``[{kind: "eid"|"iban"|"documents"|"payment", fields: [label, …]}]``
 * (the fields an item comes from; labels as ``{de, en}`` texts).
 */
export function derivedBefore(definition) {
  const all = [];
  for (const { fields } of guideSteps(definition)) {
    for (const field of fields) {
      all.push(field);
      for (const inner of asList(field.fields)) if (isObject(inner)) all.push(inner);
    }
  }
  const labelled = (type) => all.filter((field) => field.type === type).map((field) => field.label || field.id);
  const derived = [];
  if (definition?.trust_level === "high") derived.push({ kind: "eid", fields: [] });
  if (definition?.trust_level === "substantial") derived.push({ kind: "substantial", fields: [] });
  if (labelled("iban").length) derived.push({ kind: "iban", fields: labelled("iban") });
  if (labelled("file").length) derived.push({ kind: "documents", fields: labelled("file") });
  if (asList(definition?.fees?.rules).length) derived.push({ kind: "payment", fields: [] });
  return derived;
}

/** ``guide`` without its empty parts; ``undefined`` when nothing is left. */
export function tidyGuide(guide) {
  if (!isObject(guide)) return undefined;
  const next = { ...guide };
  for (const key of ["steps", "examples"]) {
    if (isObject(next[key]) && !Object.keys(next[key]).length) delete next[key];
    else if (next[key] === undefined) delete next[key];
  }
  if (Array.isArray(next.before) && !next.before.length) delete next.before;
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return Object.keys(next).length ? next : undefined;
}

/** ``definition`` with ``value`` at ``keys`` inside its guide (``undefined`` removes it),
 * the guide tidied and left out when empty. */
export function withGuidePart(definition, keys, value) {
  const guide = structuredClone(isObject(definition.guide) ? definition.guide : {});
  let node = guide;
  keys.slice(0, -1).forEach((key) => {
    if (!isObject(node[key])) node[key] = {};
    node = node[key];
  });
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  const next = { ...definition };
  const tidy = tidyGuide(guide);
  if (tidy === undefined) delete next.guide;
  else next.guide = tidy;
  return next;
}

function typedNumber(text) {
  // Whole numbers are stored as numbers; anything else stays as typed, so the check on
  // saving names its problem at the input instead of the editor dropping it.
  const trimmed = text.trim();
  return /^-?\d{1,15}$/.test(trimmed) ? Number(trimmed) : text;
}

/**
 * What the citizen's field component gave as the example of ``field``: ``undefined``
 * for nothing (blank text, no choice, an address of blanks), whole numbers as numbers,
 * an address without its blank parts, a repeat group's items each so cleaned.
 */
export function exampleValue(field, value) {
  if (field?.type === "checkbox") return typeof value === "boolean" ? value : undefined;
  if (field?.type === "repeat") {
    if (!Array.isArray(value) || !value.length) return undefined;
    const inner = Object.fromEntries(asList(field.fields).filter(isObject).map((member) => [member.id, member]));
    return value.map((item) => {
      const out = {};
      for (const [key, answer] of Object.entries(isObject(item) ? item : {})) {
        const cleaned = inner[key] ? exampleValue(inner[key], answer) : answer;
        if (cleaned !== undefined) out[key] = cleaned;
      }
      return out;
    });
  }
  if (value === CITY_ADDRESS && isCityAddress(field)) return value;
  if (isEmpty(value)) return undefined;
  if (field?.type === "address" && isObject(value)) {
    return Object.fromEntries(Object.entries(value).filter(([, part]) => !isEmpty(part)));
  }
  if (field?.type === "number" && typeof value === "string") return typedNumber(value);
  return value;
}

// A date written relative to the day the guide is shown (app/service_definitions/relative_dates.py).
const RELATIVE_DATE = /^(today|[+-]\d{1,5}(wd|d|w|m|y))$/;

/** Whether ``value`` is a date example written relative to today ("-30y", "today"). */
export const isRelativeDate = (value) => typeof value === "string" && RELATIVE_DATE.test(value);

/** Whether a date field's bounds count from today: a fixed example would expire, so the
 * loader wants it relative. */
export const boundsFromToday = (field) => [field?.min_date, field?.max_date].some(isRelativeDate);

/** Notes of steps and examples of fields the form no longer has (renamed or removed):
 * ``{steps: [id, …], examples: [id, …]}``. */
export function strayParts(definition) {
  const guide = isObject(definition?.guide) ? definition.guide : {};
  const steps = guideSteps(definition);
  const stepIds = new Set(steps.map(({ step }) => step.id));
  const fieldIds = new Set(steps.flatMap(({ fields }) => fields.map((field) => field.id)));
  return {
    steps: Object.keys(isObject(guide.steps) ? guide.steps : {}).filter((id) => !stepIds.has(id)),
    examples: Object.keys(isObject(guide.examples) ? guide.examples : {}).filter((id) => !fieldIds.has(id)),
  };
}

/**
 * Which fields the examples themselves hide (``visible_if`` read with the other examples
 * as answers, as the citizen's form reads them): ``{top: Set(field id), items: {group:
 * [Set(field id) per item]}}``. A definition still being written that the form logic
 * cannot read yet hides nothing.
 */
export function hiddenByExamples(definition) {
  const hidden = { top: new Set(), items: {} };
  const examples = isObject(definition?.guide?.examples) ? definition.guide.examples : {};
  try {
    const steps = guideSteps(definition).map(({ step, fields }) => ({ ...step, fields }));
    const state = formState({ steps }, examples);
    for (const step of steps) {
      for (const field of step.fields) {
        if (!state.visible[field.id]) hidden.top.add(field.id);
        else if (field.type === "repeat" && Array.isArray(examples[field.id])) {
          hidden.items[field.id] = examples[field.id].map((item) => {
            const { visible } = itemState(field, isObject(item) ? item : {}, state.values);
            return new Set(asList(field.fields).filter((inner) => !visible[inner.id]).map((inner) => inner.id));
          });
        }
      }
    }
  } catch {
    return { top: new Set(), items: {} };
  }
  return hidden;
}
