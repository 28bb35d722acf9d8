// One person's page in the console: role and service areas, deactivating and
// reactivating the account, their sign-ins (an admin may end one) and their passkeys.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api, session } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import { queryParam, useLocation } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { ConsolePage } from "./layout.jsx";
import { StatusBadge } from "./people-list.jsx";
import { AREA_ROLES, AreaChoice, ROLES, RoleChoice, chosenAreas, errorsByField, roleLabel, summaryItems } from "./people-shared.jsx";
import "./people.css";
import { KitaStaffLinks } from "../kita/staff-links.jsx";

const IDS = { role: "user-role", areas: "user-areas" };

function RoleForm({ user, onSaved }) {
  const [role, setRole] = useState(user.role);
  const [ticked, setTicked] = useState(user.areas);
  const [extra, setExtra] = useState("");
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const byField = errorsByField(error);
  const onSubmit = (event) => {
    event.preventDefault();
    setSaved(false);
    run(async () => {
      const areas = AREA_ROLES.includes(role) ? chosenAreas(ticked, extra) : [];
      const updated = await api("PUT", `/api/admin/users/${user.id}/role`, { role, areas });
      setTicked(updated.areas);
      setExtra("");
      setSaved(true);
      onSaved(updated);
    });
  };
  return (
    <section class="people-section kern-stack" aria-labelledby="user-role-heading">
      <h2 class="kern-heading-medium" id="user-role-heading">
        {t("console.users.role_heading")}
      </h2>
      <form noValidate onSubmit={onSubmit} class="kern-stack">
        {error && <ErrorSummary errors={summaryItems(byField, IDS)} message={Object.keys(byField).length ? undefined : error.message} />}
        {saved && <Alert kind="success" title={t("console.users.role_saved")} />}
        <RoleChoice id={IDS.role} roles={ROLES} value={role} error={byField.role} onChange={setRole} />
        {AREA_ROLES.includes(role) && <AreaChoice id={IDS.areas} ticked={ticked} onTick={setTicked} extra={extra} onExtra={setExtra} error={byField.areas} />}
        <div>
          <Button type="submit" disabled={busy}>
            {t("console.users.save_role")}
          </Button>
        </div>
      </form>
    </section>
  );
}

function StatusSection({ user, me, onChanged }) {
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState("");
  const { busy, error, run } = useAction();
  const change = (action) =>
    run(async () => {
      const updated = await api("POST", `/api/admin/users/${user.id}/${action}`);
      setConfirming(false);
      setDone(action === "deactivate" ? t("console.users.deactivated_notice") : t("console.users.reactivated_notice"));
      onChanged(updated);
    });
  return (
    <section class="people-section kern-stack" aria-labelledby="user-status-heading">
      <h2 class="kern-heading-medium" id="user-status-heading">
        {t("console.users.status_heading")}
      </h2>
      {error && <ErrorSummary message={error.message} />}
      {done && <Alert kind="success" title={done} />}
      <p class="kern-body">
        <StatusBadge user={user} />{" "}
        {user.active ? t("console.users.active_text") : t("console.users.deactivated_text", { when: formatDateTime(user.deactivated_at) })}
      </p>
      {user.active && user.id === me && <p class="kern-body">{t("console.users.self_hint")}</p>}
      {user.active && user.id !== me && !confirming && (
        <div>
          <Button variant="secondary" onClick={() => { setDone(""); setConfirming(true); }}>
            {t("console.users.deactivate")}
          </Button>
        </div>
      )}
      {confirming && (
        <Alert kind="warning" title={t("console.users.deactivate_confirm_title", { email: user.email })} live={false}>
          <p class="kern-body">{t("console.users.deactivate_confirm_text")}</p>
          <div class="people-actions">
            <Button onClick={() => change("deactivate")} disabled={busy}>
              {t("console.users.deactivate_confirm")}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t("console.users.cancel")}
            </Button>
          </div>
        </Alert>
      )}
      {!user.active && (
        <div>
          <Button variant="secondary" onClick={() => { setDone(""); change("reactivate"); }} disabled={busy}>
            {t("console.users.reactivate")}
          </Button>
        </div>
      )}
    </section>
  );
}

function SignIns({ user, version }) {
  const { data, error, reload } = useResource(`/api/admin/users/${user.id}/sessions`);
  const [ended, setEnded] = useState(false);
  const action = useAction();
  useEffect(() => {
    if (version) reload();
  }, [version]);
  const end = (entry) =>
    action.run(async () => {
      await api("DELETE", `/api/admin/users/${user.id}/sessions/${entry.id}`);
      setEnded(true);
      reload();
    });
  return (
    <section class="people-section kern-stack" aria-labelledby="user-sign-ins-heading">
      <h2 class="kern-heading-medium" id="user-sign-ins-heading">
        {t("console.users.sign_ins_heading")}
      </h2>
      <p class="kern-body">{t("console.users.sign_ins_intro")}</p>
      <LoadError error={error || action.error} />
      {ended && <Alert kind="success" title={t("console.users.sign_in_ended")} />}
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="kern-body">{t("console.users.no_sign_ins")}</p>}
      {data && data.length > 0 && (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--small people-table">
            <caption class="visually-hidden">{t("console.users.sign_ins_caption", { email: user.email })}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">{t("console.users.col_started")}</th>
                <th class="kern-table__header" scope="col">{t("console.users.col_method")}</th>
                <th class="kern-table__header" scope="col">{t("console.users.col_device")}</th>
                <th class="kern-table__header" scope="col">{t("console.users.col_last_seen")}</th>
                <th class="kern-table__header" scope="col">{t("console.users.col_state")}</th>
                <th class="kern-table__header" scope="col">
                  <span class="visually-hidden">{t("console.users.col_actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {data.map((entry) => (
                <tr class="kern-table__row" key={entry.id}>
                  <td class="kern-table__cell">{formatDateTime(entry.created_at)}</td>
                  <td class="kern-table__cell">{t(`console.users.method_${entry.method}`)}</td>
                  <td class="kern-table__cell people-agent">{entry.user_agent || "–"}</td>
                  <td class="kern-table__cell">{entry.last_seen_at ? formatDateTime(entry.last_seen_at) : "–"}</td>
                  <td class="kern-table__cell">
                    {entry.active ? t("console.users.session_active") : entry.ended_at ? t("console.users.session_ended_at", { when: formatDateTime(entry.ended_at) }) : t("console.users.session_ended")}
                  </td>
                  <td class="kern-table__cell">
                    {entry.active && (
                      <Button variant="secondary" onClick={() => end(entry)} disabled={action.busy} aria-label={t("console.users.end_sign_in_label", { when: formatDateTime(entry.created_at) })}>
                        {t("console.users.end_sign_in")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PasskeyList({ user }) {
  const { data, error } = useResource(`/api/admin/users/${user.id}/passkeys`);
  return (
    <section class="people-section kern-stack" aria-labelledby="user-passkeys-heading">
      <h2 class="kern-heading-medium" id="user-passkeys-heading">
        {t("console.users.passkeys_heading")}
      </h2>
      <LoadError error={error} />
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="kern-body">{t("console.users.no_passkeys")}</p>}
      {data && data.length > 0 && (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--small people-table">
            <caption class="visually-hidden">{t("console.users.passkeys_caption", { email: user.email })}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">{t("console.users.col_passkey_name")}</th>
                <th class="kern-table__header" scope="col">{t("console.users.col_created")}</th>
                <th class="kern-table__header" scope="col">{t("console.users.col_last_used")}</th>
                <th class="kern-table__header" scope="col">{t("console.users.col_credential")}</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {data.map((passkey) => (
                <tr class="kern-table__row" key={passkey.id}>
                  <td class="kern-table__cell">{passkey.name}</td>
                  <td class="kern-table__cell">{formatDateTime(passkey.created_at)}</td>
                  <td class="kern-table__cell">{passkey.last_used_at ? formatDateTime(passkey.last_used_at) : t("console.users.never")}</td>
                  <td class="kern-table__cell">
                    <code>{passkey.credential_hint}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InvitedNotice({ user }) {
  const { search } = useLocation();
  const how = queryParam(search, "eingeladen");
  if (!how) return null;
  return (
    <Alert kind="success" title={t("console.users.invited_title", { email: user.email })}>
      <p class="kern-body">{how === "neu" ? t("console.users.invited_new") : t("console.users.invited_upgraded")}</p>
    </Alert>
  );
}

function Fact({ label, children }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key">{label}</dt>
      <dd class="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

function UserDetail({ user, onChange }) {
  const me = useSignal(session).user?.id;
  const [version, setVersion] = useState(0);
  return (
    <>
      <InvitedNotice user={user} />
      <dl class="kern-description-list">
        <Fact label={t("console.users.col_role")}>{roleLabel(user.role)}</Fact>
        <Fact label={t("console.users.col_areas")}>{user.areas.length ? user.areas.join(", ") : "–"}</Fact>
        <Fact label={t("console.users.col_last_sign_in")}>{user.last_login_at ? formatDateTime(user.last_login_at) : t("console.users.never")}</Fact>
      </dl>
      <RoleForm key={user.id} user={user} onSaved={onChange} />
      {user.role === "facility" && <KitaStaffLinks key={`kita-${user.id}`} user={user} />}
      <StatusSection
        user={user}
        me={me}
        onChanged={(updated) => {
          onChange(updated);
          setVersion(version + 1);
        }}
      />
      <SignIns user={user} version={version} />
      <PasskeyList user={user} />
    </>
  );
}

export function ConsoleUserPage({ userId }) {
  const { data, error } = useResource(`/api/admin/users/${encodeURIComponent(userId)}`);
  const [user, setUser] = useState(null);
  useEffect(() => setUser(data), [data]);
  return (
    <ConsolePage title={user ? user.email : t("console.users.user_title")}>
      <LoadError error={error} />
      {!user && !error && <Loading />}
      {user && <UserDetail user={user} onChange={setUser} />}
    </ConsolePage>
  );
}
