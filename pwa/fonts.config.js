// The portal's typefaces and the characters it keeps. The build subsets each file to
// the characters of the configured languages' scripts (pwa/scripts/subset-fonts.js) and
// writes the same list as the faces' unicode-range, so a character outside it is drawn
// in the fallback font instead of going missing. Each script has files of its own: the
// browser fetches a script's files only when a page shows one of its characters, so
// the German first view downloads the Latin files only. This is the one place to extend
// when a language is added.

export { SCRIPT } from "./languages.config.js";

/** The family name every face is declared under: styles.css asks for this one name. */
export const FONT_FAMILY = "Fira Sans";

// Fira Sans (the KERN typeface) from @kern-ux/native, in the three weights the design
// uses. Fewer files keep the first installation (which precaches them) small; bold text
// uses the semi-bold cut. The build preloads the Latin regular and semi-bold files.
const FIRA_DIR = "@kern-ux/native/dist/fonts/fira-sans";
const FIRA_FACES = [
  { file: "FiraSans-Regular.woff2", weight: "300 400" },
  { file: "FiraSans-Medium.woff2", weight: "500" },
  { file: "FiraSans-SemiBold.woff2", weight: "600 900" },
];

/** What every language needs: Latin letters, punctuation, the euro and the UI's symbols. */
export const BASE_RANGES = [
  "U+0000-00FF", // Basic Latin and Latin-1 Supplement (ä, ö, ü, ß, é …)
  "U+0100-017F", // Latin Extended-A (names such as Łukasz, Dvořák, Gülşen; Turkish ğ ı ş İ)
  "U+2000-206F", // General Punctuation (– — „ “ ‚ ‘ … and spaces)
  "U+20AC", // €
  "U+2190-2193", // arrows (status changes, "next")
  "U+22EE", // ⋮ (the browser menu, in the help texts)
  "U+2713", // ✓ (valid pass)
  "U+2717", // ✗ (rejected pass)
];

/**
 * What each language adds to its script's files (SCRIPT in languages.config.js says
 * which). Every language of PORTAL_LANGUAGES must be listed here; the build stops
 * otherwise.
 */
export const LANGUAGE_RANGES = {
  de: ["U+1E9E"], // ẞ (capital sharp s)
  en: [],
  tr: [], // ç ğ ı İ ö ş ü are in Latin-1 and Latin Extended-A
  uk: ["U+0400-045F", "U+0490-0491", "U+02BC", "U+2116"], // Cyrillic as Ukrainian writes it, apostrophe, №
  ar: ["U+0600-06FF", "U+FB50-FDFF", "U+FE70-FEFF"], // Arabic and its presentation forms (joiners and direction marks are in the Latin files)
};

/**
 * The files per script. ``base`` adds BASE_RANGES (the Latin files carry them, so no
 * other script's files are needed for digits and punctuation). Arabic is not in Fira
 * Sans: Noto Sans Arabic (SIL Open Font License, self-hosted from
 * @fontsource/noto-sans-arabic) is declared under the same family name for the Arabic
 * characters only.
 */
export const SCRIPTS = {
  latin: { dir: FIRA_DIR, faces: FIRA_FACES, base: true },
  cyrillic: { dir: FIRA_DIR, faces: FIRA_FACES, base: false, suffix: "cyrillic" },
  arabic: {
    dir: "@fontsource/noto-sans-arabic/files",
    // The same weight ranges as Fira Sans: faces of one family with the same descriptors
    // make one face split by unicode-range (different ranges let the Arabic face win the
    // weight match and left Latin text to the fallback font).
    faces: [
      { file: "noto-sans-arabic-arabic-400-normal.woff2", weight: "300 400" },
      { file: "noto-sans-arabic-arabic-500-normal.woff2", weight: "500" },
      { file: "noto-sans-arabic-arabic-600-normal.woff2", weight: "600 900" },
    ],
    base: false,
  },
};
