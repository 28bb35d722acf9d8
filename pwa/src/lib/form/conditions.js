// visible_if, fee "when"/"where" and warning conditions, evaluated on the device exactly
// as the server does: absent answers make every leaf false except not_equals and
// is_true: false.
import { isoDay, parseDay, resolveDate } from "./dates.js";

function same(value, expected) {
  if (typeof value === "boolean" || typeof expected === "boolean") return value === expected;
  return value === expected;
}

export function evaluate(condition, lookup, today) {
  if (!condition) return true;
  if (condition.all) return condition.all.every((part) => evaluate(part, lookup, today));
  if (condition.any) return condition.any.some((part) => evaluate(part, lookup, today));
  if (condition.not) return !evaluate(condition.not, lookup, today);
  const value = lookup(condition.field);
  if ("equals" in condition) return same(value, condition.equals);
  if ("not_equals" in condition) return !same(value, condition.not_equals);
  if ("in" in condition) return condition.in.some((candidate) => same(value, candidate));
  if ("is_true" in condition) return Boolean(value) === Boolean(condition.is_true);
  const day = parseDay(value);
  if (!day) return false;
  const answer = isoDay(day);
  if ("before" in condition) return answer < isoDay(resolveDate(condition.before, today));
  return answer > isoDay(resolveDate(condition.after, today));
}

/** What conditions see of an answer: numbers as numbers, text trimmed, empty as absent. */
export function effective(field, raw) {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string" && !raw.trim()) return undefined;
  switch (field.type) {
    case "number": {
      const text = String(raw).trim().replace(",", ".");
      if (!/^[+-]?\d+(\.\d+)?$/.test(text)) return undefined;
      return Number(text);
    }
    case "checkbox":
      return raw === true || raw === "true";
    case "date": {
      const day = parseDay(raw);
      return day ? isoDay(day) : undefined;
    }
    case "text":
    case "textarea":
      return String(raw).trim();
    default:
      return raw;
  }
}
