// Date bounds written relative to today, as service definitions use them ("-14d",
// "+5wd", "-30y", "today", "2024-01-01"); the same grammar the server reads.

export function isoDay(date) {
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Today in the city's time zone: a phone abroad must not move the bounds by a day. */
export function cityToday() {
  try {
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    return parseIso(parts) || new Date();
  } catch {
    return new Date();
  }
}

export function parseIso(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || "").trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  if (year < 1) return null;
  // setFullYear, because new Date(50, ...) would mean 1950.
  const date = new Date(2000, 0, 1, 12);
  date.setFullYear(year, month, day);
  return date.getMonth() === month && date.getDate() === day ? date : null;
}

/** Read YYYY-MM-DD (what date inputs give) or TT.MM.JJJJ. */
export function parseDay(text) {
  const value = String(text || "").trim();
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  if (german) return parseIso(`${german[3]}-${german[2].padStart(2, "0")}-${german[1].padStart(2, "0")}`);
  return parseIso(value);
}

function addMonths(start, months) {
  const index = start.getFullYear() * 12 + start.getMonth() + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(year, month + 1, 0).getDate();
  return new Date(year, month, Math.min(start.getDate(), last), 12);
}

function addWorkingDays(start, days) {
  const step = days >= 0 ? 1 : -1;
  const current = new Date(start);
  let remaining = Math.abs(days);
  while (remaining) {
    current.setDate(current.getDate() + step);
    const weekday = current.getDay();
    if (weekday !== 0 && weekday !== 6) remaining -= 1;
  }
  return current;
}

export function resolveDate(spec, today = cityToday()) {
  if (spec === "today") return new Date(today);
  const absolute = parseIso(spec);
  if (absolute) return absolute;
  const match = /^([+-])(\d{1,5})(d|wd|w|m|y)$/.exec(spec || "");
  if (!match) return null;
  const amount = Number(match[2]) * (match[1] === "-" ? -1 : 1);
  const base = new Date(today.getFullYear(), today.getMonth(), today.getDate(), 12);
  switch (match[3]) {
    case "d":
      base.setDate(base.getDate() + amount);
      return base;
    case "w":
      base.setDate(base.getDate() + 7 * amount);
      return base;
    case "wd":
      return addWorkingDays(base, amount);
    case "m":
      return addMonths(base, amount);
    default:
      return addMonths(base, 12 * amount);
  }
}
