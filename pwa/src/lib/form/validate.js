// Checks answers on the device, with the server's rules and message codes, so a
// citizen offline gets the same clear messages. The server stays the authority: it
// checks everything again (and what the device cannot know, like street names).
import { formState, itemState } from "./pages.js";
import { cityToday, isoDay, parseDay, resolveDate } from "./dates.js";

const SEPA = new Set(
  "AD AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT LI LT LU LV MC MT NL NO PL PT RO SE SI SK SM VA".split(" "),
);
const NUMBER = /^[+-]?\d{1,15}(?:[.,]\d{1,10})?$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$/;
const PHONE = /^\+?[0-9 ()/\-]+$/;
const PLATE = /^([A-ZÄÖÜ]{1,3})\|([A-Z]{1,2})\|?([1-9][0-9]{0,3})\|?([EH])?$/;

const issue = (code, params = {}, message = null) => ({ code, params, message });

export function isEmpty(value) {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return !value.trim();
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value).every(isEmpty);
  return false;
}

function ibanChecksumOk(iban) {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function checkText(field, text) {
  const max = field.max_length ?? (field.type === "textarea" ? 4000 : 200);
  if (field.min_length != null && text.length < field.min_length) return issue("text.too_short", { min_length: field.min_length });
  if (text.length > max) return issue("text.too_long", { max_length: max });
  if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, "u").test(text)) return issue("text.pattern", {}, field.pattern_message);
  return null;
}

function checkAddress(field, value, path) {
  const problems = [];
  const part = (name) => (typeof value?.[name] === "string" ? value[name].trim() : value?.[name] != null ? String(value[name]) : "");
  if (!part("street")) problems.push([`${path}.street`, issue("required")]);
  if (!part("house_number")) problems.push([`${path}.house_number`, issue("required")]);
  else if (field.scope !== "any" && !/^(\d{1,4})\s*([a-zA-Z]?)$/.test(part("house_number")))
    problems.push([`${path}.house_number`, issue("address.house_number_invalid")]);
  if (field.scope === "any") {
    if (!part("postal_code")) problems.push([`${path}.postal_code`, issue("required")]);
    else if (!/^\d{5}$/.test(part("postal_code"))) problems.push([`${path}.postal_code`, issue("address.postal_code_invalid")]);
    if (!part("city")) problems.push([`${path}.city`, issue("required")]);
  }
  return problems;
}

/** Problems with one visible answer: [[path, {code, params, message}], ...]. */
export function checkField(field, raw, path, today = cityToday()) {
  if (field.type === "repeat") {
    const count = Array.isArray(raw) ? raw.length : 0;
    if (count < (field.min_items || 0)) return [[path, issue("repeat.too_few", { min_items: field.min_items })]];
    if (field.max_items && count > field.max_items) return [[path, issue("repeat.too_many", { max_items: field.max_items })]];
    return [];
  }
  if (field.type === "address") {
    if (isEmpty(raw)) return field.required ? checkAddress(field, {}, path) : [];
    return checkAddress(field, raw, path);
  }
  if (field.type === "checkbox") {
    const ticked = raw === true || raw === "true";
    return field.required && !ticked ? [[path, issue("must_accept")]] : [];
  }
  if (isEmpty(raw)) return field.required ? [[path, issue("required")]] : [];
  const found = checkValue(field, raw, today);
  return found ? [[path, found]] : [];
}

function checkValue(field, raw, today) {
  const text = typeof raw === "string" ? raw.trim() : raw;
  switch (field.type) {
    case "text":
      return checkText(field, String(raw).trim().replace(/\s+/g, " "));
    case "textarea":
      return checkText(field, String(raw).trim());
    case "number": {
      if (!NUMBER.test(String(text))) return issue("number.invalid");
      const number = Number(String(text).replace(",", "."));
      if (field.integer !== false && !Number.isInteger(number)) return issue("number.not_integer");
      if (field.min != null && number < field.min) return issue("number.too_small", { min: field.min });
      if (field.max != null && number > field.max) return issue("number.too_large", { max: field.max });
      return null;
    }
    case "date": {
      const day = parseDay(text);
      if (!day) return issue("date.invalid");
      const value = isoDay(day);
      if (field.min_date) {
        const bound = isoDay(resolveDate(field.min_date, today));
        if (value < bound) return issue("date.too_early", { min_date: bound });
      }
      if (field.max_date) {
        const bound = isoDay(resolveDate(field.max_date, today));
        if (value > bound) return issue("date.too_late", { max_date: bound });
      }
      return null;
    }
    case "select":
    case "radio":
      return field.options.some((option) => option.value === raw) ? null : issue("option.invalid");
    case "email":
      return text.length <= 254 && EMAIL.test(text) ? null : issue("email.invalid");
    case "phone": {
      const digits = text.replace(/\D/g, "");
      return PHONE.test(text) && digits.length >= 5 && digits.length <= 15 && "+0(".includes(text[0]) ? null : issue("phone.invalid");
    }
    case "iban": {
      const compact = text.replace(/[\s-]/g, "").toUpperCase();
      if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return issue("iban.invalid");
      if (!ibanChecksumOk(compact)) return issue("iban.checksum");
      const country = compact.slice(0, 2);
      if (field.countries?.length && !field.countries.includes(country))
        return issue("iban.country_not_allowed", { country, allowed: field.countries.join(", ") });
      if (!field.countries?.length && !SEPA.has(country)) return issue("iban.not_sepa");
      return null;
    }
    case "licence_plate": {
      const tokens = text.toUpperCase().split(/[\s\-\u2010-\u2015]+/).filter(Boolean);
      const match = PLATE.exec(tokens.join("|"));
      if (!match) return issue("licence_plate.invalid");
      if (match[1].length + match[2].length + match[3].length > 8) return issue("licence_plate.too_long");
      return null;
    }
    case "file": {
      const files = Array.isArray(raw) ? raw : [raw];
      const max = field.max_count || 1;
      return files.length > max ? issue("file.too_many", { max_count: max }) : null;
    }
    default:
      return null;
  }
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
    for (const problem of validatePage(definition, page, answers, today)) problems.push({ ...problem, page });
    const repeat = page.repeat?.field;
    if (repeat && page.repeat.index >= 0 && !seenRepeats.has(repeat.id)) {
      seenRepeats.add(repeat.id);
      for (const [path, found] of checkField(repeat, answers[repeat.id], repeat.id, today))
        problems.push({ path, field: repeat, page, ...found });
    }
  }
  return problems;
}
