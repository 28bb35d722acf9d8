// Paying one thing (an application's fee, a notice, one instalment): choose a payment
// method, then follow what the portal answers (the provider's page, the SEPA mandate
// form or the transfer details); back from the provider the address carries
// ?payment=<id>&status=<state>, and the page asks the portal for the real outcome.
import { useEffect, useRef, useState } from "preact/hooks";
import { DescriptionList } from "../../components/description-list.jsx";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LEAVING, asActionError, useAction } from "../../hooks/use-action.js";
import { LoadError } from "../../components/status.jsx";
import { api } from "../../lib/api.js";
import { formatDate, formatMoney, t } from "../../lib/i18n.js";
import { navigate, queryParam, useLocation } from "../../lib/router.jsx";
import { SepaMandateForm } from "./sepa-mandate-form.jsx";
import "./catalogue.js";
import "./payments.css";
import { DocumentLink } from "../../components/document-link.jsx";

/** ``path`` with ``name=value`` set in its query. */
export function withParam(path, name, value) {
  const url = new URL(path, window.location.origin);
  if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return url.pathname + url.search;
}

const clean = (path) => withParam(withParam(path, "payment", null), "status", null);

/** The payment methods as a radio group; starts the payment with the chosen one. */
function ProviderChoice({ subjectType, subjectId, returnPath, heading }) {
  const [providers, setProviders] = useState(null);
  const [choice, setChoice] = useState(null);
  const { busy, error, setError, run } = useAction();
  const [loadError, setLoadError] = useState(null);
  useEffect(() => {
    api("GET", "/api/payments/providers").then(setProviders, setLoadError);
  }, []);
  if (loadError) return <LoadError error={loadError} />;
  if (!providers) return <Loading />;
  const submit = (event) => {
    event.preventDefault();
    if (!choice) {
      setError({ fieldErrors: [{ field: `provider-${providers[0]?.name}`, message: t("pay.choose_missing") }] });
      return;
    }
    return run(async () => {
      const payment = await api("POST", "/api/payments", {
        subject_type: subjectType,
        subject_id: String(subjectId),
        provider: choice,
        return_path: clean(returnPath),
      });
      if (payment.action?.type === "redirect" && payment.action.url) {
        // The provider's page (a normal navigation; the provider sends the citizen back).
        window.location.assign(payment.action.url);
        return LEAVING;
      }
      navigate(withParam(clean(returnPath), "payment", payment.id));
      return LEAVING;
    });
  };
  const missing = error?.fieldErrors?.find((item) => item.field.startsWith("provider-"));
  return (
    <form onSubmit={submit} novalidate class="kern-stack">
      {heading && <h2 class="kern-heading-medium">{heading}</h2>}
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} />
      <fieldset class={missing ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"} aria-describedby={missing ? "provider-error" : undefined}>
        <legend class="kern-label">{t("pay.choose_legend")}</legend>
        {missing && (
          <p class="kern-error" id="provider-error">
            <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
            <span class="kern-body">{missing.message}</span>
          </p>
        )}
        <div class="kern-fieldset__body">
          {providers.map((provider) => {
            const id = `provider-${provider.name}`;
            return (
              <div class="kern-form-check pay-option" key={provider.name}>
                <input
                  class={missing ? "kern-form-check__radio kern-form-check__radio--error" : "kern-form-check__radio"}
                  type="radio"
                  id={id}
                  name="provider"
                  value={provider.name}
                  checked={choice === provider.name}
                  aria-describedby={provider.hint ? `${id}-hint` : undefined}
                  onChange={() => setChoice(provider.name)}
                />
                <label class="kern-label" for={id}>
                  {provider.test_mode && !/testmodus|test mode/i.test(provider.label) ? t("pay.test_mode_label", { label: provider.label }) : provider.label}
                </label>
                {provider.hint && (
                  <div class="kern-hint pay-option__hint" id={`${id}-hint`}>
                    {provider.hint}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={busy}>
          {t("pay.continue")}
        </Button>
      </div>
    </form>
  );
}

/** Bank transfer: the details to type (or the GiroCode to scan). */
function TransferInstructions({ payment }) {
  const data = payment.action.data || {};
  const rows = [
    [t("pay.transfer_recipient"), data.recipient],
    [t("pay.transfer_iban"), data.iban],
    [t("pay.transfer_bic"), data.bic],
    [t("pay.amount"), formatMoney(data.amount_cents)],
    [t("pay.transfer_reference"), data.reference],
    [t("pay.transfer_due"), formatDate(data.due_date)],
  ].filter(([, value]) => value);
  return (
    <section class="kern-stack" aria-labelledby="transfer-heading">
      <h2 class="kern-heading-medium" id="transfer-heading">
        {t("pay.transfer_heading")}
      </h2>
      {payment.test_mode && <Alert kind="warning" title={t("pay.test_mode_note")} live={false} />}
      <p class="kern-body">{t("pay.transfer_intro")}</p>
      <DescriptionList rows={rows} class="transfer-details" />
      {data.girocode_url && (
        <div class="kern-stack">
          <h3 class="kern-heading-small">{t("pay.girocode_heading")}</h3>
          <p class="kern-body">{t("pay.girocode_text")}</p>
          <img class="girocode" src={data.girocode_url} alt={t("pay.girocode_alt")} width="200" height="200" />
        </div>
      )}
      <p class="kern-body">{t("pay.transfer_after")}</p>
    </section>
  );
}

/** A finished payment: thanks and the receipt, or what went wrong. */
export function PaymentOutcome({ payment }) {
  if (payment.status === "succeeded") {
    return (
      <Alert kind="success" title={t("pay.success_title")}>
        <p class="kern-body">
          {payment.sepa
            ? t("pay.success_sepa", {
                amount: formatMoney(payment.amount_cents),
                date: formatDate(payment.sepa.collection_date),
                iban: payment.sepa.iban,
                reference: payment.sepa.mandate_reference,
              })
            : t("pay.success_text", { amount: formatMoney(payment.amount_cents), provider: payment.provider_label })}
        </p>
        {payment.test_mode && <p class="kern-body">{t("pay.success_test_mode")}</p>}
        {payment.receipt_url && (
          <p class="kern-body">
            <DocumentLink href={payment.receipt_url} name={t("kiosk.receipt")}>
              {t("pay.receipt")}
            </DocumentLink>
          </p>
        )}
      </Alert>
    );
  }
  if (payment.status === "refunded") return <Alert kind="info" title={t("pay.refunded_title")} />;
  const failed = payment.status === "failed";
  return (
    <Alert kind={failed ? "danger" : "warning"} title={failed ? t("pay.failed_title") : t("pay.cancelled_title")}>
      <p class="kern-body">{payment.reason || t("pay.nothing_charged")}</p>
    </Alert>
  );
}

/** An open redirect payment: the citizen came back before the provider confirmed. */
function OpenRedirect({ payment, checking, onCheck, onOther }) {
  return (
    <div class="kern-stack">
      <Alert kind="info" title={t("pay.open_title")}>
        <p class="kern-body">{checking ? t("pay.checking") : t("pay.open_text")}</p>
      </Alert>
      <div class="kern-btn-wrapper">
        {payment.action?.url && (
          <a class="kern-btn kern-btn--primary" href={payment.action.url}>
            <span class="kern-label">{t("pay.continue")}</span>
          </a>
        )}
        <Button variant="secondary" onClick={onCheck} disabled={checking}>
          {t("pay.check_again")}
        </Button>
        <Button variant="tertiary" onClick={onOther}>
          {t("pay.other_way")}
        </Button>
      </div>
    </div>
  );
}

/**
 * Pay ``subjectType``/``subjectId``; ``returnPath`` is this page's address (the provider
 * sends the citizen back to it). ``onFinished(payment)`` runs once the payment has
 * finished (to reload what was paid for); ``children`` are shown after a success.
 */
export function PayFlow({ subjectType, subjectId, returnPath, onFinished, children }) {
  const { search } = useLocation();
  const paymentId = queryParam(search, "payment");
  const [payment, setPayment] = useState(null);
  const [error, setError] = useState(null);
  const [checking, setChecking] = useState(false);
  const [pending, setPending] = useState(null);
  const polls = useRef(0);
  const timer = useRef(null);
  const outcome = useRef(null);

  const show = (next) => {
    setPayment(next);
    if (next.finished && outcome.current !== next.id) {
      outcome.current = next.id;
      onFinished?.(next);
    }
  };
  const load = async (id, poll = false) => {
    setChecking(true);
    try {
      const next = await api("GET", `/api/payments/${encodeURIComponent(id)}`);
      show(next);
      setError(null);
      // Back from the provider but not confirmed yet: ask again a few times.
      if (poll && !next.finished && next.action?.type === "redirect" && polls.current < 6) {
        polls.current += 1;
        timer.current = setTimeout(() => load(id, true), 2500);
        return;
      }
    } catch (caught) {
      setError(asActionError(caught));
    }
    setChecking(false);
  };
  useEffect(() => {
    clearTimeout(timer.current);
    polls.current = 0;
    setPayment(null);
    if (paymentId) load(paymentId, Boolean(queryParam(search, "status")));
    return () => clearTimeout(timer.current);
  }, [paymentId]);
  // A transfer begun earlier for the same thing: its details stay reachable.
  useEffect(() => {
    if (paymentId) return;
    api("GET", "/api/payments").then(
      (all) =>
        setPending(
          all.find((item) => !item.finished && item.provider === "transfer" && item.subject_type === subjectType && item.subject_id === String(subjectId)) || null,
        ),
      () => {},
    );
  }, [paymentId, subjectType, subjectId]);

  const chooseAnother = async () => {
    if (payment && payment.provider !== "transfer") await api("POST", `/api/payments/${payment.id}/cancel`).catch(() => {});
    navigate(clean(returnPath));
  };
  const choice = (heading) => <ProviderChoice subjectType={subjectType} subjectId={subjectId} returnPath={returnPath} heading={heading} />;

  if (!paymentId) {
    return (
      <>
        {pending && (
          <Alert kind="info" title={t("pay.transfer_open", { amount: formatMoney(pending.amount_cents), reference: pending.kassenzeichen })} live={false}>
            <p class="kern-body">
              <a
                class="kern-link"
                href={withParam(clean(returnPath), "payment", pending.id)}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(withParam(clean(returnPath), "payment", pending.id));
                }}
              >
                {t("pay.transfer_show")}
              </a>
            </p>
          </Alert>
        )}
        {choice(null)}
      </>
    );
  }
  if (!payment) return error ? <LoadError error={error} /> : <Loading />;
  if (payment.finished) {
    return (
      <>
        <PaymentOutcome payment={payment} />
        {payment.status === "succeeded" || payment.status === "refunded" ? children : choice(t("pay.retry_heading"))}
      </>
    );
  }
  const type = payment.action?.type;
  return (
    <>
      <LoadError error={error} />
      {type === "sepa_mandate" && <SepaMandateForm payment={payment} onDone={show} />}
      {type === "transfer" && <TransferInstructions payment={payment} />}
      {type !== "sepa_mandate" && type !== "transfer" && (
        <OpenRedirect payment={payment} checking={checking} onCheck={() => load(payment.id)} onOther={chooseAnother} />
      )}
      {(type === "sepa_mandate" || type === "transfer") && (
        <p>
          <Button variant="tertiary" onClick={chooseAnother}>
            {t("pay.other_way")}
          </Button>
        </p>
      )}
    </>
  );
}
