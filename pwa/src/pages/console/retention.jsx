// The console's retention page ("Aufbewahrung"): per service what the next daily run
// would delete (a dry run, nothing is deleted here) and what a legal hold keeps, how
// many defect reports' personal data it would erase, and the last runs. The periods
// are set per service in the builder; the reports' period by REPORTS_PERSONAL_DATA_DAYS.
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { formatDate, formatDateTime, pick, t } from "../../lib/i18n.js";
import { DataTable } from "./city-shared.jsx";
import { ConsolePage } from "./layout.jsx";

// The holds the server names (app/retention/holds.py), in this order on screen.
export const HOLDS = ["open_payment", "open_refund", "pending_handoff"];

/** "2 offene Zahlung, 1 Übergabe unterwegs" for a service's holds (empty: none). */
export function holdsText(heldBy) {
  return HOLDS.filter((reason) => heldBy?.[reason])
    .map((reason) => t(`console.retention.hold.${reason}`, { count: heldBy[reason] }))
    .join(", ");
}

export function ConsoleRetentionPage() {
  return (
    <ConsolePage title={t("console.retention.title")}>
      <Retention />
    </ConsolePage>
  );
}

function Retention() {
  const { data, error } = useResource("/api/admin/retention");
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  const due = data.services.reduce((sum, service) => sum + service.drafts + service.closed, 0);
  return (
    <>
      <p class="kern-body">{t("console.retention.intro")}</p>
      <h2 class="kern-heading-medium">{t("console.retention.next_run")}</h2>
      <p class="kern-body" role="status">
        {due ? t("console.retention.due", { count: due }) : t("console.retention.nothing_due")}
      </p>
      <DataTable
        caption={t("console.retention.services_table")}
        head={["service", "periods", "drafts", "closed", "oldest", "held"].map((name) => t(`console.retention.col.${name}`))}
      >
        {data.services.map((service) => (
          <tr class="kern-table__row" key={service.service_id}>
            <td class="kern-table__cell">{pick(service.title) || service.service_id}</td>
            <td class="kern-table__cell">
              {t("console.retention.periods", { drafts: service.drafts_days, closed: service.closed_days })}
              {service.defaulted.length > 0 && ` ${t("console.retention.defaulted")}`}
            </td>
            <td class="kern-table__cell kern-table__cell--numeric">{service.drafts}</td>
            <td class="kern-table__cell kern-table__cell--numeric">{service.closed}</td>
            <td class="kern-table__cell">{service.oldest ? formatDate(service.oldest) : "–"}</td>
            <td class="kern-table__cell">{service.held ? holdsText(service.held_by) : "–"}</td>
          </tr>
        ))}
      </DataTable>
      <h2 class="kern-heading-medium">{t("console.retention.reports_heading")}</h2>
      <p class="kern-body">{t("console.retention.reports_rule", { days: data.reports.days })}</p>
      <p class="kern-body">
        {data.reports.due ? t("console.retention.reports_due", { count: data.reports.due }) : t("console.retention.reports_nothing_due")}
        {data.reports.oldest && ` ${t("console.retention.reports_oldest", { date: formatDate(data.reports.oldest) })}`}
      </p>
      <h2 class="kern-heading-medium">{t("console.retention.runs")}</h2>
      {data.runs.length === 0 ? (
        <p class="kern-body">{t("console.retention.no_runs")}</p>
      ) : (
        <DataTable
          caption={t("console.retention.runs_table")}
          hiddenCaption
          head={["started", "by", "drafts", "closed", "held", "reports"].map((name) => t(`console.retention.run_col.${name}`))}
        >
          {data.runs.map((run) => (
            <tr class="kern-table__row" key={run.id}>
              <td class="kern-table__cell">
                {formatDateTime(run.started_at)}
                {!run.finished_at && ` ${t("console.retention.unfinished")}`}
              </td>
              <td class="kern-table__cell">{t(`console.retention.started_by.${run.started_by}`)}</td>
              <td class="kern-table__cell kern-table__cell--numeric">{run.deleted_drafts}</td>
              <td class="kern-table__cell kern-table__cell--numeric">{run.deleted_closed}</td>
              <td class="kern-table__cell kern-table__cell--numeric">{run.held}</td>
              <td class="kern-table__cell kern-table__cell--numeric">{run.erased_reports}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
