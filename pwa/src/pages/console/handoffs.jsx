// The console's hand-offs: deliveries of applications to specialist systems that
// failed, were rejected or are still under way, filtered by state and service, each
// linked to its case and sent again from here once the cause is fixed.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { apiGet } from "../../lib/api.js";
import { pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import {
  HandoffState,
  RetryButton,
  TestModeBadge,
  deliveryName,
  stateText,
  troubleText,
  useRetry,
} from "../handoff/deliveries.jsx";
import { DataTable, SelectField } from "./city-shared.jsx";
import { ConsolePage } from "./layout.jsx";
import "./feedback.css";

// The states the list can be filtered by (the server's names); without one, all three.
export const HANDOFF_FILTERS = ["failed", "rejected", "open"];
const EMPTY = { state: "", service_id: "" };

/** The list's address for ``filters`` and ``page``. */
export function handoffsQuery(filters, page) {
  const params = new URLSearchParams({ page: String(page) });
  if (filters.state) params.set("state", filters.state);
  if (filters.service_id) params.set("service_id", filters.service_id);
  return `/api/staff/handoffs?${params}`;
}

export function ConsoleHandoffsPage() {
  return (
    <ConsolePage title={t("console.handoffs.title")}>
      <Handoffs />
    </ConsolePage>
  );
}

function Handoffs() {
  const { data: overview } = useResource("/api/admin/services/overview");
  const services = overview || [];
  const titles = Object.fromEntries(services.map((service) => [service.service_id, pick(service.title)]));
  const [filters, setFilters] = useState(EMPTY);
  const [applied, setApplied] = useState(EMPTY);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState(null);
  const [pageSize, setPageSize] = useState(null);
  const [error, setError] = useState(null);
  const load = async () => {
    setError(null);
    try {
      const { data } = await apiGet(handoffsQuery(applied, page));
      setResult(data);
      // The server's page size, as the first full page shows it.
      if (page === 1 && data.items.length < data.total) setPageSize(data.items.length);
    } catch (caught) {
      setError(caught);
    }
  };
  useEffect(() => {
    load();
  }, [applied, page]);
  const submit = (event) => {
    event.preventDefault();
    setNotice(null);
    setPage(1);
    setApplied(filters);
  };
  const { retry, notice, setNotice, sending } = useRetry({
    // The row stays until the list is read again, showing its new state.
    onRetried: (updated) => setResult((current) => ({ ...current, items: current.items.map((item) => (item.id === updated.id ? { ...item, ...updated } : item)) })),
    reload: load,
  });
  const pages = result && pageSize ? Math.max(1, Math.ceil(result.total / pageSize)) : 1;
  return (
    <>
      <p class="kern-body">{t("console.handoffs.intro")}</p>
      <form class="kern-stack" aria-label={t("console.handoffs.filters")} onSubmit={submit} noValidate>
        <div class="console-filters">
          <SelectField
            id="handoffs-state"
            label={t("console.handoffs.state")}
            value={filters.state}
            placeholder={t("console.handoffs.all_states")}
            options={HANDOFF_FILTERS.map((state) => [state, stateText(state)])}
            onChange={(value) => setFilters({ ...filters, state: value })}
          />
          <SelectField
            id="handoffs-service"
            label={t("console.handoffs.service")}
            value={filters.service_id}
            placeholder={t("console.handoffs.all_services")}
            options={services.map((service) => [service.service_id, pick(service.title) || service.service_id])}
            onChange={(value) => setFilters({ ...filters, service_id: value })}
          />
        </div>
        <div class="kern-btn-wrapper">
          <Button type="submit" variant="secondary">
            {t("console.handoffs.apply")}
          </Button>
        </div>
      </form>
      {notice && <Alert kind={notice.kind} title={notice.title} />}
      <LoadError error={error} />
      {!result && !error && <Loading />}
      {result && (
        <p class="kern-body" role="status">
          {result.total ? t("console.handoffs.count", { count: result.total }) : t("console.handoffs.none")}
        </p>
      )}
      {result && result.items.length > 0 && (
        <DataTable
          caption={t("console.handoffs.table")}
          hiddenCaption
          head={["application", "service", "target", "state", "attempts", "reason", "action"].map((name) => t(`console.handoffs.col.${name}`))}
        >
          {result.items.map((delivery) => (
            <tr class="kern-table__row" key={delivery.id}>
              <td class="kern-table__cell">
                {delivery.reference ? (
                  <Link class="kern-link" href={`/sachbearbeitung/${encodeURIComponent(delivery.reference)}`}>
                    {delivery.reference}
                  </Link>
                ) : (
                  "–"
                )}
              </td>
              <td class="kern-table__cell">{titles[delivery.service_id] || delivery.service_id}</td>
              <td class="kern-table__cell">{deliveryName(delivery)}</td>
              <td class="kern-table__cell">
                <HandoffState state={delivery.state} /> <TestModeBadge delivery={delivery} />
              </td>
              <td class="kern-table__cell kern-table__cell--numeric">{delivery.attempts}</td>
              <td class="kern-table__cell handoff-reason">{troubleText(delivery) || "–"}</td>
              <td class="kern-table__cell">{delivery.can_retry ? <RetryButton delivery={delivery} sending={sending} onRetry={retry} /> : "–"}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {pages > 1 && (
        <nav class="kern-btn-wrapper" aria-label={t("console.handoffs.pages")}>
          <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t("console.handoffs.previous")}
          </Button>
          <span class="kern-body">{t("console.handoffs.page", { page, pages })}</span>
          <Button variant="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t("console.handoffs.next")}
          </Button>
        </nav>
      )}
    </>
  );
}
