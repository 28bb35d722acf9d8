// Subsets the portal's fonts at build time to the characters its languages need, one
// set of files per script (pwa/fonts.config.js), and provides their @font-face rules as the stylesheet
// "virtual:portal-fonts.css", with the same characters as unicode-range. The subset
// files are written to node_modules/.cache (never committed); Vite then copies them
// into the build with hashed names like any other asset.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
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

/** Merges "U+…" ranges into sorted spans. */
export function mergeRanges(ranges) {
  const spans = ranges.map(parseRange);
  spans.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * The merged spans per script the languages need: ``{latin: [[0, 0x17f], …], …}``. A
 * script no configured language writes gets no files at all.
 */
export function rangesByScript(languages, { BASE_RANGES, LANGUAGE_RANGES, SCRIPT, SCRIPTS }) {
  const missing = languages.filter((lang) => !(lang in LANGUAGE_RANGES));
  if (missing.length) {
    throw new Error(`pwa/fonts.config.js has no LANGUAGE_RANGES for: ${missing.join(", ")}`);
  }
  const byScript = {};
  for (const lang of languages) {
    const script = SCRIPT[lang];
    const ranges = LANGUAGE_RANGES[lang];
    if (!(script in SCRIPTS)) throw new Error(`pwa/fonts.config.js: ${lang} names an unknown script ${script}`);
    byScript[script] ??= SCRIPTS[script].base ? [...BASE_RANGES] : [];
    byScript[script].push(...ranges);
  }
  return Object.fromEntries(Object.entries(byScript).map(([script, ranges]) => [script, mergeRanges(ranges)]));
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

function fontFaceRules({ family, faces }) {
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
  unicode-range: ${face.range};
}`,
    )
    .join("\n");
}

/**
 * The Vite plugin. ``config`` is pwa/fonts.config.js; ``languages`` (PORTAL_LANGUAGES)
 * decide which scripts' characters are kept; ``cacheDir`` receives the subset files.
 */
export function subsetFonts({ config, languages, cacheDir }) {
  const require = createRequire(import.meta.url);
  let css = null;

  async function subset(script, face, spans) {
    const { dir, suffix } = config.SCRIPTS[script];
    const source = readFileSync(require.resolve(`${dir}/${face.file}`));
    const text = charactersOf(spans);
    // Same source, characters and options: the file from the last build is still right.
    const key = createHash("sha256").update(source).update(text).update(JSON.stringify(SUBSET_OPTIONS)).digest("hex").slice(0, 12);
    const folder = join(cacheDir, key);
    // Each script's file keeps a name of its own (FiraSans-Regular.cyrillic.woff2), so
    // only the Latin files match the first view's preload.
    const name = suffix ? face.file.replace(/\.woff2$/, `.${suffix}.woff2`) : face.file;
    const path = join(folder, name);
    mkdirSync(folder, { recursive: true });
    if (!existsSync(path)) writeFileSync(path, await subsetFont(source, text, SUBSET_OPTIONS));
    return { ...face, path, range: unicodeRange(spans) };
  }

  async function build() {
    const byScript = rangesByScript(languages, config);
    const faces = [];
    for (const [script, spans] of Object.entries(byScript)) {
      faces.push(...(await Promise.all(config.SCRIPTS[script].faces.map((face) => subset(script, face, spans)))));
    }
    return fontFaceRules({ family: config.FONT_FAMILY, faces });
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
