// The clerks' queue: submitted applications of their areas, oldest first, with filters,
// search by reference or name, and keyset paging.
import { useEffect, useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { Page } from "../../components/page.jsx";
import { RequireStaff } from "../../components/require-staff.jsx";
import { StatusBadge } from "../../components/status-badge.jsx";
import { LoadError } from "../../components/status.jsx";
import { api, session } from "../../lib/api.js";
import { formatDateTime, formatMoney, pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";

/** A service area's name; areas that admins add later show their identifier. */
function areaName(area) {
  const key = `area.${area}`;
  const name = t(key);
  return name === key ? area : name;
}
import { allStatuses, loadServices, statusLabel } from "./status-labels.js";

export function StaffQueuePage() {
  return (
    <RequireStaff title={t("staff.queue_title")}>
      <StaffQueue />
    </RequireStaff>
  );
}

function query(filters, after) {
  const params = new URLSearchParams();
  if (filters.service) params.set("service_id", filters.service);
  if (filters.status) params.set("status", filters.status);
  if (filters.mine) params.set("assigned_to", String(session.get().user.id));
  if (after) params.set("after", after);
  params.set("limit", "25");
  return `/api/staff/applications?${params}`;
}

function StaffQueue() {
  const current = useSignal(session);
  const [services, setServices] = useState(null);
  const [filters, setFilters] = useState({ service: "", status: "submitted", mine: false });
  const [applied, setApplied] = useState(filters);
  const [items, setItems] = useState(null);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(null);
  const [search, setSearch] = useState("");
  const [searched, setSearched] = useState(null);
  useEffect(() => {
    loadServices().then(setServices, () => setServices([]));
  }, []);
  useEffect(() => {
    setError(null);
    api("GET", query(applied)).then(
      (page) => {
        setItems(page.items);
        setNext(page.next);
      },
      setError,
    );
  }, [applied]);
  const more = async () => {
    const page = await api("GET", query(applied, next)).catch((caught) => setError(caught));
    if (!page) return;
    setItems([...items, ...page.items]);
    setNext(page.next);
  };
  const find = async (event) => {
    event.preventDefault();
    if (!search.trim()) return setSearched(null);
    setSearched(await api("GET", `/api/staff/applications/search?q=${encodeURIComponent(search.trim())}`).catch(() => []));
  };
  const title = (serviceId) => pick(services?.find((s) => s.id === serviceId)?.title) || serviceId;
  const rows = searched ?? items;
  return (
    <Page title={t("staff.queue_title")} wide>
      <p class="kern-body">{t("staff.queue_intro", { areas: (current.user.areas || []).map(areaName).join(", ") || t("staff.all_areas") })}</p>
      <form role="search" class="kern-stack staff-search" onSubmit={find}>
        <div class="kern-form-input">
          <label class="kern-label" for="staff-search">{t("staff.search_label")}</label>
          <div class="kern-hint" id="staff-search-hint">{t("staff.search_hint")}</div>
          <input class="kern-form-input__input" id="staff-search" type="search" value={search} aria-describedby="staff-search-hint" onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        <div class="kern-btn-wrapper">
          <Button type="submit" variant="secondary">{t("staff.search")}</Button>
          {searched && <Button variant="tertiary" onClick={() => { setSearched(null); setSearch(""); }}>{t("staff.search_clear")}</Button>}
        </div>
      </form>
      {!searched && (
        <form
          class="staff-filters"
          onSubmit={(event) => {
            event.preventDefault();
            setApplied(filters);
          }}
        >
          <div class="kern-form-input">
            <label class="kern-label" for="filter-service">{t("staff.filter_service")}</label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="filter-service" value={filters.service} onChange={(e) => setFilters({ ...filters, service: e.currentTarget.value })}>
                <option value="">{t("staff.filter_all")}</option>
                {(services || []).map((service) => (
                  <option key={service.id} value={service.id}>{pick(service.title)}</option>
                ))}
              </select>
            </div>
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="filter-status">{t("staff.filter_status")}</label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="filter-status" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value })}>
                <option value="">{t("staff.filter_all")}</option>
                {allStatuses(services).map(([id, label]) => (
                  <option key={id} value={id}>{label}</option>
                ))}
              </select>
            </div>
          </div>
          <div class="kern-form-check">
            <input class="kern-form-check__checkbox" type="checkbox" id="filter-mine" checked={filters.mine} onChange={(e) => setFilters({ ...filters, mine: e.currentTarget.checked })} />
            <label class="kern-label" for="filter-mine">{t("staff.filter_mine")}</label>
          </div>
          <div class="kern-btn-wrapper">
            <Button type="submit" variant="secondary">{t("staff.filter_apply")}</Button>
          </div>
        </form>
      )}
      <LoadError error={error} />
      {rows && (
        <p class="kern-body" role="status">
          {t("staff.count", { count: rows.length })}
        </p>
      )}
      {rows && rows.length > 0 && (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--small">
            <caption class="visually-hidden">{t("staff.queue_title")}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">{t("staff.col_reference")}</th>
                <th class="kern-table__header" scope="col">{t("staff.col_service")}</th>
                <th class="kern-table__header" scope="col">{t("staff.col_applicant")}</th>
                <th class="kern-table__header" scope="col">{t("staff.col_submitted")}</th>
                <th class="kern-table__header" scope="col">{t("staff.col_status")}</th>
                <th class="kern-table__header kern-table__header--numeric" scope="col">{t("staff.col_fee")}</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map((item) => (
                <tr class="kern-table__row" key={item.id}>
                  <td class="kern-table__cell">
                    <Link class="kern-link" href={`/sachbearbeitung/${item.reference}`}>{item.reference_display}</Link>
                  </td>
                  <td class="kern-table__cell">{title(item.service_id)}</td>
                  <td class="kern-table__cell">{item.applicant_name || "–"}</td>
                  <td class="kern-table__cell">{formatDateTime(item.submitted_at)}</td>
                  <td class="kern-table__cell">
                    <StatusBadge status={item.status} label={statusLabel(services, item.service_id, item.status)} />
                    {item.assigned_to === current.user.id && <span class="kern-body kern-body--small list-meta">{t("staff.assigned_me")}</span>}
                    {item.citizen_replied && <strong class="kern-body kern-body--small list-meta">{t("staff_reply.received")}</strong>}
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric">{formatMoney(item.fee_cents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!searched && next && (
        <div class="kern-btn-wrapper">
          <Button variant="secondary" onClick={more}>{t("staff.more")}</Button>
        </div>
      )}
    </Page>
  );
}
