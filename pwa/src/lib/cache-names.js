// Cache names shared by the service worker and the page (which empties the personal
// cache when someone signs out, so the next person on the device sees nothing of it).
export const PERSONAL_CACHE = "personal-data";

// Files only some roles need (the officers' scanner) live in a cache per group; the page
// asks the service worker for them with this message (see service_worker/role-assets.js).
export const ROLE_ASSETS_MESSAGE = "CACHE_ROLE_ASSETS";
export const roleCacheName = (group) => `role-assets-${group}`;

// The Bürgerbüro terminal's wipe after each visit: the page asks the service worker to
// drop every cache that may hold personal data; the app shell (Workbox's precache) and
// these caches of public data stay, so the next visitor's start is quick.
export const KIOSK_WIPE_MESSAGE = "KIOSK_WIPE";
export const PUBLIC_CACHES = ["catalogue", "definitions"];

/** Whether a cache holds nothing personal (kept by the terminal's wipe). */
export function isPublicCache(name) {
  return PUBLIC_CACHES.includes(name) || name.startsWith("workbox-precache") || name.startsWith("role-assets-");
}
