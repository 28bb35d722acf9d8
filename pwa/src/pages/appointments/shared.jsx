// Pieces the booking and the manage page share: times in the Bürgerbüro's time zone,
// the free days as a list (the primary, accessible way) or as a calendar grid, and the
// free times of one day.
import { useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { languageTag, t } from "../../lib/i18n.js";
import "./catalogue.js";

// The Bürgerbüro is in the city: its times read the same wherever the citizen's device is.
const ZONE = "Europe/Berlin";
const tag = languageTag;

export function formatTime(value) {
  return new Intl.DateTimeFormat(tag(), { hour: "2-digit", minute: "2-digit", timeZone: ZONE }).format(new Date(value));
}

export function formatLongDay(value) {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(tag(), { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: ZONE }).format(date);
}

export function servicesQuery(slugs) {
  return slugs.map((slug) => `services=${encodeURIComponent(slug)}`).join("&");
}

/** The bookable days, as a list or a calendar; ``onPick(day)`` with an ISO day. */
export function DayPicker({ days, onPick }) {
  const [view, setView] = useState("list");
  const open = days.filter((day) => day.free > 0);
  if (open.length === 0) return <p class="kern-body">{t("appointments.days.none")}</p>;
  return (
    <div class="kern-stack">
      <div class="kern-btn-wrapper" role="group" aria-label={t("appointments.days.view")}>
        <Button variant={view === "list" ? "primary" : "secondary"} aria-pressed={view === "list" ? "true" : "false"} onClick={() => setView("list")}>
          {t("appointments.days.as_list")}
        </Button>
        <Button variant={view === "calendar" ? "primary" : "secondary"} aria-pressed={view === "calendar" ? "true" : "false"} onClick={() => setView("calendar")}>
          {t("appointments.days.as_calendar")}
        </Button>
      </div>
      {view === "list" ? <DayList days={open} onPick={onPick} /> : <CalendarGrid days={days} onPick={onPick} />}
    </div>
  );
}

function DayList({ days, onPick }) {
  return (
    <ul class="appointments-list" aria-label={t("appointments.days.list_label")}>
      {days.map((day) => (
        <li key={day.day}>
          <Button variant="secondary" onClick={() => onPick(day.day)} data-day={day.day}>
            {t("appointments.days.entry", { day: formatLongDay(day.day), count: day.free })}
          </Button>
        </li>
      ))}
    </ul>
  );
}

function weeks(days) {
  // Rows of seven, Monday first, with empty cells before the first day.
  const cells = [];
  const first = new Date(`${days[0].day}T12:00:00Z`);
  const lead = (first.getUTCDay() + 6) % 7;
  for (let i = 0; i < lead; i += 1) cells.push(null);
  cells.push(...days);
  while (cells.length % 7) cells.push(null);
  const rows = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
  return rows;
}

function CalendarGrid({ days, onPick }) {
  const names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  return (
    <div class="kern-table-responsive appointments-calendar" role="region" aria-label={t("appointments.days.calendar_label")} tabIndex={0}>
      <table class="kern-table kern-table--small">
        <caption class="visually-hidden">{t("appointments.days.calendar_label")}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            {names.map((name) => (
              <th class="kern-table__header" scope="col" key={name}>
                <abbr title={t(`appointments.weekday.${name}`)}>{t(`appointments.weekday_short.${name}`)}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {weeks(days).map((row) => (
            <tr class="kern-table__row" key={row.find(Boolean)?.day}>
              {row.map((day, index) => (
                <td class="kern-table__cell" key={day ? day.day : `empty-${index}`}>
                  {day && <CalendarDay day={day} onPick={onPick} />}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CalendarDay({ day, onPick }) {
  const number = Number(day.day.slice(8, 10));
  if (day.free === 0) {
    const why = day.closed_reason ? t("appointments.days.closed", { reason: day.closed_reason }) : t("appointments.days.full");
    return (
      <span class="appointments-calendar__day">
        {number}
        <span class="visually-hidden">{` ${formatLongDay(day.day)}: ${why}`}</span>
      </span>
    );
  }
  return (
    <button type="button" class="appointments-calendar__button" onClick={() => onPick(day.day)} aria-label={t("appointments.days.entry", { day: formatLongDay(day.day), count: day.free })}>
      {number}
    </button>
  );
}

/** The free times of one day as a list of buttons. */
export function TimeList({ times, onPick, busy }) {
  if (times.length === 0) return <p class="kern-body">{t("appointments.times.none")}</p>;
  return (
    <ul class="appointments-times" aria-label={t("appointments.times.list_label")}>
      {times.map((time) => (
        <li key={time.starts_at}>
          <Button variant="secondary" disabled={busy} onClick={() => onPick(time)} data-start={time.starts_at}>
            {t("appointments.times.entry", { from: formatTime(time.starts_at), to: formatTime(time.ends_at) })}
          </Button>
        </li>
      ))}
    </ul>
  );
}

/** What a booking is: when, where, for what, its number. */
export function Summary({ appointment }) {
  return (
    <dl class="appointments-summary">
      <dt class="kern-body kern-body--bold">{t("appointments.summary.when")}</dt>
      <dd class="kern-body">{t("appointments.summary.when_value", { day: formatLongDay(appointment.starts_at), from: formatTime(appointment.starts_at), to: formatTime(appointment.ends_at) })}</dd>
      <dt class="kern-body kern-body--bold">{t("appointments.summary.where")}</dt>
      <dd class="kern-body">{t("appointments.summary.where_value", { counter: appointment.counter })}</dd>
      <dt class="kern-body kern-body--bold">{t("appointments.summary.what")}</dt>
      <dd class="kern-body">{appointment.services.map((service) => service.name).join(", ")}</dd>
      <dt class="kern-body kern-body--bold">{t("appointments.summary.reference")}</dt>
      <dd class="kern-body">{appointment.reference}</dd>
      <dt class="kern-body kern-body--bold">{t("appointments.summary.status")}</dt>
      <dd class="kern-body">{t(`appointments.status.${appointment.status}`)}</dd>
    </dl>
  );
}

/** The instant (ISO, UTC) of wall-clock ``hhmm`` on ``day`` in the Bürgerbüro's zone. */
export function zonedInstant(day, hhmm) {
  const guess = new Date(`${day}T${hhmm}:00Z`);
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(guess);
  const part = (type) => Number(parts.find((item) => item.type === type).value);
  const shown = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"));
  return new Date(guess.getTime() - (shown - guess.getTime())).toISOString();
}

/** Today in the Bürgerbüro's zone, as an ISO day. */
export function todayThere() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}
