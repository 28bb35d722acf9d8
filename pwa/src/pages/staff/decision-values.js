// The values a clerk sets at a decision, between what the server sends and what the
// clerk types: money is stored in cents and typed in euros. No DOM, no Preact, so that
// node's test runner checks it (pwa/tests/decision-values.test.js).

/** The element id of a decision field's input (the error summary links to it). */
export const decisionInputId = (fieldId) => `decision-${fieldId}`;

/** Cents as the clerk types euros: "612,50" in German, "612.50" in English. */
export function centsText(cents, lang) {
  const text = (cents / 100).toFixed(2);
  return lang === "en" ? text : text.replace(".", ",");
}

/**
 * Euros as typed ("612,50", "1.234,5", "1,234.50", "612 €") in cents; null when the
 * text is no amount of euros and cents.
 */
export function parseEuros(text) {
  let plain = String(text).replace(/[\s\u00a0€]/g, "");
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(plain)) plain = plain.replace(/\./g, "").replace(",", ".");
  // English thousands only with cents: "612,505" is a German slip, not 612.505 €.
  else if (/^\d{1,3}(,\d{3})+\.\d{1,2}$/.test(plain)) plain = plain.replace(/,/g, "");
  else if (/^\d+,\d{1,2}$/.test(plain)) plain = plain.replace(",", ".");
  else if (!/^\d+(\.\d{1,2})?$/.test(plain)) return null;
  const [whole, fraction = ""] = plain.split(".");
  return Number(whole) * 100 + Number(`${fraction}00`.slice(0, 2));
}

/** What each input starts with: the proposal, as the clerk would type it. */
export function startTexts(fields, lang) {
  const texts = {};
  for (const field of fields || []) {
    const value = field.value;
    texts[field.id] = value == null ? "" : field.type === "money" ? centsText(value, lang) : String(value);
  }
  return texts;
}

/**
 * The values to send: cents for money (the text itself when it is no amount, so that
 * the server names the problem in the clerk's language), the text otherwise; empty
 * inputs are left out (the server says which are required).
 */
export function valuesToSend(fields, texts) {
  const values = {};
  for (const field of fields || []) {
    const text = (texts[field.id] ?? "").trim();
    if (!text) continue;
    values[field.id] = field.type === "money" ? parseEuros(text) ?? text : text;
  }
  return values;
}
