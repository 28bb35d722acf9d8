// The SEPA direct debit mandate a citizen gives while paying: a new account or one
// given before, the mandate text, the refund right and the consent.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { formatDate, formatMoney, t } from "../../lib/i18n.js";
import "./catalogue.js";

/** The SEPA mandate: account holder and IBAN (or a mandate given before), the mandate
 * text, the 8-week refund right, consent. */
export function SepaMandateForm({ payment, onDone }) {
  const data = payment.action.data || {};
  const existing = data.mandates || [];
  const [use, setUse] = useState(existing[0]?.reference || "new");
  const [holder, setHolder] = useState("");
  const [iban, setIban] = useState("");
  const [ibanInfo, setIbanInfo] = useState(null);
  const [consent, setConsent] = useState(false);
  const { busy, error, run } = useAction();
  const errors = { ...fieldErrors(error) };
  // The check while typing is newer than the last attempt to send.
  if (ibanInfo?.error) errors.iban = ibanInfo.error;
  else if (ibanInfo?.ok) delete errors.iban;
  const checkIban = async () => {
    if (!iban.trim()) return setIbanInfo(null);
    try {
      const checked = await api("POST", "/api/payments/sepa/iban-check", { iban });
      setIbanInfo({ ok: checked });
    } catch (caught) {
      const message = caught.fieldErrors?.find((item) => item.field === "iban")?.message;
      setIbanInfo(message ? { error: message } : null);
    }
  };
  const submit = (event) => {
    event.preventDefault();
    const body = use === "new" ? { account_holder: holder, iban, consent } : { mandate_reference: use, consent };
    return run(async () => onDone(await api("POST", payment.action.url, body)));
  };
  const ibanHint = ibanInfo?.ok
    ? ibanInfo.ok.bank_name
      ? t("pay.sepa_iban_ok", { bank: ibanInfo.ok.bank_name })
      : t("pay.sepa_iban_ok_plain")
    : t("pay.sepa_iban_hint");
  const summary = (error?.fieldErrors || []).map((item) => ({ ...item, field: item.field === "mandate_reference" ? "mandate-existing-0" : item.field }));
  return (
    <form onSubmit={submit} novalidate class="kern-stack" aria-labelledby="sepa-heading">
      <h2 class="kern-heading-medium" id="sepa-heading">
        {t("pay.sepa_heading")}
      </h2>
      <ErrorSummary errors={summary} message={error?.message} focusToken={error} />
      {payment.test_mode && <Alert kind="warning" title={t("pay.test_mode_note")} live={false} />}
      <p class="kern-body">
        {t("pay.sepa_intro", { amount: formatMoney(payment.amount_cents), date: formatDate(data.expected_collection_date) })}
      </p>
      {existing.length > 0 && (
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t("pay.sepa_existing_legend")}</legend>
          <div class="kern-fieldset__body">
            {existing.map((mandate, index) => (
              <div class="kern-form-check" key={mandate.reference}>
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  id={`mandate-existing-${index}`}
                  name="mandate"
                  checked={use === mandate.reference}
                  onChange={() => setUse(mandate.reference)}
                />
                <label class="kern-label" for={`mandate-existing-${index}`}>
                  {t("pay.sepa_existing", { holder: mandate.account_holder, iban: mandate.iban, reference: mandate.reference })}
                </label>
              </div>
            ))}
            <div class="kern-form-check">
              <input class="kern-form-check__radio" type="radio" id="mandate-new" name="mandate" checked={use === "new"} onChange={() => setUse("new")} />
              <label class="kern-label" for="mandate-new">
                {t("pay.sepa_new")}
              </label>
            </div>
          </div>
        </fieldset>
      )}
      {use === "new" && (
        <>
          <TextField
            id="account_holder"
            label={t("pay.sepa_holder")}
            error={errors.account_holder}
            value={holder}
            onInput={setHolder}
            autocomplete="name"
            maxLength={70}
          />
          <TextField
            id="iban"
            label={t("pay.sepa_iban")}
            hint={ibanHint}
            error={errors.iban}
            value={iban}
            onInput={(value) => {
              setIban(value);
              if (ibanInfo) setIbanInfo(null);
            }}
            onBlur={checkIban}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            maxLength={42}
          />
        </>
      )}
      <section class="kern-stack" aria-labelledby="mandate-text-heading">
        <h3 class="kern-heading-small" id="mandate-text-heading">
          {t("pay.sepa_mandate_heading")}
        </h3>
        <div class="mandate-text">
          <p class="kern-body preserve-lines">{data.mandate_text}</p>
        </div>
        <p class="kern-body">
          <strong>{t("pay.sepa_refund_note")}</strong>
        </p>
      </section>
      <div class={errors.consent ? "check-field check-field--error" : "check-field"}>
        {errors.consent && (
          <p class="kern-error" id="consent-error">
            <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
            <span class="kern-body">{errors.consent}</span>
          </p>
        )}
        <div class="kern-form-check">
          <input
            class={errors.consent ? "kern-form-check__checkbox kern-form-check__checkbox--error" : "kern-form-check__checkbox"}
            type="checkbox"
            id="consent"
            name="consent"
            checked={consent}
            aria-describedby={errors.consent ? "consent-error" : undefined}
            aria-invalid={errors.consent ? "true" : undefined}
            onChange={(event) => setConsent(event.currentTarget.checked)}
          />
          <label class="kern-label" for="consent">
            {t("pay.sepa_consent")}
          </label>
        </div>
      </div>
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={busy}>
          {t("pay.sepa_submit")}
        </Button>
      </div>
    </form>
  );
}
