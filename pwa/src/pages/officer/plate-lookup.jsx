// Online look-up by licence plate, for cars without a visible pass. Needs the network
// (the permits register stays at the town hall); offline it says so plainly.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Badge, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { Page } from "../../components/page.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { online } from "../../lib/connectivity.js";
import { formatDate, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { RequireOfficer } from "./require-officer.jsx";

const BADGE = { valid: "success", not_yet_valid: "info", expired: "warning", revoked: "danger", superseded: "danger" };

export function PlateLookupPage() {
  return (
    <RequireOfficer title={t("officer.plate_title")}>
      <PlateLookup />
    </RequireOfficer>
  );
}

function PlateLookup() {
  const isOnline = useSignal(online);
  const [plate, setPlate] = useState("");
  const [result, setResult] = useState(null);
  const [offline, setOffline] = useState(false);
  // Without a connection the look-up says so in its own notice, not at the field.
  const { busy, error, setError, run } = useAction({
    onError: (caught) => {
      if (caught.code === "network") {
        setOffline(true);
        return null;
      }
      return { field: "plate", message: caught.fieldErrors?.[0]?.message || caught.message };
    },
  });
  const [tries, setTries] = useState(0);
  const heading = useRef(null);
  useEffect(() => {
    if (result) heading.current?.focus();
  }, [result]);
  const search = async (event) => {
    event.preventDefault();
    setTries(tries + 1);
    setResult(null);
    setOffline(false);
    if (!plate.trim()) {
      setError({ field: "plate", message: t("officer.plate_empty") });
      return;
    }
    return run(async () => setResult(await api("GET", `/api/officer/plates/${encodeURIComponent(plate.trim())}`)));
  };
  return (
    <Page title={t("officer.plate_title")}>
      <p class="kern-body">{t("officer.plate_intro")}</p>
      {(offline || !isOnline) && (
        <Alert kind="warning" title={t("officer.plate_offline_title")}>
          <p class="kern-body">{t("officer.plate_offline_text")}</p>
        </Alert>
      )}
      <ErrorSummary errors={error ? [error] : []} focusToken={tries} />
      <form class="kern-stack" onSubmit={search} noValidate role="search">
        <TextField
          id="plate"
          label={t("officer.plate_label")}
          hint={t("officer.plate_hint")}
          error={error?.message}
          value={plate}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          onInput={setPlate}
        />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>{t("officer.plate_search")}</Button>
        </div>
      </form>
      {result && (
        <section class="kern-stack" aria-labelledby="plate-result">
          <h2 class="kern-heading-medium" id="plate-result" tabIndex={-1} ref={heading}>{t("officer.plate_result", { plate: result.plate, date: formatDate(result.checked_on) })}</h2>
          {result.permits.length === 0 ? (
            <p class="kern-body">{t("officer.plate_none")}</p>
          ) : (
            <ul class="permit-results">
              {result.permits.map((permit) => (
                <li key={`${permit.number}-${permit.sequence}`} class="permit-result">
                  <p class="permit-result__head">
                    <Badge kind={BADGE[permit.state] || "info"}>{t(`officer.plate_state.${permit.state}`)}</Badge>{" "}
                    <span>{t("officer.plate_permit", { number: permit.number })}</span>
                  </p>
                  <p class="permit-result__plates">{permit.plates.join(", ")}</p>
                  <p class="kern-body">
                    {t("officer.pass_zone")} {permit.zone}
                    {permit.zone_name && ` · ${permit.zone_name}`} · {formatDate(permit.valid_from)} – {formatDate(permit.valid_to)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <p>
        <Link class="kern-link" href="/kontrolle">{t("officer.back_to_scanner")}</Link>
      </p>
    </Page>
  );
}
