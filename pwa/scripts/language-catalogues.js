// One chunk per further language: "virtual:language-catalogues" exports, for every
// configured language besides German and English, a loader of one module that merges
// all of that language's catalogue files (src/locales/<lang>.json and every
// src/pages/<feature>/locales/<lang>.json). Choosing a language fetches one file; the
// code a German reader loads holds only the loaders.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

const LOADERS_ID = "virtual:language-catalogues";
const RESOLVED_LOADERS = "\0language-catalogues";
const CATALOGUE_PREFIX = "virtual:language-catalogue/";
const RESOLVED_CATALOGUE = "\0language-catalogue/";

/** Every ``<lang>.json`` in a ``locales`` folder under ``srcDir``. */
export function catalogueFiles(srcDir, lang) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === `${lang}.json` && dir.endsWith("locales")) found.push(path);
    }
  };
  walk(srcDir);
  return found.sort();
}

/** The Vite plugin; ``languages`` are PORTAL_LANGUAGES, ``srcDir`` is pwa/src. */
export function languageCatalogues({ languages, srcDir }) {
  const lazy = languages.filter((lang) => lang !== "de" && lang !== "en");
  return {
    name: "portal-language-catalogues",
    resolveId(id) {
      if (id === LOADERS_ID) return RESOLVED_LOADERS;
      if (id.startsWith(CATALOGUE_PREFIX)) return RESOLVED_CATALOGUE + id.slice(CATALOGUE_PREFIX.length);
      return null;
    },
    load(id) {
      if (id === RESOLVED_LOADERS) {
        const entries = lazy.map((lang) => `  ${JSON.stringify(lang)}: () => import(${JSON.stringify(CATALOGUE_PREFIX + lang)}),`);
        return `export default {\n${entries.join("\n")}\n};\n`;
      }
      if (!id.startsWith(RESOLVED_CATALOGUE)) return null;
      const lang = id.slice(RESOLVED_CATALOGUE.length);
      const files = catalogueFiles(srcDir, lang);
      // Rebuilt when a catalogue changes (vite dev, watch builds).
      for (const file of files) this.addWatchFile(file);
      const imports = files.map((file, index) => `import c${index} from ${JSON.stringify(file)}; // ${relative(srcDir, file)}`);
      return `${imports.join("\n")}\nexport default Object.assign({}, ${files.map((_, index) => `c${index}`).join(", ")});\n`;
    },
  };
}
