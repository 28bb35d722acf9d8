// Cache names shared by the service worker and the page (which empties the personal
// cache when someone signs out, so the next person on the device sees nothing of it).
export const PERSONAL_CACHE = "personal-data";

// Files only some roles need (the officers' scanner) live in a cache per group; the page
// asks the service worker for them with this message (see service_worker/role-assets.js).
export const ROLE_ASSETS_MESSAGE = "CACHE_ROLE_ASSETS";
export const roleCacheName = (group) => `role-assets-${group}`;
