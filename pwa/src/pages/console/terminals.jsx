// The console's Bürgerbüro terminals ("Terminals"): register a terminal and get its
// one-time setup link (shown once; the server keeps only a hash), give a terminal a new
// link, revoke one. Setting a terminal up: docs/kiosk.md.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { asActionError, useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import { Confirm, DataTable, withIds } from "./city-shared.jsx";
import { ConsolePage } from "./layout.jsx";
import "./city.css";

export function ConsoleTerminalsPage() {
  return (
    <ConsolePage title={t("console.terminals.title")}>
      <Terminals />
    </ConsolePage>
  );
}

/** The link just made: shown once, with what to do with it. */
function SetupLink({ terminal }) {
  return (
    <Alert kind="success" title={t("console.terminals.link_title", { name: terminal.name })}>
      <p class="kern-body">{t("console.terminals.link_text")}</p>
      <p class="kern-body terminal-link" data-setup-link>
        {terminal.setup_url}
      </p>
      <p class="kern-body">{t("console.terminals.link_once", { date: formatDateTime(terminal.setup_expires_at) })}</p>
    </Alert>
  );
}

function RegisterForm({ onRegistered }) {
  const [name, setName] = useState("");
  const { busy, error, run } = useAction({ onError: (caught) => withIds(asActionError(caught), "terminal") });
  const submit = (event) => {
    event.preventDefault();
    return run(async () => {
      onRegistered(await api("POST", "/api/admin/kiosk-terminals", { name }));
      setName("");
    });
  };
  return (
    <form class="kern-stack" onSubmit={submit} novalidate>
      <h2 class="kern-heading-medium">{t("console.terminals.register_heading")}</h2>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} />
      <TextField id="terminal-name" label={t("console.terminals.name")} hint={t("console.terminals.name_hint")} value={name} onInput={setName} error={fieldErrors(error)["terminal-name"]} />
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={busy}>
          {t("console.terminals.register")}
        </Button>
      </div>
    </form>
  );
}

function TerminalRow({ terminal, onLink, onChanged }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const revoke = () =>
    run(async () => {
      await api("POST", `/api/admin/kiosk-terminals/${terminal.id}/revoke`);
      setConfirming(false);
      onChanged();
    });
  const newLink = () => run(async () => onLink(await api("POST", `/api/admin/kiosk-terminals/${terminal.id}/setup-link`)));
  const live = terminal.status !== "revoked";
  return (
    <tr class="kern-table__row">
      <td class="kern-table__cell">{terminal.name}</td>
      <td class="kern-table__cell">{t(`console.terminals.status.${terminal.status}`)}</td>
      <td class="kern-table__cell">{terminal.last_seen_at ? formatDateTime(terminal.last_seen_at) : "–"}</td>
      <td class="kern-table__cell">
        {error && <p class="kern-body kern-error">{error.message}</p>}
        {live && !confirming && (
          <div class="kern-btn-wrapper">
            <Button variant="secondary" onClick={newLink} disabled={busy}>
              {t("console.terminals.new_link", { name: terminal.name })}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(true)} disabled={busy}>
              {t("console.terminals.revoke", { name: terminal.name })}
            </Button>
          </div>
        )}
        {live && confirming && (
          <Confirm
            id={`revoke-${terminal.id}`}
            question={t("console.terminals.revoke_question", { name: terminal.name })}
            effect={t("console.terminals.revoke_effect")}
            confirmLabel={t("console.terminals.revoke_confirm")}
            onConfirm={revoke}
            onCancel={() => setConfirming(false)}
            busy={busy}
          />
        )}
        {!live && terminal.revoked_at && formatDateTime(terminal.revoked_at)}
      </td>
    </tr>
  );
}

function Terminals() {
  const { data, error, reload } = useResource("/api/admin/kiosk-terminals");
  const [shown, setShown] = useState(null);
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  const linked = (terminal) => {
    setShown(terminal);
    reload();
  };
  return (
    <>
      <p class="kern-body">{t("console.terminals.intro")}</p>
      {shown && <SetupLink terminal={shown} />}
      <RegisterForm onRegistered={linked} />
      <h2 class="kern-heading-medium">{t("console.terminals.list_heading")}</h2>
      {data.items.length === 0 ? (
        <p class="kern-body">{t("console.terminals.none")}</p>
      ) : (
        <DataTable caption={t("console.terminals.table")} hiddenCaption head={["name", "status", "seen", "actions"].map((col) => t(`console.terminals.col.${col}`))}>
          {data.items.map((terminal) => (
            <TerminalRow key={terminal.id} terminal={terminal} onLink={linked} onChanged={reload} />
          ))}
        </DataTable>
      )}
    </>
  );
}
