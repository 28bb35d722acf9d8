// Calendar days as the pass counts them: days since 1970-01-01, in German time.
const DAY_MS = 86_400_000;
let berlin;

/** Today's day number in Europe/Berlin (validity days are German calendar days). */
export function berlinToday(now = Date.now()) {
  berlin ||= new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" });
  const parts = Object.fromEntries(berlin.formatToParts(now).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS;
}

/** Day number → "YYYY-MM-DD". */
export function dayToIso(days) {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" → day number. */
export function isoToDay(iso) {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}
