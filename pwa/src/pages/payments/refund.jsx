// A refund of a notice (the tax ended early): whether the citizen must name an account,
// where the money goes, and when it was sent.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { formatMoney, t } from "../../lib/i18n.js";
import "./catalogue.js";

/** The account form: holder and IBAN, checked by the server (field errors shown here). */
function RefundAccountForm({ notice, onDone, onCancel }) {
  const [holder, setHolder] = useState("");
  const [iban, setIban] = useState("");
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);
  const submit = (event) => {
    event.preventDefault();
    return run(async () => {
      await api("PUT", `/api/notices/${encodeURIComponent(notice.id)}/refund-account`, { account_holder: holder, iban });
      onDone();
    });
  };
  const summary = (error?.fieldErrors || []).map((item) => ({ ...item, field: `refund-${item.field}` }));
  return (
    <form onSubmit={submit} novalidate class="kern-stack">
      <ErrorSummary errors={summary} message={error && !summary.length ? error.message : null} focusToken={error} />
      <TextField
        id="refund-account_holder"
        label={t("pay.refund_holder")}
        error={errors.account_holder}
        value={holder}
        onInput={setHolder}
        autocomplete="name"
        maxLength={70}
      />
      <TextField
        id="refund-iban"
        label={t("pay.refund_iban")}
        hint={t("pay.refund_iban_hint")}
        error={errors.iban}
        value={iban}
        onInput={setIban}
        autocomplete="off"
        autocapitalize="characters"
        spellcheck={false}
        maxLength={42}
      />
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={busy}>
          {t("pay.refund_send_account")}
        </Button>
        {onCancel && (
          <Button variant="secondary" type="button" onClick={onCancel}>
            {t("pay.refund_cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}

/** The refund section of a notice; ``onChanged`` reloads the notice. */
export function Refund({ notice, onChanged }) {
  const [editing, setEditing] = useState(false);
  const refund = notice.refund;
  if (!refund) return null;
  const amount = formatMoney(refund.amount_cents);
  const done = () => {
    setEditing(false);
    onChanged();
  };
  return (
    <section class="kern-stack" aria-labelledby="refund-heading">
      <h2 class="kern-heading-medium" id="refund-heading">
        {t("pay.refund_heading")}
      </h2>
      {refund.state === "needs_account" && (
        <>
          <Alert kind="warning" title={t("pay.refund_needs_account_title")} live={false}>
            <p class="kern-body">{t("pay.refund_needs_account", { amount })}</p>
          </Alert>
          <RefundAccountForm notice={notice} onDone={done} />
        </>
      )}
      {refund.state === "scheduled" && (
        <>
          <p class="kern-body">
            {t(refund.account_source === "mandate" ? "pay.refund_scheduled_mandate" : "pay.refund_scheduled", { amount, iban: refund.iban })}
          </p>
          {editing ? (
            <RefundAccountForm notice={notice} onDone={done} onCancel={() => setEditing(false)} />
          ) : (
            <div class="kern-btn-wrapper">
              <Button variant="secondary" type="button" onClick={() => setEditing(true)}>
                {t("pay.refund_change_account")}
              </Button>
            </div>
          )}
        </>
      )}
      {refund.state === "sent" && <p class="kern-body">{t("pay.refund_sent", { amount, iban: refund.iban })}</p>}
    </section>
  );
}
