// The console's Bürgerbüro settings for admins: how long each counter service takes, the
// opening hours and the city's closing days. Every change sends the whole configuration, which the
// server checks as one.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDate, locale, t } from "../../lib/i18n.js";
import { DataTable, SelectField } from "../console/city-shared.jsx";
import "./catalogue.js";

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const CLOSING_INPUTS = { day: "closing-day", reason_de: "closing-reason-de", reason_en: "closing-reason-en" };

/** Server field paths renamed to this page's input ids, so the summary's links land. */
function inputIds(errors, data) {
  return (errors || []).map((item) => {
    const duration = /^services\.(\d+)\.duration_minutes$/.exec(item.field);
    if (duration && data.services[Number(duration[1])]) return { ...item, field: `duration-${data.services[Number(duration[1])].slug}` };
    const opening = /^opening_hours\.(\d+)\.(weekday|opens|closes)$/.exec(item.field);
    if (opening) return { ...item, field: `opening-${opening[1]}-${opening[2]}` };
    const closing = /^closing_days\.\d+\.(day|reason_de|reason_en)$/.exec(item.field);
    if (closing) return { ...item, field: CLOSING_INPUTS[closing[1]] };
    return item;
  });
}

export function Configuration() {
  const { data, error, reload } = useResource("/api/admin/appointments/configuration");
  const action = useAction();
  const [saved, setSaved] = useState(null);
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  const save = (changed, message) =>
    action.run(async () => {
      await api("PUT", "/api/admin/appointments/configuration", changed);
      setSaved(message);
      reload();
      return true;
    });
  return (
    <section class="kern-stack" aria-labelledby="configuration-heading">
      <h2 class="kern-heading-medium" id="configuration-heading">
        {t("appointments.config.heading")}
      </h2>
      {saved && <Alert kind="success">{saved}</Alert>}
      {action.error && <ErrorSummary errors={inputIds(action.error.fieldErrors, data)} message={action.error.message} />}
      <Durations data={data} busy={action.busy} error={action.error} onSave={(changed) => save(changed, t("appointments.config.durations_saved"))} />
      <OpeningHours data={data} busy={action.busy} error={action.error} onSave={(changed) => save(changed, t("appointments.config.hours_saved"))} />
      <ClosingDays data={data} busy={action.busy} error={action.error} onSave={(changed) => save(changed, t("appointments.config.days_saved"))} />
    </section>
  );
}

function Durations({ data, busy, error, onSave }) {
  const errors = fieldErrors({ fieldErrors: inputIds(error?.fieldErrors, data) });
  const [minutes, setMinutes] = useState(() => Object.fromEntries(data.services.map((s) => [s.slug, String(s.duration_minutes)])));
  const submit = (event) => {
    event.preventDefault();
    onSave({ ...data, services: data.services.map((s) => ({ ...s, duration_minutes: Number(minutes[s.slug]) })) });
  };
  const name = (service) => (locale.get() === "en" ? service.name_en : service.name_de);
  return (
    <form class="kern-stack" onSubmit={submit} noValidate>
      <h3 class="kern-heading-small">{t("appointments.config.durations")}</h3>
      {data.services.map((service) => (
        <TextField
          error={errors[`duration-${service.slug}`]}
          key={service.slug}
          id={`duration-${service.slug}`}
          type="number"
          min="5"
          step="5"
          label={t("appointments.config.duration_of", { name: name(service) })}
          value={minutes[service.slug]}
          onInput={(value) => setMinutes({ ...minutes, [service.slug]: value })}
        />
      ))}
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={busy}>
          {t("appointments.config.save_durations")}
        </Button>
      </div>
    </form>
  );
}

function OpeningHours({ data, busy, error, onSave }) {
  const errors = fieldErrors({ fieldErrors: inputIds(error?.fieldErrors, data) });
  const [rows, setRows] = useState(() => data.opening_hours.map((o) => ({ ...o, weekday: String(o.weekday) })));
  const change = (index, key, value) => setRows(rows.map((row, i) => (i === index ? { ...row, [key]: value } : row)));
  const submit = (event) => {
    event.preventDefault();
    onSave({ ...data, opening_hours: rows.map((row) => ({ weekday: Number(row.weekday), opens: row.opens, closes: row.closes })) });
  };
  const weekdays = WEEKDAYS.map((name, index) => [String(index), t(`appointments.weekday.${name}`)]);
  return (
    <form class="kern-stack" onSubmit={submit} noValidate>
      <h3 class="kern-heading-small">{t("appointments.config.opening_hours")}</h3>
      <p class="kern-body">{t("appointments.config.opening_hours_note")}</p>
      {rows.map((row, index) => (
        // Rows have no identity of their own; the position is what the server names too.
        <fieldset class="kern-fieldset" key={index}>
          <legend class="kern-label">{t("appointments.config.interval", { number: index + 1 })}</legend>
          <div class="kern-fieldset__body kern-stack">
            <SelectField id={`opening-${index}-weekday`} label={t("appointments.config.weekday")} value={row.weekday} onChange={(value) => change(index, "weekday", value)} options={weekdays} error={errors[`opening-${index}-weekday`]} />
            <TextField id={`opening-${index}-opens`} type="time" label={t("appointments.config.opens")} value={row.opens} onInput={(value) => change(index, "opens", value)} error={errors[`opening-${index}-opens`]} />
            <TextField id={`opening-${index}-closes`} type="time" label={t("appointments.config.closes")} value={row.closes} onInput={(value) => change(index, "closes", value)} error={errors[`opening-${index}-closes`]} />
            <div>
              <Button variant="tertiary" onClick={() => setRows(rows.filter((_, i) => i !== index))}>
                {t("appointments.config.remove_interval", { number: index + 1 })}
              </Button>
            </div>
          </div>
        </fieldset>
      ))}
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={() => setRows([...rows, { weekday: "0", opens: "08:00", closes: "12:00" }])}>
          {t("appointments.config.add_interval")}
        </Button>
        <Button type="submit" disabled={busy}>
          {t("appointments.config.save_hours")}
        </Button>
      </div>
    </form>
  );
}

function ClosingDays({ data, busy, error, onSave }) {
  const [day, setDay] = useState("");
  const [reasonDe, setReasonDe] = useState("");
  const [reasonEn, setReasonEn] = useState("");
  const errors = fieldErrors({ fieldErrors: inputIds(error?.fieldErrors, data) });
  const reason = (entry) => (locale.get() === "en" ? entry.reason_en : entry.reason_de);
  const add = (event) => {
    event.preventDefault();
    onSave({ ...data, closing_days: [...data.closing_days, { day, reason_de: reasonDe, reason_en: reasonEn || reasonDe }] });
  };
  const remove = (entry) => onSave({ ...data, closing_days: data.closing_days.filter((d) => d.day !== entry.day) });
  return (
    <div class="kern-stack">
      <h3 class="kern-heading-small">{t("appointments.config.closing_days")}</h3>
      <p class="kern-body">{t("appointments.config.holidays_note")}</p>
      <DataTable caption={t("appointments.config.closing_days")} hiddenCaption head={["day", "reason", "action"].map((c) => t(`appointments.config.col.${c}`))}>
        {data.closing_days.map((entry) => (
          <tr class="kern-table__row" key={entry.day}>
            <td class="kern-table__cell">{formatDate(entry.day)}</td>
            <td class="kern-table__cell">{reason(entry)}</td>
            <td class="kern-table__cell">
              <Button variant="tertiary" disabled={busy} onClick={() => remove(entry)} aria-label={t("appointments.config.remove_day", { day: formatDate(entry.day) })}>
                {t("appointments.config.remove")}
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
      <form class="kern-stack" onSubmit={add} noValidate>
        <TextField id="closing-day" type="date" label={t("appointments.config.day")} value={day} onInput={setDay} error={errors["closing-day"]} />
        <TextField id="closing-reason-de" label={t("appointments.config.reason_de")} value={reasonDe} onInput={setReasonDe} error={errors["closing-reason-de"]} />
        <TextField id="closing-reason-en" label={t("appointments.config.reason_en")} hint={t("appointments.config.reason_en_hint")} value={reasonEn} onInput={setReasonEn} error={errors["closing-reason-en"]} />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>
            {t("appointments.config.add_day")}
          </Button>
        </div>
      </form>
    </div>
  );
}
