// The statistics take whole months only (the server refuses other days, so two ranges a
// day apart cannot be subtracted): the range picker offers months, and a month range
// becomes the first day of its first month and the last day of its last month.

const pad = (number) => String(number).padStart(2, "0");
const monthOf = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;

/** The default range: the twelve months up to and including the current one. */
export function lastTwelveMonths(today = new Date()) {
  return { from: monthOf(new Date(today.getFullYear(), today.getMonth() - 11, 1)), to: monthOf(today) };
}

/** ``YYYY-MM`` → the first day of that month, ``YYYY-MM-01``. */
export const firstDay = (month) => `${month}-01`;

/** ``YYYY-MM`` → the last day of that month (28 to 31 days, leap years included). */
export function lastDay(month) {
  const [year, number] = month.split("-").map(Number);
  // Day 0 of the next month is the last day of this one.
  return `${month}-${pad(new Date(Date.UTC(year, number, 0)).getUTCDate())}`;
}

/** The months the picker offers, newest first: from January ``years - 1`` years back up to this month. */
export function monthChoices(today = new Date(), years = 10) {
  const months = [];
  for (let cursor = new Date(today.getFullYear(), today.getMonth(), 1); cursor.getFullYear() > today.getFullYear() - years; cursor.setMonth(cursor.getMonth() - 1)) {
    months.push(monthOf(cursor));
  }
  return months;
}

/** The query of a month range as the API wants it: ``from`` and ``to`` as days. */
export const rangeDays = ({ from, to }) => ({ from: firstDay(from), to: lastDay(to) });
