// The city this portal serves. The server writes its data into the app shell as a JSON
// data block (no script runs from it, so the strict CSP holds); the same data is at
// GET /api/city. One build serves any city.
function read() {
  if (typeof document === "undefined") return null;
  const element = document.getElementById("city-data");
  if (!element) return null;
  try {
    return JSON.parse(element.textContent);
  } catch {
    return null;
  }
}

export const city = read();

/** The values of {city}, {city_address} … in texts, for ``lang`` (German as fallback). */
export function cityPlaceholders(lang) {
  if (!city) return {};
  return city.placeholders[lang] || city.placeholders.de || {};
}
