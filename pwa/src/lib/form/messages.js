// Problem texts for the citizen: the server's validation catalogue (shared file), a
// definition's own wording, and parameters formatted for the reader's language.
import { formatDate, pick, t } from "../i18n.js";

export function problemText(problem) {
  if (problem.rendered) return problem.rendered;
  const params = {};
  for (const [name, value] of Object.entries(problem.params || {})) {
    params[name] = name.endsWith("_date") ? formatDate(value) : value;
  }
  const custom = problem.message;
  if (custom && typeof custom === "object") {
    return pick(custom).replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return t(custom || `validation.${problem.code}`, params);
}

/**
 * "Name of the dog (Dog 1)", "Address – Street": the field as the error summary names
 * it, precise enough that two problems never read the same.
 */
export function fieldName(field, itemIndex, repeat, path = "") {
  let label = pick(field.label);
  const part = field.type === "address" && /\.(street|house_number|postal_code|city)$/.exec(path);
  if (part) label = `${label} – ${t(`address.${part[1]}`)}`;
  if (itemIndex === undefined || itemIndex === null || !repeat) return label;
  return `${label} (${pick(repeat.item_label || repeat.label).replace("{n}", itemIndex + 1)})`;
}
