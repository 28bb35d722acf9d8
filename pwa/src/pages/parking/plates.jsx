// Change the licence plate(s) of a permit: a new pass at once, the old one revoked.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError } from "../../components/status.jsx";
import { LEAVING, useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link, navigate } from "../../lib/router.jsx";
import { actionError, usePermits } from "./permit-data.js";

export function PlateChangePage({ permitId }) {
  return (
    <RequireSignIn title={t("parking.plates_title")}>
      <PlateChange permitId={permitId} />
    </RequireSignIn>
  );
}

function PlateChange({ permitId }) {
  const { data, error } = usePermits();
  const permit = data?.find((item) => item.id === permitId);
  if (!permit) {
    return (
      <Page title={t("parking.plates_title")}>
        {!data && (error ? <LoadError error={error} /> : <Loading />)}
        {data && <p class="kern-body">{t("parking.not_found")}</p>}
      </Page>
    );
  }
  return <PlateForm permit={permit} />;
}

const plateId = (index) => `plate-${index}`;

function PlateForm({ permit }) {
  const [plates, setPlates] = useState(permit.plates);
  const [declared, setDeclared] = useState(false);
  const [errors, setErrors] = useState([]);
  const [message, setMessage] = useState(null);
  const [tries, setTries] = useState(0);
  // Field errors go next to the plates and the declaration, anything else above them.
  const { busy, run } = useAction({
    onError: (caught) => {
      setErrors((caught.fieldErrors || []).map((item) => ({ field: fieldFor(item.field), message: item.message })));
      if (!caught.fieldErrors?.length) setMessage(actionError(caught));
      return null;
    },
  });
  const possible = permit.actions.includes("change_plates");
  const fieldFor = (name) => {
    const match = /^plates\[(\d+)\]$/.exec(name || "");
    if (match) return plateId(match[1]);
    return name === "registered_to_me" ? "registered-to-me" : plateId(0);
  };
  const send = async (event) => {
    event.preventDefault();
    setTries(tries + 1);
    setMessage(null);
    const wanted = plates.map((plate) => plate.trim());
    const problems = [];
    if (wanted.join("|").toUpperCase() === permit.plates.join("|").toUpperCase()) {
      problems.push({ field: plateId(0), message: t("parking.plates_unchanged") });
    }
    if (!declared) problems.push({ field: "registered-to-me", message: t("parking.declaration_required") });
    if (problems.length) {
      setErrors(problems);
      return;
    }
    return run(async () => {
      await api("POST", `/api/parking/permits/${permit.id}/plates`, { plates: wanted, registered_to_me: true }, { "If-Match": `"${permit.sequence}"` });
      navigate(`/parkausweis/${permit.id}?neu=kennzeichen`);
      return LEAVING;
    });
  };
  const errorFor = (id) => errors.find((item) => item.field === id)?.message;
  const declarationError = errorFor("registered-to-me");
  return (
    <Page title={t("parking.plates_title")} caption={permit.number}>
      <p class="kern-body">{t("parking.plates_intro")}</p>
      {!possible && <Alert kind="warning" title={t("parking.plates_not_possible")} />}
      <ErrorSummary errors={errors} message={message} focusToken={tries} />
      {possible && (
        <form class="kern-stack" onSubmit={send} noValidate>
          {plates.map((plate, index) => (
            <TextField
              key={index}
              id={plateId(index)}
              label={plates.length === 1 ? t("parking.plate_label") : t("parking.plate_label_n", { n: index + 1 })}
              hint={index === 0 ? t("parking.plate_hint") : undefined}
              error={errorFor(plateId(index))}
              value={plate}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              onInput={(value) => setPlates(plates.map((old, i) => (i === index ? value : old)))}
            />
          ))}
          <div class={declarationError ? "check-field--error" : undefined}>
            {declarationError && (
              <p class="kern-error" id="registered-to-me-error">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                <span class="kern-body">{declarationError}</span>
              </p>
            )}
            <div class="kern-form-check">
              <input
                class={declarationError ? "kern-form-check__checkbox kern-form-check__checkbox--error" : "kern-form-check__checkbox"}
                type="checkbox"
                id="registered-to-me"
                checked={declared}
                aria-describedby={declarationError ? "registered-to-me-error registered-to-me-hint" : "registered-to-me-hint"}
                aria-invalid={declarationError ? "true" : undefined}
                onChange={(event) => setDeclared(event.currentTarget.checked)}
              />
              <label class="kern-label" for="registered-to-me">{t("parking.registered_to_me")}</label>
            </div>
            <div class="kern-hint" id="registered-to-me-hint">{t("parking.registered_hint")}</div>
          </div>
          <div class="kern-btn-wrapper">
            <Button type="submit" disabled={busy}>{busy ? t("parking.saving") : t("parking.plates_submit")}</Button>
          </div>
        </form>
      )}
      <p>
        <Link class="kern-link" href={`/parkausweis/${permit.id}`}>{t("parking.back_to_pass")}</Link>
      </p>
    </Page>
  );
}
