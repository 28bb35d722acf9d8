// Translations: German first, English second, then the portal's further languages
// (lib/languages.js). Every visible string goes through t().
// One layout for the catalogues: the texts every screen needs are in locales/<lang>.json;
// a feature loaded later keeps its own in <feature>/locales/<lang>.json. German and
// English come with the code (a feature registers them with addCatalogues() when it
// loads); every other language is fetched only when it is chosen, as one file,
// so the first view does not grow for German readers
// (tests/pwa/test_catalogues.py checks the layout and the keys).
import de from "../locales/de.json";
import en from "../locales/en.json";
import LAZY from "virtual:language-catalogues";
import { direction, supported } from "./languages.js";
import { cityPlaceholders } from "./city.js";
import { signal } from "./signal.js";

const catalogues = { de: { ...de }, en: { ...en } };
// The further languages' texts, one chunk per language (scripts/language-catalogues.js).
// Staff features have none (their screens are German and English only).
const loading = {};

/** Fetches every catalogue of ``lang`` (once); German and English are always there. */
export function loadLanguage(lang) {
  if (catalogues[lang]) return Promise.resolve();
  if (!LAZY[lang]) return Promise.resolve();
  loading[lang] ??= LAZY[lang]().then((module) => {
    catalogues[lang] = module.default;
  });
  return loading[lang].catch((error) => {
    delete loading[lang];
    throw error;
  });
}

// Defaults every t() call fills in unless it passes its own (e.g. the city's name).
const defaults = {};

/** Sets parameters every text may use, such as ``{city}``. */
export function setDefaults(values) {
  Object.assign(defaults, values);
}

const stored = typeof localStorage !== "undefined" ? localStorage.getItem("locale") : null;
const wanted = supported(stored);
// Until a further language's texts have arrived the page shows German.
export const locale = signal(catalogues[wanted] ? wanted : "de");
/** Resolves once the language chosen on this device is shown. */
export const languageReady = wanted === locale.get() ? Promise.resolve() : setLocale(wanted).catch(() => undefined);

/** Adds a feature's texts (``{de: {...}, en: {...}}``) to the catalogues. */
export function addCatalogues(extra) {
  for (const lang of ["de", "en"]) Object.assign(catalogues[lang], extra[lang] || {});
}

function applyToDocument(lang) {
  if (typeof document === "undefined") return;
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
}

/** Shows the portal in ``next`` (German for an unknown code) and remembers it here. */
export async function setLocale(next) {
  const lang = supported(next);
  if (typeof localStorage !== "undefined") localStorage.setItem("locale", lang);
  await loadLanguage(lang);
  locale.set(lang);
  applyToDocument(lang);
}

applyToDocument(locale.get());

// Latin digits in every language: the amounts and dates match the server's texts and
// the German documents.
const TAGS = { de: "de-DE", en: "en-GB", tr: "tr-TR", ar: "ar-u-nu-latn", uk: "uk-UA" };
const tag = (lang = locale.get()) => TAGS[lang] || "de-DE";

/** The BCP 47 tag for Intl formatters in the current language (``de-DE``, ``tr-TR`` …). */
export function languageTag() {
  return tag();
}

function lookup(lang, key, count) {
  const table = catalogues[lang] || {};
  if (typeof count === "number") {
    const plural = table[`${key}_${new Intl.PluralRules(tag(lang)).select(count)}`];
    if (plural !== undefined) return plural;
  }
  return table[key];
}

/**
 * The text for ``key`` with {placeholders} filled in. With a numeric ``count``, a
 * plural form ``key_<CLDR category>`` of the language wins where it exists; a text the
 * language lacks is German (with German's plural forms). {city} and the other {city_…}
 * placeholders come from the active city unless ``params`` names them; texts in
 * structured entries (arrays, objects) get them too.
 */
export function t(key, params = {}) {
  const text = lookup(locale.get(), key, params.count) ?? lookup("de", key, params.count) ?? key;
  if (typeof text === "string" && !text.includes("{")) return text;
  return fill(text, { ...defaults, ...cityPlaceholders(locale.get()), ...params });
}

function fill(value, params) {
  if (typeof value === "string") {
    return value.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, params));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, fill(item, params)]));
  }
  return value;
}

/**
 * A text from a service definition (``{de, en, tr, …}``) in the current language, with
 * ``lang``: the language it is in. ``fallback`` is true where German stands in for a
 * missing translation, so the screen can say so (see components/picked.jsx).
 */
export function pickText(text) {
  if (!text) return { text: "", lang: locale.get(), fallback: false };
  if (typeof text === "string") return { text, lang: locale.get(), fallback: false };
  const lang = locale.get();
  if (text[lang]) return { text: text[lang], lang, fallback: false };
  if (text.de) return { text: text.de, lang: "de", fallback: lang !== "de" };
  const [first, value] = Object.entries(text)[0] || ["de", ""];
  return { text: value || "", lang: first, fallback: first !== lang };
}

/** A text from a service definition as a plain string (German where it lacks one). */
export function pick(text) {
  return pickText(text).text;
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
