// One cleaner per field type, the device's copy of the server's field_types/: a
// non-empty answer goes in, the normalised value the server would store comes out, or
// the problems with their message codes. tests/shared_cases holds the cases both sides
// must pass. What only the server knows (street names) is left to the server.
import { BBAN_FORMATS, SEPA_COUNTRIES } from "./iban-formats.js";
import { isoDay, parseDay, resolveDate } from "./dates.js";

export const issue = (code, params = {}, message = null) => ({ code, params, message });

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const NUMBER = /^[+-]?\d{1,15}(?:[.,]\d{1,10})?$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$/;
const PHONE = /^\+?[0-9 ()/\-]+$/;
const PLATE = /^([A-ZÄÖÜ]{1,3})\|([A-Z]{1,2})\|?([1-9][0-9]{0,3})\|?([EH])?$/;
const HOUSE_NUMBER = /^(\d{1,4})\s*([a-z]?)$/;
const POSTAL_CODE = /^[0-9]{5}$/;
const DEFAULT_MAX_LENGTH = { text: 200, textarea: 4000 };
const ADDRESS_PART_MAX = 100;
const BBAN_PART = { n: "\\d", a: "[A-Z]", c: "[A-Za-z0-9]", e: " " };

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
// Length in characters as the server counts them (an emoji is one, not two).
const length = (text) => [...text].length;

/** Whether an answer counts as not given: nothing, blank text, an empty list, an object of blanks. */
export function isEmpty(value) {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return !value.trim();
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value).every(isEmpty);
  return false;
}

/** The problems of a required field left empty (an address names each part to fill in). */
export function missing(field, path) {
  if (field.type === "checkbox") return [[path, issue("must_accept")]];
  if (field.type === "address") {
    const parts = field.scope === "any" ? ["street", "house_number", "postal_code", "city"] : ["street", "house_number"];
    return parts.map((part) => [`${path}.${part}`, issue("required")]);
  }
  return [[path, issue("required")]];
}

/** One line of text: composed characters, no control characters, single spaces, trimmed. */
export function singleLine(text) {
  return text.normalize("NFC").replace(CONTROL, "").replace(/\s+/g, " ").trim();
}

function multiLine(text) {
  const lines = text.normalize("NFC").replace(/\r\n?/g, "\n").replace(CONTROL, "").split("\n");
  return lines.map((line) => line.trimEnd()).join("\n").trim();
}

const ok = (value) => ({ value, problems: [] });
const bad = (path, code, params, message) => ({ value: undefined, problems: [[path, issue(code, params, message)]] });

function checkText(field, text, path) {
  const max = field.max_length ?? DEFAULT_MAX_LENGTH[field.type];
  if (field.min_length != null && length(text) < field.min_length) return bad(path, "text.too_short", { min_length: field.min_length });
  if (length(text) > max) return bad(path, "text.too_long", { max_length: max });
  if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, "u").test(text)) return bad(path, "text.pattern", {}, field.pattern_message);
  return ok(text);
}

function cleanNumber(field, raw, path) {
  let number;
  if (typeof raw === "number") number = raw;
  else if (typeof raw === "string" && NUMBER.test(raw.trim())) number = Number(raw.trim().replace(",", "."));
  else return bad(path, "number.invalid");
  if (!Number.isFinite(number)) return bad(path, "number.invalid");
  if (field.integer !== false && !Number.isInteger(number)) return bad(path, "number.not_integer");
  if (field.min != null && number < field.min) return bad(path, "number.too_small", { min: field.min });
  if (field.max != null && number > field.max) return bad(path, "number.too_large", { max: field.max });
  return ok(number);
}

function cleanDate(field, raw, path, today) {
  const day = typeof raw === "string" ? parseDay(raw) : null;
  if (!day) return bad(path, "date.invalid");
  const value = isoDay(day);
  if (field.min_date) {
    const bound = isoDay(resolveDate(field.min_date, today));
    if (value < bound) return bad(path, "date.too_early", { min_date: bound });
  }
  if (field.max_date) {
    const bound = isoDay(resolveDate(field.max_date, today));
    if (value > bound) return bad(path, "date.too_late", { max_date: bound });
  }
  return ok(value);
}

function cleanEmail(field, raw, path) {
  if (typeof raw !== "string") return bad(path, "email.invalid");
  const text = raw.trim();
  if (text.length > 254 || !EMAIL.test(text)) return bad(path, "email.invalid");
  const at = text.lastIndexOf("@");
  return ok(`${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`);
}

function cleanPhone(field, raw, path) {
  if (typeof raw !== "string") return bad(path, "phone.invalid");
  const text = singleLine(raw);
  const digits = text.replace(/\D/g, "");
  if (!PHONE.test(text) || digits.length < 5 || digits.length > 15 || !"+0(".includes(text[0])) return bad(path, "phone.invalid");
  return ok(text);
}

function bbanPattern(format) {
  const parts = format.replace(/(\d+)(!?)([nace])/g, (m, count, fixed, kind) => `${BBAN_PART[kind]}{${fixed ? count : `1,${count}`}}`);
  return new RegExp(`^${parts}$`);
}

function bbanLength(format) {
  return [...format.matchAll(/(\d+)!?[nace]/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

function checksumOk(iban) {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function cleanIban(field, raw, path) {
  if (typeof raw !== "string") return bad(path, "iban.invalid");
  const compact = raw.replace(/[\s-]/g, "").toUpperCase();
  const country = compact.slice(0, 2);
  const format = Object.hasOwn(BBAN_FORMATS, country) ? BBAN_FORMATS[country] : null;
  // The country's own length and layout come first: a missing digit is a typo to fix,
  // not a wrong checksum.
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact) || !format) return bad(path, "iban.invalid");
  if (compact.length !== 4 + bbanLength(format) || !bbanPattern(format).test(compact.slice(4))) return bad(path, "iban.invalid");
  if (!checksumOk(compact)) return bad(path, "iban.checksum");
  const allowed = field.countries || [];
  if (allowed.length && !allowed.includes(country)) return bad(path, "iban.country_not_allowed", { country, allowed: allowed.join(", ") });
  if (!allowed.length && !SEPA_COUNTRIES.has(country)) return bad(path, "iban.not_sepa");
  return ok(compact);
}

function cleanPlate(field, raw, path) {
  if (typeof raw !== "string") return bad(path, "licence_plate.invalid");
  const tokens = raw.trim().toUpperCase().split(/[\s\-\u2010-\u2015]+/).filter(Boolean);
  const match = PLATE.exec(tokens.join("|"));
  if (!match) return bad(path, "licence_plate.invalid");
  if (match[1].length + match[2].length + match[3].length > 8) return bad(path, "licence_plate.too_long");
  return ok(`${match[1]}-${match[2]} ${match[3]}${match[4] || ""}`);
}

function cleanAddress(field, raw, path) {
  if (!isObject(raw)) return bad(path, "address.invalid");
  const { street, house_number: number, postal_code: postalCode, city } = raw;
  const problems = [];
  if (isEmpty(street) || typeof street !== "string") problems.push([`${path}.street`, issue("required")]);
  if (isEmpty(number) || !(typeof number === "string" || typeof number === "number")) problems.push([`${path}.house_number`, issue("required")]);
  if (field.scope === "any") {
    if (isEmpty(postalCode)) problems.push([`${path}.postal_code`, issue("required")]);
    else if (typeof postalCode !== "string" || !POSTAL_CODE.test(postalCode.trim())) problems.push([`${path}.postal_code`, issue("address.postal_code_invalid")]);
    if (isEmpty(city) || typeof city !== "string") problems.push([`${path}.city`, issue("required")]);
    if (problems.length) return { value: undefined, problems };
    const parts = { street: singleLine(street), house_number: singleLine(String(number)), postal_code: postalCode.trim(), city: singleLine(city) };
    for (const [name, text] of Object.entries(parts)) {
      if (length(text) > ADDRESS_PART_MAX) problems.push([`${path}.${name}`, issue("text.too_long", { max_length: ADDRESS_PART_MAX })]);
    }
    return problems.length ? { value: undefined, problems } : ok(parts);
  }
  if (problems.length) return { value: undefined, problems };
  // Whether the street exists and has this number only the server's directory knows.
  const parsed = HOUSE_NUMBER.exec(String(number).trim().toLowerCase());
  if (!parsed || Number(parsed[1]) === 0) return bad(`${path}.house_number`, "address.house_number_invalid");
  return ok({ street: singleLine(street), house_number: `${Number(parsed[1])}${parsed[2]}` });
}

function isUpload(item) {
  return (
    isObject(item) &&
    typeof item.upload_id === "string" &&
    Boolean(item.upload_id) &&
    typeof item.filename === "string" &&
    typeof item.content_type === "string" &&
    Number.isInteger(item.size) &&
    item.size >= 0
  );
}

function accepts(accepted, contentType) {
  const type = contentType.split(";")[0].trim().toLowerCase();
  const major = type.split("/")[0];
  return accepted.some((pattern) => pattern === type || pattern === `${major}/*`);
}

function cleanFile(field, raw, path) {
  const items = isObject(raw) ? [raw] : raw;
  if (!Array.isArray(items)) return bad(path, "file.invalid");
  const maxCount = field.max_count || 1;
  if (items.length > maxCount) return bad(path, "file.too_many", { max_count: maxCount });
  const problems = [];
  const cleaned = [];
  items.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (!isUpload(item)) problems.push([itemPath, issue("file.invalid")]);
    else if (!accepts(field.accept, item.content_type)) problems.push([itemPath, issue("file.content_type", { allowed: field.accept.join(", ") })]);
    else if (item.size > field.max_size_bytes)
      problems.push([itemPath, issue("file.too_large", { max_size_mb: Math.round((field.max_size_bytes / (1024 * 1024)) * 10) / 10 })]);
    else cleaned.push({ upload_id: item.upload_id, filename: item.filename, content_type: item.content_type, size: item.size });
  });
  return problems.length ? { value: undefined, problems } : ok(cleaned);
}

const CLEANERS = {
  text: (field, raw, path) => (typeof raw === "string" ? checkText(field, singleLine(raw), path) : bad(path, "invalid_value")),
  textarea: (field, raw, path) => (typeof raw === "string" ? checkText(field, multiLine(raw), path) : bad(path, "invalid_value")),
  number: cleanNumber,
  date: cleanDate,
  // Options from data (`options_from`) come resolved with the definition; a value they
  // no longer hold was chosen from an older copy (the server says the same).
  select: (field, raw, path) =>
    typeof raw === "string" && field.options.some((option) => option.value === raw) ? ok(raw) : bad(path, field.options_from ? "option.unavailable" : "option.invalid"),
  radio: (field, raw, path) => CLEANERS.select(field, raw, path),
  checkbox: (field, raw, path) => {
    if (typeof raw === "boolean") return ok(raw);
    if (raw === "true" || raw === "false") return ok(raw === "true");
    return bad(path, "invalid_value");
  },
  email: cleanEmail,
  phone: cleanPhone,
  iban: cleanIban,
  licence_plate: cleanPlate,
  address: cleanAddress,
  file: cleanFile,
};

/** Clean one non-empty answer: {value, problems: [[path, {code, params, message}], ...]}. */
/** The field types the device cleans (every type but the repeat group, which holds fields). */
export const CLEANED_TYPES = Object.freeze(Object.keys(CLEANERS));

export function cleanValue(field, raw, path, today) {
  const cleaner = CLEANERS[field.type];
  return cleaner ? cleaner(field, raw, path, today) : ok(raw);
}

/**
 * What conditions see of an answer, as on the server: the cleaned value of a valid,
 * given answer; nothing for a blank or invalid one (so it cannot show other questions).
 */
export function effective(field, raw, today) {
  if (isEmpty(raw)) return undefined;
  const { value, problems } = cleanValue(field, raw, "", today);
  if (problems.length) return undefined;
  if (field.type === "checkbox" && field.required && value !== true) return undefined;
  return value;
}
