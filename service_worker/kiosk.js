// The Bürgerbüro terminal's wipe between visitors (pwa/src/lib/kiosk.js): on request,
// every cache that may hold personal data is deleted; the app shell and public data stay.
import { KIOSK_WIPE_MESSAGE, isPublicCache } from "../pwa/src/lib/cache-names.js";

async function dropPersonalCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => !isPublicCache(name)).map((name) => caches.delete(name)));
}

self.addEventListener("message", (event) => {
  if (event.data?.type !== KIOSK_WIPE_MESSAGE) return;
  const reply = event.ports?.[0];
  event.waitUntil(
    dropPersonalCaches().then(
      () => reply?.postMessage({ done: true }),
      () => reply?.postMessage({ done: false }),
    ),
  );
});
