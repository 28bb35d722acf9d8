// What the figures need from the city: a target per service (a baseline year and the
// points the online quote should rise above it), counter cases per month (typed, or
// imported from a CSV file of the counter's own records), and the links to the open
// data export of the aggregates.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../../components/forms.jsx";
import { LoadError } from "../../../components/status.jsx";
import { asActionError, useAction } from "../../../hooks/use-action.js";
import { api, apiGet, apiUpload } from "../../../lib/api.js";
import { pick, t } from "../../../lib/i18n.js";
import { DataTable, FileInput, SelectField, withIds } from "../city-shared.jsx";
import { formatNumber } from "./csv.js";
import { cellText, share } from "./table.jsx";

const serviceOptions = (services) => services.map((service) => [service.service_id, pick(service.title) || service.service_id]);
const titleOf = (services, id) => pick(services.find((service) => service.service_id === id)?.title) || id;

/** Targets: the list of services with one, and a form to set or change one. */
export function Targets({ services, onChanged }) {
  const [form, setForm] = useState({ service: "", baseline_year: String(new Date().getFullYear() - 1), points: "10", baseline_quote: "" });
  const [done, setDone] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);
  const withTarget = services.filter((service) => service.target);
  const save = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    setDone(null);
    run(async () => {
      if (!form.service) throw { message: null, fieldErrors: [{ field: "service_id", message: t("console.statistics.targets.choose_service") }] };
      const body = { baseline_year: Number(form.baseline_year), points: Number(String(form.points).replace(",", ".")) };
      // The quote is typed in percent; left empty, the server computes it from the baseline year.
      if (form.baseline_quote.trim()) body.baseline_quote = Number(form.baseline_quote.replace(",", ".")) / 100;
      const target = await api("PUT", `/api/statistics/targets/${encodeURIComponent(form.service)}`, body);
      setDone(t("console.statistics.targets.saved", { service: titleOf(services, form.service), target: cellText(share(target.target_quote)) }));
      onChanged();
    });
  };
  const remove = (serviceId) =>
    run(async () => {
      await api("DELETE", `/api/statistics/targets/${encodeURIComponent(serviceId)}`);
      setDone(t("console.statistics.targets.removed", { service: titleOf(services, serviceId) }));
      onChanged();
    });
  const summary = withIds(error, "target");
  return (
    <section class="kern-stack" aria-labelledby="targets-heading">
      <h3 class="kern-heading-small" id="targets-heading">
        {t("console.statistics.targets.title")}
      </h3>
      <p class="kern-body">{t("console.statistics.targets.intro")}</p>
      {done && <Alert kind="success" title={done} />}
      {withTarget.length > 0 ? (
        <DataTable
          caption={t("console.statistics.targets.table")}
          head={[t("console.statistics.col.service"), t("console.statistics.targets.baseline_year"), t("console.statistics.targets.baseline_quote"), t("console.statistics.targets.points"), t("console.statistics.targets.target_quote"), t("console.statistics.col.actions")]}
        >
          {withTarget.map((service) => (
            <tr class="kern-table__row" key={service.service_id}>
              <th class="kern-table__header" scope="row">{pick(service.title) || service.service_id}</th>
              <td class="kern-table__cell">{service.target.baseline_year}</td>
              <td class="kern-table__cell stats-number">{cellText(share(service.target.baseline_quote))}</td>
              <td class="kern-table__cell stats-number">{formatNumber(service.target.points, 1)}</td>
              <td class="kern-table__cell stats-number" data-target-quote={service.service_id}>{cellText(share(service.target.target_quote))}</td>
              <td class="kern-table__cell">
                <Button variant="tertiary" disabled={busy} onClick={() => remove(service.service_id)}>
                  {t("console.statistics.targets.remove", { service: pick(service.title) || service.service_id })}
                </Button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="kern-body">{t("console.statistics.targets.none")}</p>
      )}
      <form class="kern-stack city-form" onSubmit={save} noValidate>
        <ErrorSummary message={summary?.message} errors={summary?.fieldErrors} focusToken={attempt} />
        <SelectField id="target-service_id" label={t("console.statistics.col.service")} value={form.service} onChange={(service) => setForm({ ...form, service })} placeholder={t("console.statistics.targets.choose")} options={serviceOptions(services)} error={errors.service_id} />
        <TextField id="target-baseline_year" label={t("console.statistics.targets.baseline_year")} inputMode="numeric" value={form.baseline_year} onInput={(baseline_year) => setForm({ ...form, baseline_year })} error={errors.baseline_year} />
        <TextField id="target-points" label={t("console.statistics.targets.points")} hint={t("console.statistics.targets.points_hint")} inputMode="decimal" value={form.points} onInput={(points) => setForm({ ...form, points })} error={errors.points} />
        <TextField id="target-baseline_quote" label={t("console.statistics.targets.baseline_quote_input")} hint={t("console.statistics.targets.baseline_quote_hint")} inputMode="decimal" value={form.baseline_quote} onInput={(baseline_quote) => setForm({ ...form, baseline_quote })} error={errors.baseline_quote} />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>{t("console.statistics.targets.save")}</Button>
        </div>
      </form>
    </section>
  );
}

const monthsOf = (year) => Array.from({ length: 12 }, (_, index) => `${year}-${String(index + 1).padStart(2, "0")}`);

/** Counter cases typed per month: one row per month of a year, an input for the count. */
export function CounterCounts({ services, onChanged }) {
  const thisYear = new Date().getFullYear();
  const [service, setService] = useState("");
  const [year, setYear] = useState(String(thisYear));
  const [rows, setRows] = useState(null);
  const [typed, setTyped] = useState({});
  const [loadError, setLoadError] = useState(null);
  const [saved, setSaved] = useState(null);
  const { busy, error, run } = useAction();
  const chosen = service || services[0]?.service_id || "";
  useEffect(() => {
    if (!chosen) return;
    setLoadError(null);
    setSaved(null);
    apiGet(`/api/statistics/counter-counts?service_id=${encodeURIComponent(chosen)}&year=${year}`).then(({ data }) => {
      const byMonth = Object.fromEntries((data.counts || []).map((row) => [row.month, row]));
      const full = monthsOf(year).map((month) => byMonth[month] || { month, typed: null, imported: 0, recorded: 0 });
      setRows(full);
      setTyped(Object.fromEntries(full.map((row) => [row.month, row.typed === null ? "" : String(row.typed)])));
    }, setLoadError);
  }, [chosen, year]);
  const monthName = (month) => new Intl.DateTimeFormat(t("console.statistics.date_locale"), { month: "long", year: "numeric" }).format(new Date(`${month}-15T12:00:00`));
  const save = (event) => {
    event.preventDefault();
    setSaved(null);
    run(async () => {
      const changed = rows.filter((row) => (typed[row.month] ?? "") !== (row.typed === null ? "" : String(row.typed)) && typed[row.month].trim() !== "");
      for (const row of changed) {
        try {
          const answer = await api("PUT", `/api/statistics/counter-counts/${encodeURIComponent(chosen)}/${row.month}`, { count: Number(typed[row.month].trim()) });
          setRows((current) => current.map((item) => (item.month === row.month ? { ...item, ...answer } : item)));
        } catch (caught) {
          // Name the month whose count the server refused; the earlier ones are saved.
          const wrapped = asActionError(caught);
          throw { message: null, fieldErrors: [{ field: `count-${row.month}`, message: `${monthName(row.month)}: ${wrapped.fieldErrors?.[0]?.message || wrapped.message}` }] };
        }
      }
      setSaved(t("console.statistics.counter.saved", { count: changed.length }));
      onChanged();
    });
  };
  const errors = fieldErrors(error);
  const years = [thisYear - 2, thisYear - 1, thisYear].map(String);
  return (
    <section class="kern-stack" aria-labelledby="counter-heading">
      <h3 class="kern-heading-small" id="counter-heading">
        {t("console.statistics.counter.title")}
      </h3>
      <p class="kern-body">{t("console.statistics.counter.intro")}</p>
      <div class="console-filters">
        <SelectField id="counter-service" label={t("console.statistics.col.service")} value={chosen} onChange={setService} options={serviceOptions(services)} />
        <SelectField id="counter-year" label={t("console.statistics.counter.year")} value={year} onChange={setYear} options={years.map((value) => [value, value])} />
      </div>
      <LoadError error={loadError} />
      {saved && <Alert kind="success" title={saved} />}
      {rows && (
        <form class="kern-stack" onSubmit={save} noValidate>
          <ErrorSummary message={error?.message} errors={error?.fieldErrors} />
          <DataTable caption={t("console.statistics.counter.table", { service: titleOf(services, chosen), year })} head={[t("console.statistics.col.month"), t("console.statistics.counter.recorded"), t("console.statistics.counter.imported"), t("console.statistics.counter.typed")]}>
            {rows.map((row) => (
              <tr class="kern-table__row" key={row.month}>
                <th class="kern-table__header" scope="row">{monthName(row.month)}</th>
                <td class="kern-table__cell stats-number">{formatNumber(row.recorded)}</td>
                <td class="kern-table__cell stats-number">{formatNumber(row.imported)}</td>
                <td class="kern-table__cell">
                  <label class="visually-hidden" for={`count-${row.month}`}>
                    {t("console.statistics.counter.typed_label", { month: monthName(row.month) })}
                  </label>
                  <input
                    class={errors[`count-${row.month}`] ? "kern-form-input__input kern-form-input__input--error stats-count-input" : "kern-form-input__input stats-count-input"}
                    id={`count-${row.month}`}
                    inputMode="numeric"
                    value={typed[row.month] ?? ""}
                    aria-invalid={errors[`count-${row.month}`] ? "true" : undefined}
                    onInput={(event) => setTyped({ ...typed, [row.month]: event.currentTarget.value })}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
          <div class="kern-btn-wrapper">
            <Button type="submit" disabled={busy}>{t("console.statistics.counter.save")}</Button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Counter cases from a CSV file (service;day;count), with every refused line named. */
export function CounterImport({ onImported }) {
  const input = useRef(null);
  const [file, setFile] = useState(null);
  const [result, setResult] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const onError = (caught) => {
    const error = asActionError(caught);
    const lines = error.body?.errors || error.fieldErrors || [];
    return {
      message: lines.length ? t("console.statistics.import.problems") : error.message,
      fieldErrors: lines.map((item) => ({
        field: "counter-file",
        message: item.line ? t("console.statistics.import.line", { line: item.line, message: item.message }) : item.message,
      })),
    };
  };
  const { busy, error, setError, run } = useAction({ onError });
  const submit = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    setResult(null);
    if (!file) return setError({ message: null, fieldErrors: [{ field: "counter-file", message: t("console.statistics.import.choose") }] });
    return run(async () => {
      setResult(await apiUpload("/api/statistics/counter-imports", { file }));
      setFile(null);
      if (input.current) input.current.value = "";
      onImported();
    });
  };
  return (
    <section class="kern-stack" aria-labelledby="import-heading">
      <h3 class="kern-heading-small" id="import-heading">
        {t("console.statistics.import.title")}
      </h3>
      {result && <Alert kind="success" title={t("console.statistics.import.done", { count: result.imported })} />}
      <form class="kern-stack city-form" onSubmit={submit} noValidate>
        <ErrorSummary message={error?.message} errors={error?.fieldErrors?.slice(0, 1)} focusToken={attempt} />
        <FileInput
          id="counter-file"
          label={t("console.statistics.import.file")}
          hint={t("console.statistics.import.hint")}
          problems={(error?.fieldErrors || []).map((item) => item.message)}
          inputRef={input}
          onChange={setFile}
        />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>{t("console.statistics.import.submit")}</Button>
        </div>
      </form>
    </section>
  );
}

/** Links to the open-data export of the aggregates for the chosen range. */
export function OpenData({ from, to }) {
  const query = new URLSearchParams({ from, to });
  return (
    <section class="kern-stack" aria-labelledby="open-data-heading">
      <h3 class="kern-heading-small" id="open-data-heading">
        {t("console.statistics.open_data.title")}
      </h3>
      <p class="kern-body">{t("console.statistics.open_data.intro")}</p>
      <ul class="kern-list">
        <li>
          <a class="kern-link" href={`/api/statistics/export.csv?${query}`} download>
            {t("console.statistics.open_data.csv")}
          </a>
        </li>
        <li>
          <a class="kern-link" href={`/api/statistics/export.json?${query}`}>
            {t("console.statistics.open_data.json")}
          </a>
        </li>
        <li>
          <a class="kern-link" href={`/api/statistics/export.csv?${query}&table=campaigns`} download>
            {t("console.statistics.open_data.campaigns_csv")}
          </a>
        </li>
      </ul>
    </section>
  );
}
