// Turns a service definition into the pages the citizen goes through: one question or
// a small group per page, one page per item of a repeat group (one dog, one bin), and
// only the pages that have something visible for the answers given so far.
import { evaluate } from "./conditions.js";
import { effective } from "./clean.js";
import { cityToday } from "./dates.js";

// A page holds up to four questions; an address counts as two.
const MAX_WEIGHT = 4;
const weightOf = (field) => (field.type === "address" ? 2 : 1);

function referenced(condition, out = []) {
  if (!condition) return out;
  for (const key of ["all", "any"]) if (condition[key]) condition[key].forEach((part) => referenced(part, out));
  if (condition.not) referenced(condition.not, out);
  // "group.field" reads the group's answer.
  if (condition.field) out.push(condition.field.split(".")[0]);
  return out;
}

/** Split fields without repeat groups into evenly sized pages (no lone leftover question). */
function balance(fields) {
  const follows = (field, chunk) => referenced(field.visible_if).some((id) => chunk.some((other) => other.id === id));
  let total = 0;
  const placed = [];
  for (const field of fields) {
    const dependent = follows(field, placed);
    if (!dependent) total += weightOf(field);
    placed.push(field);
  }
  const pages = Math.max(1, Math.ceil(total / MAX_WEIGHT));
  const target = total / pages;
  const chunks = [];
  let current = [];
  let weight = 0;
  for (const field of fields) {
    const dependent = follows(field, current);
    // Fields shown under the same condition belong together (a spouse's two names).
    const previous = current[current.length - 1];
    const sameCondition = field.visible_if && previous && JSON.stringify(field.visible_if) === JSON.stringify(previous.visible_if);
    if (current.length && !dependent && !sameCondition && weight >= target - 1e-9 && chunks.length < pages - 1) {
      chunks.push(current);
      current = [];
      weight = 0;
    }
    current.push(field);
    if (!dependent) weight += weightOf(field);
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Split a step's fields into pages: one question or a small group per page; a field
 * shown because of another stays on that one's page; a repeat group gets its own pages.
 */
export function chunkFields(fields) {
  const chunks = [];
  let run = [];
  for (const field of fields) {
    if (field.type !== "repeat") {
      run.push(field);
      continue;
    }
    if (run.length) chunks.push(...balance(run));
    chunks.push([field]);
    run = [];
  }
  if (run.length) chunks.push(...balance(run));
  return chunks;
}

/**
 * What the form looks like for these answers: which steps and fields are visible and
 * the values conditions see (visible, non-empty answers, as the server's "effective").
 */
export function formState(definition, answers, today = cityToday()) {
  const values = {};
  const visible = {};
  const stepVisible = {};
  const items = {};
  for (const step of definition.steps) {
    stepVisible[step.id] = evaluate(step.visible_if, (name) => values[name], today);
    for (const field of step.fields) {
      const shown = stepVisible[step.id] && evaluate(field.visible_if, (name) => values[name], today);
      visible[field.id] = shown;
      if (!shown) continue;
      if (field.type === "repeat") {
        const rawItems = Array.isArray(answers[field.id]) ? answers[field.id] : [];
        items[field.id] = rawItems.map((raw) => itemState(field, raw || {}, values, today));
        values[field.id] = items[field.id].map((item) => item.values);
        continue;
      }
      const value = effective(field, answers[field.id], today);
      if (value !== undefined) values[field.id] = value;
    }
  }
  return { values, visible, stepVisible, items };
}

/** Visibility and effective values inside one repeat item (item fields, then the form's). */
export function itemState(repeat, raw, topValues, today = cityToday()) {
  const values = {};
  const visible = {};
  const lookup = (name) => (repeat.fields.some((f) => f.id === name) ? values[name] : topValues[name]);
  for (const field of repeat.fields) {
    visible[field.id] = evaluate(field.visible_if, lookup, today);
    if (!visible[field.id]) continue;
    const value = effective(field, raw[field.id], today);
    if (value !== undefined) values[field.id] = value;
  }
  return { values, visible };
}

/** Every page with its visible fields, in order; hidden pages are left out. */
export function buildPages(definition, answers, today = cityToday()) {
  const state = formState(definition, answers, today);
  const pages = [];
  for (const step of definition.steps) {
    if (!state.stepVisible[step.id]) continue;
    const chunks = chunkFields(step.fields);
    chunks.forEach((chunk, index) => {
      const part = chunks.length > 1 ? index + 1 : null;
      if (chunk[0].type === "repeat") {
        const repeat = chunk[0];
        if (!state.visible[repeat.id]) return;
        const count = Math.max((answers[repeat.id] || []).length, repeat.min_items === 0 ? 0 : 1);
        if (count === 0) {
          pages.push({ key: `${repeat.id}-0`, step, repeat: { field: repeat, index: -1, count }, fields: [], visibleFields: [] });
          return;
        }
        for (let i = 0; i < count; i += 1) {
          const item = state.items[repeat.id]?.[i] || itemState(repeat, {}, state.values, today);
          pages.push({
            key: `${repeat.id}-${i + 1}`,
            step,
            repeat: { field: repeat, index: i, count },
            fields: repeat.fields,
            visibleFields: repeat.fields.filter((field) => item.visible[field.id]),
          });
        }
        return;
      }
      const visibleFields = chunk.filter((field) => state.visible[field.id]);
      if (!visibleFields.length) return;
      pages.push({ key: part ? `${step.id}-${part}` : step.id, step, part, parts: chunks.length, fields: chunk, visibleFields, repeat: null });
    });
  }
  return pages;
}

/** The page that shows the answer at ``path`` ("dogs[1].breed", "holder_address.street"). */
export function pageForPath(pages, path) {
  const repeatMatch = /^([^[.]+)\[(\d+)\]/.exec(path);
  if (repeatMatch) {
    const key = `${repeatMatch[1]}-${Number(repeatMatch[2]) + 1}`;
    return pages.find((page) => page.key === key) || pages.find((page) => page.repeat?.field.id === repeatMatch[1]);
  }
  const fieldId = path.split(".")[0];
  return pages.find((page) => page.fields.some((field) => field.id === fieldId) || page.repeat?.field.id === fieldId);
}

/** The element id of an answer's input: "dogs[1].breed" -> "f-dogs-1-breed". */
export function inputId(path) {
  return `f-${path.replace(/\[(\d+)\]/g, "-$1").replace(/\./g, "-")}`;
}
