// German hyphenation by Liang's TeX patterns (1996 spelling), from the "hyphen" package.
// The patterns are large (about 150 KB compressed), so this module is its own chunk:
// lib/hyphenate.js imports it only when a page is shown in German.
import createHyphenator from "hyphen/hyphen.js";
import patterns from "hyphen/patterns/de-1996.js";

// Short words fit even a narrow screen; soft hyphens there would only add break points
// the eye stumbles over. Text is plain (Preact escapes it), so "<" is no tag.
export const hyphenateGerman = createHyphenator(patterns, { minWordLength: 10, html: false });
