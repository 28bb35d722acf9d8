// The console's figures of the Bürgerbüro: utilisation (booked minutes over open counter
// minutes) and the no-show rate, for the whole office and per counter.
import { useState } from "preact/hooks";
import { TextField } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { session } from "../../lib/api.js";
import { locale, t } from "../../lib/i18n.js";
import { useSignal } from "../../lib/signal.js";
import { DataTable } from "../console/city-shared.jsx";
import { ConsolePage } from "../console/layout.jsx";
import { Configuration } from "./configuration.jsx";
import { todayThere } from "./shared.jsx";
import "./catalogue.js";

const percent = (value) => new Intl.NumberFormat(locale.get() === "en" ? "en-GB" : "de-DE", { style: "percent", maximumFractionDigits: 1 }).format(value);

function daysBefore(day, count) {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - count);
  return date.toISOString().slice(0, 10);
}

export function ConsoleAppointmentsPage() {
  const today = todayThere();
  const [first, setFirst] = useState(daysBefore(today, 29));
  const [last, setLast] = useState(today);
  const current = useSignal(session);
  return (
    <ConsolePage title={t("appointments.console.title")}>
      <p class="kern-body">{t("appointments.console.intro")}</p>
      <TextField id="figures-first" type="date" label={t("appointments.console.first")} value={first} onInput={(value) => value && setFirst(value)} />
      <TextField id="figures-last" type="date" label={t("appointments.console.last")} value={last} onInput={(value) => value && setLast(value)} />
      <Figures first={first} last={last} />
      {current.user?.role === "admin" && <Configuration />}
    </ConsolePage>
  );
}

function Figures({ first, last }) {
  const { data, error } = useResource(`/api/staff/appointments/figures?first=${first}&last=${last}`);
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  const rows = [{ counter: t("appointments.console.total"), ...data.total }, ...data.counters];
  return (
    <DataTable caption={t("appointments.console.caption")} head={["counter", "utilisation", "booked", "open", "appointments", "no_show_rate"].map((c) => t(`appointments.console.col.${c}`))}>
      {rows.map((row) => (
        <tr class="kern-table__row" key={row.counter}>
          <th class="kern-table__header" scope="row">
            {row.counter}
          </th>
          <td class="kern-table__cell kern-table__cell--numeric">{percent(row.utilisation)}</td>
          <td class="kern-table__cell kern-table__cell--numeric">{row.booked_minutes}</td>
          <td class="kern-table__cell kern-table__cell--numeric">{row.open_minutes}</td>
          <td class="kern-table__cell kern-table__cell--numeric">{row.appointments}</td>
          <td class="kern-table__cell kern-table__cell--numeric">{`${percent(row.no_show_rate)} (${row.no_shows})`}</td>
        </tr>
      ))}
    </DataTable>
  );
}
