// The portal's typeface and the characters it keeps. The build subsets each file to
// these characters (pwa/scripts/subset-fonts.js) and writes the same list as the
// faces' unicode-range, so a character outside it is drawn in the fallback font
// instead of going missing. This is the one place to extend when a language is added.

/** Fira Sans (the KERN typeface) from @kern-ux/native, in the three weights the design uses. */
export const FONT_FAMILY = "Fira Sans";
export const FONT_DIR = "@kern-ux/native/dist/fonts/fira-sans";
// Fewer files keep the first installation (which precaches them) small; bold text uses
// the semi-bold cut. The build preloads the regular and semi-bold files.
export const FACES = [
  { file: "FiraSans-Regular.woff2", weight: "300 400" },
  { file: "FiraSans-Medium.woff2", weight: "500" },
  { file: "FiraSans-SemiBold.woff2", weight: "600 900" },
];

/** What every language needs: Latin letters, punctuation, the euro and the UI's symbols. */
export const BASE_RANGES = [
  "U+0000-00FF", // Basic Latin and Latin-1 Supplement (ä, ö, ü, ß, é …)
  "U+0100-017F", // Latin Extended-A (names such as Łukasz, Dvořák, Gülşen)
  "U+2000-206F", // General Punctuation (– — „ “ ‚ ‘ … and spaces)
  "U+20AC", // €
  "U+2190-2193", // arrows (status changes, "next")
  "U+22EE", // ⋮ (the browser menu, in the help texts)
  "U+2713", // ✓ (valid pass)
  "U+2717", // ✗ (rejected pass)
];

/**
 * What each language adds to BASE_RANGES. Every language the PWA has texts for
 * (pwa/src/locales/<lang>.json) must be listed here; the build stops otherwise.
 */
export const LANGUAGE_RANGES = {
  de: ["U+1E9E"], // ẞ (capital sharp s)
  en: [],
  tr: [], // ğ, ı, ş … are in Latin Extended-A
  uk: ["U+0400-045F", "U+0490-0491", "U+02BC"], // Cyrillic as Ukrainian writes it, apostrophe
  ar: ["U+0600-06FF", "U+FB50-FDFF", "U+FE70-FEFF"], // Arabic and its presentation forms
};
