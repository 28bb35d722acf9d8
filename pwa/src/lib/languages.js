// The languages this portal offers: PORTAL_LANGUAGES, the same list the server reads,
// put into the build (pwa/languages.config.js). German is the language of record and
// the fallback of every text; staff screens are written in German and English only.
import { DOCUMENT_LANGUAGES, NATIVE_NAMES, RIGHT_TO_LEFT, SCRIPT, STAFF_LANGUAGES } from "../../languages.config.js";

/* global __PORTAL_LANGUAGES__ */
export const LANGUAGES = __PORTAL_LANGUAGES__;
export { DOCUMENT_LANGUAGES, NATIVE_NAMES, STAFF_LANGUAGES };

// The screens of clerks, officers and admins (the features tests/pwa/test_catalogues.py
// treats as staff-facing): their language chooser offers German and English only.
const STAFF_PATHS = ["/sachbearbeitung", "/kontrolle", "/verwaltung", "/buergerbuero", "/kita/vergabe", "/meldungen/bearbeitung"];

export function isStaffPath(path) {
  return STAFF_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** The languages the chooser offers on ``path``. */
export function offeredLanguages(path) {
  return isStaffPath(path) ? LANGUAGES.filter((lang) => STAFF_LANGUAGES.includes(lang)) : LANGUAGES;
}

export function direction(lang) {
  return RIGHT_TO_LEFT.includes(lang) ? "rtl" : "ltr";
}

/** A supported language for ``value``, German otherwise. */
export function supported(value) {
  return LANGUAGES.includes(value) ? value : "de";
}

/** The script a language is written in, as the font files are split (``latin``, ``arabic`` …). */
export function scriptOf(lang) {
  return SCRIPT[lang] || "latin";
}
