// Checks answers on the device, with the server's rules and message codes, so a
// citizen offline gets the same clear messages. The server stays the authority: it
// checks everything again (and what the device cannot know, like street names).
import { formState, itemState } from "./pages.js";
import { cityToday } from "./dates.js";
import { cleanValue, isEmpty, issue, missing } from "./clean.js";

/** Problems with one visible answer: [[path, {code, params, message}], ...]. */
export function checkField(field, raw, path, today = cityToday()) {
  if (field.type === "repeat") {
    if (raw !== undefined && raw !== null && !Array.isArray(raw)) return [[path, issue("invalid_value")]];
    const count = Array.isArray(raw) ? raw.length : 0;
    if (count < (field.min_items || 0)) return [[path, issue("repeat.too_few", { min_items: field.min_items })]];
    if (field.max_items && count > field.max_items) return [[path, issue("repeat.too_many", { max_items: field.max_items })]];
    return [];
  }
  if (isEmpty(raw)) return field.required ? missing(field, path) : [];
  const { value, problems } = cleanValue(field, raw, path, today);
  if (problems.length) return problems;
  if (field.type === "checkbox" && field.required && value !== true) return [[path, issue("must_accept")]];
  return [];
}

/** Problems on one page: [{path, field, item, code, params, message}]. */
export function validatePage(definition, page, answers, today = cityToday()) {
  const problems = [];
  if (page.repeat) {
    const { field: repeat, index } = page.repeat;
    if (index < 0) return checkField(repeat, answers[repeat.id], repeat.id, today).map(([path, found]) => ({ path, field: repeat, ...found }));
    const state = formState(definition, answers, today);
    const raw = (answers[repeat.id] || [])[index] || {};
    const item = itemState(repeat, raw, state.values, today);
    for (const field of repeat.fields) {
      if (!item.visible[field.id]) continue;
      for (const [path, found] of checkField(field, raw[field.id], `${repeat.id}[${index}].${field.id}`, today))
        problems.push({ path, field, item: index, ...found });
    }
    return problems;
  }
  for (const field of page.visibleFields) {
    for (const [path, found] of checkField(field, answers[field.id], field.id, today)) problems.push({ path, field, ...found });
  }
  return problems;
}

/** Problems on every visible page, with the page each one is on. */
export function validateAll(definition, pages, answers, today = cityToday()) {
  const problems = [];
  const seenRepeats = new Set();
  for (const page of pages) {
    // A group's first item page is shown before any item exists; the server sees no
    // item there, only too few of them (checked below).
    const items = page.repeat ? answers[page.repeat.field.id] : null;
    const placeholder = page.repeat && page.repeat.index >= (Array.isArray(items) ? items.length : 0);
    if (!placeholder) for (const problem of validatePage(definition, page, answers, today)) problems.push({ ...problem, page });
    const repeat = page.repeat?.field;
    if (repeat && page.repeat.index >= 0 && !seenRepeats.has(repeat.id)) {
      seenRepeats.add(repeat.id);
      for (const [path, found] of checkField(repeat, answers[repeat.id], repeat.id, today))
        problems.push({ path, field: repeat, page, ...found });
    }
  }
  return problems;
}
