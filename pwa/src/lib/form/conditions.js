// visible_if, fee "when"/"where" and warning conditions, evaluated on the device exactly
// as the server does: absent answers make every leaf false except not_equals and
// is_true: false. contains reads text (ignoring case) or, as "group.field", any item of a
// repeat group; greater_than / less_than read numbers or a repeat group's item count.
import { isoDay, parseIso, resolveDate } from "./dates.js";

function same(value, expected) {
  if (typeof value === "boolean" || typeof expected === "boolean") return value === expected;
  return value === expected;
}

// As the server reads an answer as true: an empty list (no dogs) or empty text is false.
function truthy(value) {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}

// A repeat group counts its items; a number is itself; anything else is no number.
function asNumber(value) {
  if (Array.isArray(value)) return value.length;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return null;
}

// "group.field" with contains: some item of the group answered the value. Only contains
// reads items (the loader refuses the others); any other operator is false, as on the server.
function anyItem(condition, lookup, name) {
  if (!("contains" in condition)) return false;
  const dot = name.indexOf(".");
  const items = lookup(name.slice(0, dot));
  const inner = name.slice(dot + 1);
  if (!Array.isArray(items)) return false;
  const isItem = (item) => item !== null && typeof item === "object" && !Array.isArray(item);
  return items.some((item) => isItem(item) && same(item[inner] ?? null, condition.contains));
}

/** Evaluate ``condition`` with ``lookup`` giving a field's cleaned answer. */
export function evaluate(condition, lookup, today) {
  if (!condition) return true;
  if (condition.all) return condition.all.every((part) => evaluate(part, lookup, today));
  if (condition.any) return condition.any.some((part) => evaluate(part, lookup, today));
  if (condition.not) return !evaluate(condition.not, lookup, today);
  const name = condition.field;
  if (name.includes(".")) return anyItem(condition, lookup, name);
  const value = lookup(name);
  if ("contains" in condition) {
    const expected = condition.contains;
    return typeof value === "string" && typeof expected === "string" && value.toLowerCase().includes(expected.toLowerCase());
  }
  if ("greater_than" in condition || "less_than" in condition) {
    const number = asNumber(value);
    if (number === null) return false;
    if ("greater_than" in condition) return number > condition.greater_than;
    return number < condition.less_than;
  }
  if ("equals" in condition) return same(value, condition.equals);
  if ("not_equals" in condition) return !same(value, condition.not_equals);
  if ("in" in condition) return condition.in.some((candidate) => same(value, candidate));
  if ("is_true" in condition) return truthy(value) === Boolean(condition.is_true);
  // Conditions see cleaned answers: dates are YYYY-MM-DD, anything else is no date.
  const day = typeof value === "string" ? parseIso(value) : null;
  if (!day) return false;
  const answer = isoDay(day);
  if ("before" in condition) return answer < isoDay(resolveDate(condition.before, today));
  return answer > isoDay(resolveDate(condition.after, today));
}
