// Translations: German first, English second. Every visible string goes through t().
// One layout for the catalogues: the texts every screen needs are in locales/de.json
// and locales/en.json; a feature loaded later keeps its own in <feature>/locales/de.json
// and en.json and registers them with addCatalogues() when its code loads
// (tests/pwa/test_catalogues.py checks the layout and the keys).
import de from "../locales/de.json";
import en from "../locales/en.json";
import { signal } from "./signal.js";

const catalogues = { de: { ...de }, en: { ...en } };
const stored = typeof localStorage !== "undefined" ? localStorage.getItem("locale") : null;
export const locale = signal(stored === "en" ? "en" : "de");

/** Adds a feature's texts (``{de: {...}, en: {...}}``) to the catalogues. */
export function addCatalogues(extra) {
  for (const lang of ["de", "en"]) Object.assign(catalogues[lang], extra[lang] || {});
}

export function setLocale(next) {
  locale.set(next === "en" ? "en" : "de");
  localStorage.setItem("locale", locale.get());
  document.documentElement.lang = locale.get();
}

const tag = () => (locale.get() === "en" ? "en-GB" : "de-DE");

/**
 * The text for ``key`` with {placeholders} filled in. With a numeric ``count``, a
 * plural form ``key_one`` (CLDR category of the language) wins where it exists.
 */
export function t(key, params = {}) {
  const table = catalogues[locale.get()];
  const plural = typeof params.count === "number" ? table[`${key}_${new Intl.PluralRules(tag()).select(params.count)}`] : undefined;
  const text = plural ?? table[key] ?? catalogues.de[key] ?? key;
  if (typeof text !== "string") return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** A {de, en} text from a service definition in the current language. */
export function pick(text) {
  if (!text) return "";
  if (typeof text === "string") return text;
  return text[locale.get()] || text.de || Object.values(text)[0] || "";
}

export function formatMoney(cents) {
  return new Intl.NumberFormat(tag(), { style: "currency", currency: "EUR" }).format((cents || 0) / 100);
}

// One way to write a day per language, with or without the time: 05.12.2026 and
// 05.12.2026, 14:30 in German, 05/12/2026 and 05/12/2026, 14:30 in English (the
// server writes days in its texts the same way).
const DAY = { day: "2-digit", month: "2-digit", year: "numeric" };
const DAY_TIME = { ...DAY, hour: "2-digit", minute: "2-digit" };

export function formatDate(value) {
  if (!value) return "";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : parseServerTime(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(tag(), DAY).format(date);
}

/** Server times are UTC ("…Z"); read them as UTC, show them in local time. */
export function parseServerTime(value) {
  if (!value) return null;
  const text = String(value);
  // Copies kept offline by older versions lack the zone: they are UTC too.
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)) return new Date(`${text}Z`);
  return new Date(text);
}

export function formatDateTime(value) {
  if (!value) return "";
  const date = parseServerTime(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(tag(), DAY_TIME).format(date);
}
