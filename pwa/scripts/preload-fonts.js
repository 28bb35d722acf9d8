// Adds <link rel="preload"> for the built font files the first screen needs (regular and
// semi-bold Fira Sans) to index.html, so the browser fetches them alongside the
// stylesheet instead of only once it has laid out text.
const PRELOADED = /^assets\/FiraSans-(Regular|SemiBold)-[\w-]+\.woff2$/;

export function preloadFonts() {
  return {
    name: "portal-preload-fonts",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, { bundle }) {
        return Object.keys(bundle || {})
          .filter((name) => PRELOADED.test(name))
          .sort()
          .map((name) => ({
            tag: "link",
            // Fonts are fetched in CORS mode; the preload must match or it is not reused.
            attrs: { rel: "preload", href: `/${name}`, as: "font", type: "font/woff2", crossorigin: "" },
            injectTo: "head",
          }));
      },
    },
  };
}
