// Builds the PWA from pwa/ into static/dist with hashed file names, and the service
// worker from service_worker/ with the precache list of that build.
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { purgeCSSPlugin as purgeCss } from "@fullhuman/postcss-purgecss";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { languageCatalogues } from "./scripts/language-catalogues.js";
import { precompress } from "./scripts/precompress.js";
import { preloadFonts } from "./scripts/preload-fonts.js";
import { roleAssets } from "./scripts/role-assets.js";
import { subsetFonts } from "./scripts/subset-fonts.js";
import * as fontsConfig from "./fonts.config.js";
import { configuredLanguages } from "./languages.config.js";

const root = fileURLToPath(new URL(".", import.meta.url));
const outDir = fileURLToPath(new URL("../static/dist", import.meta.url));
// The languages the portal offers (the server reads the same setting).
const languages = configuredLanguages(process.env.PORTAL_LANGUAGES);

// The screens of roles a citizen never has. The officers' QR reader (ZXing WebAssembly,
// about 1 MB) is the main reason: only officers' devices download it.
const byRole = roleAssets({
  root,
  groups: {
    officer: "src/pages/officer/index.js",
    staff: "src/pages/staff/index.js",
    // The service builder loads on its own: it is most of the console's code.
    admin: ["src/pages/console/index.js", "src/pages/console/builder/editor-page.jsx"],
  },
});

export default defineConfig(({ command }) => ({
  root,
  // Also applied to the service worker build.
  define: {
    __PORTAL_LANGUAGES__: JSON.stringify(languages),
  },
  plugins: [
    preact(),
    languageCatalogues({ languages, srcDir: join(root, "src") }),
    subsetFonts({
      config: fontsConfig,
      languages,
      cacheDir: fileURLToPath(new URL("../node_modules/.cache/portal-fonts", import.meta.url)),
    }),
    precompress(outDir),
    preloadFonts(),
    byRole,
    VitePWA({
      strategies: "injectManifest",
      srcDir: "../service_worker",
      filename: "sw.js",
      outDir,
      // Registration, the manifest link and the update prompt are the app's own code.
      injectRegister: false,
      manifest: false,
      injectManifest: {
        // A classic script: module service workers are missing in older Safari and Firefox.
        rollupFormat: "iife",
        globDirectory: outDir,
        globPatterns: ["index.html", "assets/*.{js,css,woff2}", "icons/*.png", "manifest.webmanifest"],
        // The German hyphenation patterns (lib/hyphenator-de.js, about 290 KB, loaded
        // after the first render) fit under this limit, so they are precached and
        // titles are hyphenated offline too.
        maximumFileSizeToCacheInBytes: 400 * 1024,
        // Files only officers or clerks need are marked with their group: the service
        // worker keeps them out of the precache and caches them on such a device only.
        manifestTransforms: [
          byRole.manifestTransform((file) => ({ url: file, revision: null, size: statSync(join(outDir, file)).size })),
        ],
      },
    }),
  ],
  css: {
    postcss: {
      // KERN ships every component; keep only the rules this app's markup uses, which
      // keeps the stylesheet inside its 40 KB budget. Class names are written out in
      // full in the source (no string building) so this scan sees them.
      plugins:
        command === "build"
          ? [
              purgeCss({
                content: [`${root}index.html`, `${root}src/**/*.{js,jsx}`],
                defaultExtractor: (content) => content.match(/[\w-]+/g) || [],
                // Leaflet (the defect map) builds its markup in its own code, outside src/.
                safelist: { standard: [/^kern-kopfzeile/, /^leaflet-/], deep: [], greedy: [] },
                variables: false,
                fontFace: false,
              }),
            ]
          : [],
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    // Strict CSP: no inline scripts, no data: module preloads.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { "/api": "http://localhost:5000", "/dev": "http://localhost:5000" },
  },
}));
