// The portal's service worker: the app shell from the precache, service definitions
// and personal data from runtime caches, and queued submissions sent by Background Sync.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { sendQueued, sendReportOutbox } from "./background-sync.js";
import "./kiosk.js";
import "./passes.js";
import "./push.js";
import { registerRoleAssets } from "./role-assets.js";
import { registerRuntimeRoutes } from "./routes.js";

// Entries with a group (the officers' scanner, the clerks' screens) are cached only on
// devices of that role (role-assets.js); every visitor gets the rest.
const manifest = self.__WB_MANIFEST;
precacheAndRoute(manifest.filter((entry) => !entry.group));
registerRoleAssets(manifest.filter((entry) => entry.group));
cleanupOutdatedCaches();

// Every page of the app is the same shell; the API, documents and developer pages are not.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), {
    // The payment sandbox's pages are server-rendered, like a real provider's would be.
    denylist: [/^\/api\//, /^\/dev\//, /^\/payment-sandbox\//, /^\/open311\//],
  }),
);
registerRuntimeRoutes();

// A new version waits until the citizen chooses to reload (see the update banner), so
// an open form is never swapped out from under them.
self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
});

// The first installation takes over the open page at once, so its first look at the
// catalogue is already cached for the train ride.
clientsClaim();

self.addEventListener("sync", (event) => {
  if (event.tag === "submit-queue") event.waitUntil(sendQueued());
  if (event.tag === "report-outbox") event.waitUntil(sendReportOutbox());
});
