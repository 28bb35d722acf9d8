// Parking passes in the service worker: the citizen's wallet kept for offline use (in
// the personal cache, which signing out empties). The officers' scanner and its QR
// reader's WebAssembly are cached on officers' devices only (role-assets.js), so it
// starts without network there; the scanner's key set and revocation list live in
// IndexedDB (pwa/src/lib/passes/store.js), not here.
import { registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";
import { PERSONAL_CACHE } from "../pwa/src/lib/cache-names.js";

/** The copy in the cache carries the time it was fetched (shown as "offline, data from …"). */
const stampCachedAt = {
  cacheWillUpdate: async ({ response }) => {
    if (!response || response.status !== 200) return null;
    const headers = new Headers(response.headers);
    headers.set("X-Cached-At", new Date().toISOString());
    return new Response(await response.blob(), { status: 200, statusText: response.statusText, headers });
  },
};

const WALLET = [/^\/api\/parking\/permits$/, /^\/api\/parking\/permits\/[^/]+$/, /^\/api\/parking\/permits\/[^/]+\/(pdf|qr\.svg)$/];

registerRoute(
  ({ url, sameOrigin, request }) => sameOrigin && request.method === "GET" && WALLET.some((pattern) => pattern.test(url.pathname)),
  new NetworkFirst({
    cacheName: PERSONAL_CACHE,
    networkTimeoutSeconds: 8,
    // No expiration plugin: a handful of entries, replaced on every visit; the personal
    // cache's own plugin (routes.js) tracks only the entries of its routes.
    plugins: [stampCachedAt],
  }),
);
