// The clerks' queue, an all-day workspace: views (open cases by default, mine,
// unassigned, overdue, waiting for the citizen, all), due dates with an overdue marker,
// filters, search by reference or name, keyset paging, selection for bulk actions and
// keyboard shortcuts.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Badge, Button } from "../../components/forms.jsx";
import { Page } from "../../components/page.jsx";
import { RequireStaff } from "../../components/require-staff.jsx";
import { StatusBadge } from "../../components/status-badge.jsx";
import { LoadError } from "../../components/status.jsx";
import { api, session } from "../../lib/api.js";
import { addCatalogues, formatDate, formatDateTime, formatMoney, pick, t } from "../../lib/i18n.js";
import { Link, navigate, queryParam } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { BulkBar, BulkReport } from "./bulk-bar.jsx";
import { CounterCase } from "./counter-case.jsx";
import de from "./locales/de.json";
import en from "./locales/en.json";
import { ShortcutHelp, useShortcuts } from "./shortcuts.jsx";
import { allStatuses, loadServices, statusLabel } from "./status-labels.js";

addCatalogues({ de, en });

/** A service area's name; areas that admins add later show their identifier. */
function areaName(area) {
  const key = `area.${area}`;
  const name = t(key);
  return name === key ? area : name;
}

const VIEWS = ["open", "mine", "unassigned", "overdue", "waiting", "all"];

export const QUEUE_SHORTCUTS = [
  ["j", "staff_ws.key.next"],
  ["k", "staff_ws.key.previous"],
  ["Enter", "staff_ws.key.open"],
  ["x", "staff_ws.key.select"],
  ["a", "staff_ws.key.assign_me"],
  ["/", "staff_ws.key.search"],
  ["?", "staff_ws.key.help"],
];

export function StaffQueuePage() {
  return (
    <RequireStaff title={t("staff.queue_title")}>
      <StaffQueue />
    </RequireStaff>
  );
}

function query(view, filters, after) {
  const params = new URLSearchParams();
  params.set("view", view);
  params.set("sort", filters.sort);
  if (filters.service) params.set("service_id", filters.service);
  if (filters.status) params.set("status", filters.status);
  if (after) params.set("after", after);
  params.set("limit", "25");
  return `/api/staff/applications?${params}`;
}

function initialView() {
  const wanted = typeof location === "undefined" ? null : queryParam(location.search, "view");
  return VIEWS.includes(wanted) ? wanted : "open";
}

function DueCell({ item }) {
  if (!item.due_at) return <span>{t("staff_ws.no_due")}</span>;
  return (
    <span>
      {formatDate(item.due_at)}
      {item.overdue && (
        <>
          {" "}
          <Badge kind="danger">{t("staff_ws.overdue")}</Badge>
        </>
      )}
    </span>
  );
}

function StaffQueue() {
  const current = useSignal(session);
  const [services, setServices] = useState(null);
  const [view, setView] = useState(initialView);
  const [filters, setFilters] = useState({ service: "", status: "", sort: "due" });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const [search, setSearch] = useState("");
  const [searched, setSearched] = useState(null);
  const [selected, setSelected] = useState([]);
  const [active, setActive] = useState(-1);
  const [report, setReport] = useState(null);
  const [notice, setNotice] = useState(null);
  const [help, setHelp] = useState(false);
  const [reload, setReload] = useState(0);
  const table = useRef(null);
  useEffect(() => {
    loadServices().then(setServices, () => setServices([]));
  }, []);
  useEffect(() => {
    setError(null);
    api("GET", query(view, applied)).then((first) => {
      setPage(first);
      setActive(-1);
    }, setError);
  }, [view, applied, reload]);
  const items = page?.items ?? null;
  const more = async () => {
    const next = await api("GET", query(view, applied, page.next)).catch((caught) => setError(caught));
    if (next) setPage({ ...next, items: [...items, ...next.items] });
  };
  const find = async (event) => {
    event.preventDefault();
    if (!search.trim()) return setSearched(null);
    setSearched(await api("GET", `/api/staff/applications/search?q=${encodeURIComponent(search.trim())}`).catch(() => []));
  };
  const title = (serviceId) => pick(services?.find((s) => s.id === serviceId)?.title) || serviceId;
  const rows = searched ?? items;
  const isSelected = (item) => selected.some((s) => s.reference === item.reference);
  const toggle = (item) => setSelected(isSelected(item) ? selected.filter((s) => s.reference !== item.reference) : [...selected, item]);
  const allChosen = rows?.length > 0 && rows.every(isSelected);
  const chooseView = (next) => {
    setView(next);
    setSelected([]);
    setReport(null);
    setSearched(null);
    // The address keeps the view (for reloads and the digest's link) without a new page.
    history.replaceState(null, "", next === "open" ? "/sachbearbeitung" : `/sachbearbeitung?view=${next}`);
  };
  const focusRow = (index) => {
    if (!rows?.length) return;
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActive(next);
    table.current?.querySelectorAll("tbody a")[next]?.focus();
  };
  const assignToMe = async (item) => {
    const result = await api("POST", "/api/staff/bulk-assignments", { references: [item.reference], assignee_id: current.user.id }).catch(setError);
    if (!result) return;
    if (result.changed) setNotice(t("staff_ws.assign_done", { reference: item.reference_display }));
    else setReport(result);
    setReload(reload + 1);
  };
  useShortcuts({
    j: () => focusRow(active + 1),
    k: () => focusRow(active - 1),
    Enter: () => (rows?.[active] ? navigate(`/sachbearbeitung/${rows[active].reference}`) : false),
    x: () => (rows?.[active] ? toggle(rows[active]) : false),
    a: () => (rows?.[active] ? assignToMe(rows[active]) : false),
    "/": () => document.getElementById("staff-search")?.focus(),
    "?": () => setHelp(true),
  });
  const done = (result) => {
    setReport(result);
    setNotice(null);
    setSelected([]);
    setReload(reload + 1);
  };
  return (
    <Page title={t("staff.queue_title")} wide>
      <p class="kern-body">{t("staff_ws.queue_intro", { areas: (current.user.areas || []).map(areaName).join(", ") || t("staff.all_areas") })}</p>
      <div class="kern-btn-wrapper">
        <Button variant="tertiary" onClick={() => setHelp(true)}>{t("staff_ws.shortcuts_open")}</Button>
      </div>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} shortcuts={QUEUE_SHORTCUTS} />
      {services && <CounterCase services={services} user={current.user} />}
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
        <nav aria-label={t("staff_ws.views")}>
          <ul class="staff-views">
            {VIEWS.map((name) => (
              <li key={name}>
                <button type="button" class={view === name ? "kern-btn kern-btn--primary" : "kern-btn kern-btn--secondary"} aria-pressed={view === name ? "true" : "false"} onClick={() => chooseView(name)}>
                  <span class="kern-label">{t(`staff_ws.view.${name}`)}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {!searched && (
        <form
          class="staff-filters"
          onSubmit={(event) => {
            event.preventDefault();
            setSelected([]);
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
          <div class="kern-form-input">
            <label class="kern-label" for="filter-sort">{t("staff_ws.sort")}</label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="filter-sort" value={filters.sort} onChange={(e) => setFilters({ ...filters, sort: e.currentTarget.value })}>
                <option value="due">{t("staff_ws.sort.due")}</option>
                <option value="submitted">{t("staff_ws.sort.submitted")}</option>
              </select>
            </div>
          </div>
          <div class="kern-btn-wrapper">
            <Button type="submit" variant="secondary">{t("staff.filter_apply")}</Button>
          </div>
        </form>
      )}
      <LoadError error={error} />
      {notice && <Alert kind="success" title={notice} />}
      {report && <BulkReport report={report} />}
      {selected.length > 0 && <BulkBar selected={selected} services={services} me={current.user} onDone={done} onClear={() => setSelected([])} />}
      {rows && (
        <p class="kern-body" role="status">
          {t("staff.count", { count: rows.length })}
        </p>
      )}
      {!searched && page && applied.sort === "due" && page.sort === "submitted" && rows?.length > 0 && (
        <p class="kern-body kern-body--small">{t("staff_ws.sorted_by_submission")}</p>
      )}
      {rows && rows.length > 0 && (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--small" ref={table}>
            <caption class="visually-hidden">{t("staff.queue_title")}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">
                  <span class="visually-hidden">{t("staff_ws.col_select")}</span>
                  <input
                    class="kern-form-check__checkbox staff-select"
                    type="checkbox"
                    aria-label={t("staff_ws.select_all")}
                    checked={allChosen}
                    onChange={() => setSelected(allChosen ? [] : [...rows])}
                  />
                </th>
                <th class="kern-table__header" scope="col">{t("staff.col_reference")}</th>
                <th class="kern-table__header" scope="col">{t("staff.col_service")}</th>
                <th class="kern-table__header" scope="col">{t("staff.col_applicant")}</th>
                <th class="kern-table__header" scope="col">{t("staff.col_submitted")}</th>
                <th class="kern-table__header" scope="col">{t("staff_ws.col_due")}</th>
                <th class="kern-table__header" scope="col">{t("staff.col_status")}</th>
                <th class="kern-table__header kern-table__header--numeric" scope="col">{t("staff.col_fee")}</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map((item, index) => (
                <tr class={index === active ? "kern-table__row staff-row--active" : "kern-table__row"} key={item.id}>
                  <td class="kern-table__cell">
                    <input
                      class="kern-form-check__checkbox staff-select"
                      type="checkbox"
                      aria-label={t("staff_ws.select_case", { reference: item.reference_display })}
                      checked={isSelected(item)}
                      onChange={() => toggle(item)}
                    />
                  </td>
                  <td class="kern-table__cell">
                    <Link class="kern-link" href={`/sachbearbeitung/${item.reference}`} onFocus={() => setActive(index)}>{item.reference_display}</Link>
                  </td>
                  <td class="kern-table__cell">{title(item.service_id)}</td>
                  <td class="kern-table__cell">{item.applicant_name || "–"}</td>
                  <td class="kern-table__cell">{formatDateTime(item.submitted_at)}</td>
                  <td class="kern-table__cell"><DueCell item={item} /></td>
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
      {!searched && page?.next && (
        <div class="kern-btn-wrapper">
          <Button variant="secondary" onClick={more}>{t("staff.more")}</Button>
        </div>
      )}
    </Page>
  );
}
