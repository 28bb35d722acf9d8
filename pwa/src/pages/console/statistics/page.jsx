// The console's statistics at /verwaltung/statistik: a service (or all), a period grouping
// and a range (the last twelve months unless chosen otherwise), the figures from the
// daily aggregate with the time they were computed, a button to compute them now, and
// below the inputs the figures need: targets, counter cases typed per month or imported
// from a CSV file, and the open-data export.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary } from "../../../components/forms.jsx";
import { Loading } from "../../../components/page.jsx";
import { LoadError } from "../../../components/status.jsx";
import { useAction } from "../../../hooks/use-action.js";
import { useResource } from "../../../hooks/use-resource.js";
import { api, apiGet } from "../../../lib/api.js";
import { addCatalogues, formatDateTime, pick, t } from "../../../lib/i18n.js";
import { SelectField } from "../city-shared.jsx";
import { ConsolePage } from "../layout.jsx";
import { Figures } from "./figures.jsx";
import de from "./locales/de.json";
import en from "./locales/en.json";
import { CounterCounts, CounterImport, OpenData, Targets } from "./manage.jsx";
import { lastTwelveMonths, monthChoices, rangeDays } from "./range.js";
import "./statistics.css";

addCatalogues({ de, en });

const GROUPS = ["month", "quarter", "year"];

function figuresPath({ service, group, from, to }) {
  const params = new URLSearchParams({ group, ...rangeDays({ from, to }) });
  if (service) params.set("service_id", service);
  return `/api/statistics/figures?${params}`;
}

export function ConsoleStatisticsPage() {
  return (
    <ConsolePage title={t("console.statistics.title")}>
      <Statistics />
    </ConsolePage>
  );
}

function Statistics() {
  const services = useResource("/api/statistics/services");
  const [filters, setFilters] = useState(() => ({ service: "", group: "month", ...lastTwelveMonths() }));
  const [applied, setApplied] = useState(filters);
  const [figures, setFigures] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [refreshed, setRefreshed] = useState(null);
  const refresh = useAction();
  const load = () => {
    setLoadError(null);
    return apiGet(figuresPath(applied)).then(
      ({ data }) => setFigures(data),
      (caught) => setLoadError(caught),
    );
  };
  useEffect(() => {
    load();
  }, [applied]);
  const list = services.data?.services || [];
  const aggregate = () =>
    refresh.run(async () => {
      // 200 {aggregated_at, days} when done now; 202 {queued, pending_days} when the
      // job queue computes many days in the background.
      const done = await api("POST", "/api/statistics/aggregation");
      setRefreshed(done || {});
      await load();
      services.reload();
    });
  const invalid = applied.from > applied.to;
  const months = monthChoices().map((month) => [month, monthName(month)]);
  return (
    <>
      <p class="kern-body">{t("console.statistics.intro")}</p>
      <form
        class="console-filters stats-filters"
        aria-label={t("console.statistics.filters")}
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(filters);
        }}
      >
        <SelectField
          id="stats-service"
          label={t("console.statistics.service")}
          value={filters.service}
          onChange={(service) => setFilters({ ...filters, service })}
          placeholder={t("console.statistics.all_services")}
          options={list.map((service) => [service.service_id, pick(service.title) || service.service_id])}
        />
        <SelectField
          id="stats-group"
          label={t("console.statistics.group")}
          value={filters.group}
          onChange={(group) => setFilters({ ...filters, group })}
          options={GROUPS.map((group) => [group, t(`console.statistics.group.${group}`)])}
        />
        <SelectField id="stats-from" label={t("console.statistics.from")} value={filters.from} onChange={(from) => setFilters({ ...filters, from })} options={months} />
        <SelectField id="stats-to" label={t("console.statistics.to")} value={filters.to} onChange={(to) => setFilters({ ...filters, to })} options={months} />
        <div class="kern-btn-wrapper">
          <Button type="submit" variant="secondary">
            {t("console.statistics.show")}
          </Button>
        </div>
      </form>
      <div class="stats-refresh">
        <p class="kern-body" role="status" id="stats-as-of">
          {figures &&
            (figures.aggregated_at
              ? t("console.statistics.as_of", { when: formatDateTime(figures.aggregated_at) })
              : t("console.statistics.never_aggregated"))}
        </p>
        <div class="kern-btn-wrapper">
          <Button onClick={aggregate} disabled={refresh.busy} aria-describedby="stats-as-of">
            {refresh.busy ? t("console.statistics.refreshing") : t("console.statistics.refresh")}
          </Button>
        </div>
      </div>
      {refreshed && !refresh.busy && (refreshed.queued ? (
        <Alert kind="info" title={t("console.statistics.queued", { count: refreshed.pending_days })} />
      ) : (
        <Alert kind="success" title={t("console.statistics.refreshed", { count: refreshed.days })} />
      ))}
      <ErrorSummary message={refresh.error?.message} errors={refresh.error?.fieldErrors} />
      <p class="kern-body kern-body--small">{t("console.statistics.privacy", { min: figures?.min_cases ?? 5 })}</p>
      {invalid && <Alert kind="warning" title={t("console.statistics.range_invalid")} />}
      <LoadError error={loadError} />
      {!figures && !loadError && <Loading />}
      {figures && <Figures figures={figures} />}
      <h2 class="kern-heading-medium stats-manage-heading">{t("console.statistics.manage_heading")}</h2>
      <Targets services={list} onChanged={() => { services.reload(); load(); }} />
      <CounterCounts services={list} onChanged={load} />
      <CounterImport onImported={load} />
      <OpenData {...rangeDays(applied)} />
    </>
  );
}

/** ``YYYY-MM`` as the reader says it, e.g. "Dezember 2026". */
function monthName(month) {
  return new Intl.DateTimeFormat(t("console.statistics.date_locale"), { month: "long", year: "numeric" }).format(new Date(`${month}-15T12:00:00`));
}
