// The portal's languages for the build: PORTAL_LANGUAGES (comma-separated, the same
// setting the server reads in app/languages.py; default all known languages). The
// build stops on a code it does not know, as the server does.

/** Every language the portal has a place for, German first (as app/languages.py KNOWN). */
export const KNOWN = ["de", "en", "tr", "ar", "uk"];
export const RIGHT_TO_LEFT = ["ar"];
export const STAFF_LANGUAGES = ["de", "en"];
/** The script each language is written in: the font files are split by it (fonts.config.js). */
export const SCRIPT = { de: "latin", en: "latin", tr: "latin", ar: "arabic", uk: "cyrillic" };
/** The languages the server writes documents (PDFs) in; readers of others get German. */
export const DOCUMENT_LANGUAGES = ["de", "en"];
/** Each language named in itself, as the chooser shows it. */
export const NATIVE_NAMES = { de: "Deutsch", en: "English", tr: "Türkçe", ar: "العربية", uk: "Українська" };

export function configuredLanguages(raw) {
  if (!raw || !raw.trim()) return KNOWN;
  const codes = raw.split(",").map((code) => code.trim().toLowerCase()).filter(Boolean);
  const unknown = codes.filter((code) => !KNOWN.includes(code));
  if (unknown.length) throw new Error(`PORTAL_LANGUAGES: unknown language(s) ${unknown.join(", ")}; known are ${KNOWN.join(", ")}`);
  if (!codes.includes("de")) throw new Error("PORTAL_LANGUAGES must include de (the language of record)");
  return KNOWN.filter((code) => codes.includes(code));
}
