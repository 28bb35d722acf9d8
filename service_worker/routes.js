// Runtime caching: which API answers are kept for offline use and how.
import { CacheableResponsePlugin } from "workbox-cacheable-response";
import { ExpirationPlugin } from "workbox-expiration";
import { registerRoute } from "workbox-routing";
import { NetworkFirst, StaleWhileRevalidate } from "workbox-strategies";
import { PERSONAL_CACHE } from "../pwa/src/lib/cache-names.js";

const ok = new CacheableResponsePlugin({ statuses: [200] });

/**
 * Stamps the copy kept in the cache with the time it was fetched. The network answer
 * reaches the page unchanged; only a copy served while offline carries the stamp, which
 * is how the page knows to say "offline, showing data from <time>".
 */
const stampCachedAt = {
  cacheWillUpdate: async ({ response }) => {
    if (!response || response.status !== 200) return null;
    const headers = new Headers(response.headers);
    headers.set("X-Cached-At", new Date().toISOString());
    return new Response(await response.blob(), { status: 200, statusText: response.statusText, headers });
  },
};

const PERSONAL = [
  /^\/api\/auth\/session$/,
  /^\/api\/account$/,
  /^\/api\/account\/(profile|passkeys|sessions)$/,
  /^\/api\/applications$/,
  /^\/api\/applications\/[^/]+$/,
  /^\/api\/applications\/[^/]+\/events$/,
  /^\/api\/inbox$/,
  /^\/api\/inbox\/unread$/,
  /^\/api\/inbox\/threads$/,
  /^\/api\/inbox\/threads\/[^/]+$/,
  /^\/api\/inbox\/\d+$/,
  /^\/api\/notices$/,
  /^\/api\/payments$/,
  /^\/api\/reports\/mine$/,
];

export function registerRuntimeRoutes() {
  // The city's colours, emblem and data (served from its package, not built in): the
  // copy opens the app offline in the city's look and is renewed in the background.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && /^\/(city\.css|city\/logo\.svg|api\/city)$/.test(url.pathname),
    new StaleWhileRevalidate({ cacheName: "city", plugins: [ok] }),
  );
  // Published versions never change, but the options of fields with `options_from`
  // (the Kita facilities) are resolved into them: a draft opens at once from the copy,
  // which is renewed in the background for its next opening.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && /^\/api\/services\/[^/]+\/versions\/\d+$/.test(url.pathname),
    new StaleWhileRevalidate({ cacheName: "definitions", plugins: [ok] }),
  );
  // The catalogue and newest definitions: fresh when online, from the cache when not,
  // so a form opens on the train.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && /^\/api\/services(\/[^/]+)?$/.test(url.pathname),
    new NetworkFirst({ cacheName: "catalogue", networkTimeoutSeconds: 6, plugins: [ok] }),
  );
  // A service's guide (examples for today, the fee for them, the typical duration): kept
  // like the definition it belongs to, so a guide seen once opens offline.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && /^\/api\/services\/[^/]+\/guide$/.test(url.pathname),
    new NetworkFirst({ cacheName: "catalogue", networkTimeoutSeconds: 6, plugins: [ok] }),
  );
  // The payment methods the portal offers: the guide "So bezahlen Sie" names them, offline too.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && url.pathname === "/api/payments/providers",
    new NetworkFirst({ cacheName: "catalogue", networkTimeoutSeconds: 6, plugins: [ok] }),
  );
  // The defect report form's categories and map settings, so a report can be written
  // (and wait in the outbox) without a network.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && /^\/api\/reports\/(categories|config)$/.test(url.pathname),
    new NetworkFirst({ cacheName: "catalogue", networkTimeoutSeconds: 6, plugins: [ok] }),
  );
  // The citizen's own data: always fresh when the network answers, the last copy when
  // not. Clerks' screens (other people's data) are never cached.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && PERSONAL.some((pattern) => pattern.test(url.pathname)),
    new NetworkFirst({
      cacheName: PERSONAL_CACHE,
      networkTimeoutSeconds: 8,
      plugins: [stampCachedAt, new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 30 * 24 * 3600 })],
    }),
  );
}
