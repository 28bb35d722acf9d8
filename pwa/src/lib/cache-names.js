// Cache names shared by the service worker and the page (which empties the personal
// cache when someone signs out, so the next person on the device sees nothing of it).
export const PERSONAL_CACHE = "personal-data";
