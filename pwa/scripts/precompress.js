// Writes a gzip copy next to each built script and stylesheet, so the server can send
// compressed files without compressing on every request (api/web.py serves them).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(js|css|webmanifest|wasm)$/;

function walk(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function precompress(outDir) {
  return {
    name: "portal-precompress",
    apply: "build",
    closeBundle() {
      for (const path of walk(join(outDir, "assets"))) {
        if (!COMPRESSIBLE.test(path)) continue;
        const content = readFileSync(path);
        const packed = gzipSync(content, { level: 9 });
        if (packed.length < content.length) writeFileSync(`${path}.gz`, packed);
      }
    },
  };
}
