// The console's list of people: search by address, filter by role, load more pages
// (keyset paging by id), and the way to invite someone.
import { useEffect, useState } from "preact/hooks";
import { Badge, Button, TextField } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { apiGet } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { ConsolePage } from "./layout.jsx";
import { ROLES, roleLabel } from "./people-shared.jsx";
import "./people.css";
import { DataTable } from "./city-shared.jsx";

const PAGE_SIZE = 50;

function query(filter, afterId) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), after_id: String(afterId) });
  if (filter.q.trim()) params.set("q", filter.q.trim());
  if (filter.role) params.set("role", filter.role);
  return `/api/admin/users?${params}`;
}

export function StatusBadge({ user }) {
  return user.active ? <Badge kind="success">{t("console.users.active")}</Badge> : <Badge kind="danger">{t("console.users.deactivated")}</Badge>;
}

function UserTable({ rows }) {
  return (
    <DataTable caption={t("console.users.table_caption")} hiddenCaption head={[t("console.users.col_email"), t("console.users.col_role"), t("console.users.col_areas"), t("console.users.col_status"), t("console.users.col_last_sign_in")]}>
      {rows.map((user) => (
        <tr class="kern-table__row" key={user.id}>
          <td class="kern-table__cell">
            <Link class="kern-link" href={`/verwaltung/benutzer/${user.id}`}>
              {user.email}
            </Link>
          </td>
          <td class="kern-table__cell">{roleLabel(user.role)}</td>
          <td class="kern-table__cell">{user.areas.length ? user.areas.join(", ") : "–"}</td>
          <td class="kern-table__cell">
            <StatusBadge user={user} />
          </td>
          <td class="kern-table__cell">{user.last_login_at ? formatDateTime(user.last_login_at) : t("console.users.never")}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function PeopleList() {
  const [draft, setDraft] = useState({ q: "", role: "" });
  const [filter, setFilter] = useState({ q: "", role: "" });
  const [rows, setRows] = useState(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState(null);
  const { busy, run } = useAction();

  useEffect(() => {
    setRows(null);
    apiGet(query(filter, 0)).then(
      ({ data }) => {
        setRows(data);
        setMore(data.length === PAGE_SIZE);
      },
      setError,
    );
  }, [filter]);

  const loadMore = () =>
    run(async () => {
      const { data } = await apiGet(query(filter, rows[rows.length - 1].id));
      setRows([...rows, ...data]);
      setMore(data.length === PAGE_SIZE);
    });

  return (
    <>
      <p class="kern-body">
        <Link class="kern-btn kern-btn--primary" href="/verwaltung/benutzer/einladen">
          <span class="kern-label">{t("console.users.invite")}</span>
        </Link>
      </p>
      <form
        class="people-filter"
        role="search"
        aria-label={t("console.users.search_label")}
        onSubmit={(event) => {
          event.preventDefault();
          setFilter({ ...draft });
        }}
      >
        <TextField id="people-q" label={t("console.users.search")} hint={t("console.users.search_hint")} value={draft.q} type="search" onInput={(q) => setDraft({ ...draft, q })} />
        <div class="kern-form-input">
          <label class="kern-label" for="people-role">
            {t("console.users.filter_role")}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="people-role" value={draft.role} onChange={(event) => setDraft({ ...draft, role: event.currentTarget.value })}>
              <option value="">{t("console.users.all_roles")}</option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {roleLabel(role)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div>
          <Button type="submit" variant="secondary">
            {t("console.users.search_button")}
          </Button>
        </div>
      </form>
      <LoadError error={error} />
      {!rows && !error && <Loading />}
      {rows && (
        <p class="kern-body" role="status">
          {t("console.users.count", { count: rows.length })}
        </p>
      )}
      {rows && rows.length > 0 && <UserTable rows={rows} />}
      {rows && more && (
        <Button variant="secondary" onClick={loadMore} disabled={busy}>
          {t("console.users.load_more")}
        </Button>
      )}
    </>
  );
}

export function ConsoleUsersPage() {
  return (
    <ConsolePage title={t("console.users.title")}>
      <PeopleList />
    </ConsolePage>
  );
}
