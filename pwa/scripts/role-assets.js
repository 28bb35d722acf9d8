// Finds the built files only some roles need: the chunks (with their stylesheets and
// assets) reachable from a role's screens and from nothing every visitor loads. The
// officers' scanner is the reason: its ZXing WebAssembly is 1 MB. These files leave the
// precache every visitor downloads; the service worker caches them for a device once
// the page says a user of that role is signed in (service_worker/role-assets.js).
import { resolve } from "node:path";

/** Follows static and dynamic imports from ``start`` (file names), never into ``stop``. */
function reachable(bundle, start, stop = new Set()) {
  const seen = new Set();
  const queue = [...start];
  while (queue.length) {
    const name = queue.pop();
    if (seen.has(name) || stop.has(name)) continue;
    seen.add(name);
    const chunk = bundle[name];
    if (chunk?.type === "chunk") queue.push(...chunk.imports, ...chunk.dynamicImports);
  }
  return seen;
}

/** The chunks' stylesheets and assets (fonts, WebAssembly) as Vite records them. */
function filesOf(bundle, chunkNames) {
  const files = new Set(chunkNames);
  for (const name of chunkNames) {
    const meta = bundle[name]?.viteMetadata;
    for (const file of [...(meta?.importedCss ?? []), ...(meta?.importedAssets ?? [])]) files.add(file);
  }
  return files;
}

/**
 * ``groups`` maps a group name to the module of its screens, or a list of such modules
 * (each loaded lazily on its own), e.g. {officer: "src/pages/officer/index.js"}
 * (relative to ``root``). After the build,
 * ``plugin.groupOf`` maps each built file only that group needs to the group's name,
 * and ``plugin.manifestTransform`` marks those precache entries with ``group``.
 */
export function roleAssets({ root, groups }) {
  const groupOf = new Map();
  const entryModules = Object.fromEntries(
    Object.entries(groups).flatMap(([group, paths]) => [paths].flat().map((path) => [resolve(root, path), group])),
  );

  return {
    name: "portal-role-assets",
    apply: "build",
    groupOf,
    generateBundle(_options, bundle) {
      groupOf.clear();
      const chunks = Object.values(bundle).filter((item) => item.type === "chunk");
      // Each group's lazily loaded chunks, one per module named for it.
      const roots = new Map();
      for (const chunk of chunks) {
        const group = entryModules[chunk.facadeModuleId];
        if (group && chunk.isDynamicEntry) roots.set(group, [...(roots.get(group) || []), chunk.fileName]);
      }
      const missing = Object.entries(groups)
        .filter(([group, paths]) => (roots.get(group) || []).length < [paths].flat().length)
        .map(([group]) => group);
      if (missing.length) this.error(`No lazily loaded chunk for the screens of: ${missing.join(", ")}`);
      const stops = new Set([...roots.values()].flat());
      const everyone = filesOf(bundle, reachable(bundle, chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName), stops));
      for (const [group, start] of roots) {
        const others = new Set([...stops].filter((name) => !start.includes(name)));
        for (const file of filesOf(bundle, reachable(bundle, start, others))) {
          if (everyone.has(file)) continue;
          // Another role's screens share it: it stays in everyone's precache.
          if (groupOf.has(file) && groupOf.get(file) !== group) groupOf.set(file, null);
          else groupOf.set(file, group);
        }
      }
      for (const [file, group] of groupOf) if (group === null) groupOf.delete(file);
    },
    /** A workbox manifestTransform: entries of a group get ``group``, size limit waived. */
    manifestTransform(outDirFiles) {
      return (entries) => {
        const listed = new Set(entries.map((entry) => entry.url));
        // The size limit dropped the WebAssembly from the list; group files come back.
        const restored = [...groupOf.keys()].filter((file) => !listed.has(file)).map((file) => outDirFiles(file));
        return {
          manifest: [...entries, ...restored].map((entry) => (groupOf.has(entry.url) ? { ...entry, group: groupOf.get(entry.url) } : entry)),
          warnings: [],
        };
      };
    },
  };
}
