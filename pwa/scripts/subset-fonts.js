// Subsets the portal's fonts at build time to the characters its languages need
// (pwa/fonts.config.js) and provides their @font-face rules as the stylesheet
// "virtual:portal-fonts.css", with the same characters as unicode-range. The subset
// files are written to node_modules/.cache (never committed); Vite then copies them
// into the build with hashed names like any other asset.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import subsetFont from "subset-font";

const VIRTUAL_ID = "virtual:portal-fonts.css";
// Ends in .css so Vite's stylesheet pipeline (url() to hashed assets, purge) handles it.
const RESOLVED_ID = "\0portal-fonts.css";
const SUBSET_OPTIONS = { targetFormat: "woff2" };

/** "U+0100-017F" → [0x100, 0x17f]; "U+20AC" → [0x20ac, 0x20ac]. */
export function parseRange(range) {
  const match = /^U\+([0-9A-F]{1,6})(?:-([0-9A-F]{1,6}))?$/i.exec(range);
  if (!match) throw new Error(`Not a unicode-range value: ${range}`);
  const start = parseInt(match[1], 16);
  const end = parseInt(match[2] ?? match[1], 16);
  if (end < start) throw new Error(`Range runs backwards: ${range}`);
  return [start, end];
}

/** The ranges for the base set plus every language, merged and sorted. */
export function rangesFor(languages, baseRanges, languageRanges) {
  const missing = languages.filter((lang) => !(lang in languageRanges));
  if (missing.length) {
    throw new Error(`pwa/fonts.config.js has no LANGUAGE_RANGES for: ${missing.join(", ")}`);
  }
  const spans = [...baseRanges, ...languages.flatMap((lang) => languageRanges[lang])].map(parseRange);
  spans.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

const hex = (code) => code.toString(16).toUpperCase().padStart(4, "0");

/** The CSS unicode-range value for merged spans. */
export function unicodeRange(spans) {
  return spans.map(([start, end]) => (start === end ? `U+${hex(start)}` : `U+${hex(start)}-${hex(end)}`)).join(", ");
}

/** Every character in the spans, as the text the subsetter keeps glyphs for. */
export function charactersOf(spans) {
  let text = "";
  for (const [start, end] of spans) {
    for (let code = start; code <= end; code += 1) text += String.fromCodePoint(code);
  }
  return text;
}

/** The languages the app has texts for: the names of pwa/src/locales/*.json. */
export function appLanguages(localesDir) {
  return readdirSync(localesDir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => basename(name, ".json"))
    .sort();
}

function fontFaceRules({ family, faces, range }) {
  // "swap": the text shows at once and always ends up in Fira Sans. ("optional" let the
  // browser keep the wider fallback font for a whole visit whenever the font came a
  // moment late, and the layout then differed from visit to visit.)
  return faces
    .map(
      (face) => `@font-face {
  font-family: "${family}";
  src: url("${face.path}") format("woff2");
  font-weight: ${face.weight};
  font-style: normal;
  font-display: swap;
  unicode-range: ${range};
}`,
    )
    .join("\n");
}

/**
 * The Vite plugin. ``config`` is pwa/fonts.config.js; ``localesDir`` decides which
 * languages' characters are kept; ``cacheDir`` receives the subset files.
 */
export function subsetFonts({ config, localesDir, cacheDir }) {
  const require = createRequire(import.meta.url);
  let css = null;

  async function build() {
    const spans = rangesFor(appLanguages(localesDir), config.BASE_RANGES, config.LANGUAGE_RANGES);
    const text = charactersOf(spans);
    const faces = await Promise.all(
      config.FACES.map(async (face) => {
        const source = readFileSync(require.resolve(`${config.FONT_DIR}/${face.file}`));
        // Same source, characters and options: the file from the last build is still right.
        const key = createHash("sha256").update(source).update(text).update(JSON.stringify(SUBSET_OPTIONS)).digest("hex").slice(0, 12);
        const folder = join(cacheDir, key);
        const path = join(folder, face.file);
        mkdirSync(folder, { recursive: true });
        if (!existsSync(path)) writeFileSync(path, await subsetFont(source, text, SUBSET_OPTIONS));
        return { ...face, path };
      }),
    );
    return fontFaceRules({ family: config.FONT_FAMILY, faces, range: unicodeRange(spans) });
  }

  return {
    name: "portal-subset-fonts",
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return null;
      css ??= build();
      return css;
    },
  };
}
