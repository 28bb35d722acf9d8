// Screens of the portal as they appear in the guides: built from the portal's own
// components and labels, filled with example values, read-only, and marked as an
// example for screen readers. No pictures of text: a renamed button renames the example.
import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../components/forms.jsx";
import { StatusBadge } from "../../components/status-badge.jsx";
import { Timeline } from "../../components/timeline.jsx";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";

/** A frame saying "Beispiel" around a piece of a portal screen. */
export function Example({ name, children }) {
  return (
    <figure class="help-example" aria-label={t("help.example_named", { what: name })}>
      <figcaption class="kern-body kern-body--small help-example__caption">{t("help.example")}</figcaption>
      <div class="help-example__screen kern-stack">{children}</div>
    </figure>
  );
}

/** A text field as the portal shows it, with an example value that cannot be changed. */
function ExampleField({ id, label, hint, value, ...props }) {
  return (
    <div class="kern-form-input">
      <label class="kern-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <input class="kern-form-input__input" id={id} value={value} readOnly tabIndex={-1} aria-describedby={hint ? `${id}-hint` : undefined} {...props} />
    </div>
  );
}

/** A button as the portal shows it (not greyed out: it looks as on the real screen);
 * here it does nothing and is no Tab stop. */
function ExampleButton({ children, variant = "primary" }) {
  return (
    <div class="kern-btn-wrapper">
      <button type="button" class={`kern-btn kern-btn--${variant}`} tabIndex={-1}>
        <span class="kern-label">{children}</span>
      </button>
    </div>
  );
}

const ADDRESS = "erika.mustermann@example.org";

export function EmailExample() {
  return (
    <Example name={t("signin.email_heading")}>
      <ExampleField id="example-email" type="email" label={t("signin.email_label")} hint={t("signin.email_hint")} value={ADDRESS} />
      <ExampleButton variant="secondary">{t("signin.email_submit")}</ExampleButton>
    </Example>
  );
}

export function CodeExample() {
  return (
    <Example name={t("signin.code_title")}>
      <p class="kern-body">{t("signin.code_intro", { email: ADDRESS })}</p>
      <ExampleField id="example-code" label={t("signin.code_label")} hint={t("signin.code_hint")} value="123456" inputMode="numeric" />
      <ExampleButton>{t("signin.code_submit")}</ExampleButton>
    </Example>
  );
}

export function PasskeyAddExample() {
  return (
    <Example name={t("account.passkeys_heading")}>
      <ExampleField id="example-passkey-name" label={t("account.passkey_name")} hint={t("account.passkey_name_hint")} value={t("help.example.device")} />
      <ExampleButton>{t("account.passkey_add")}</ExampleButton>
    </Example>
  );
}

export function PasskeySignInExample() {
  return (
    <Example name={t("signin.passkey_heading")}>
      <p class="kern-body">{t("signin.passkey_text")}</p>
      <ExampleButton>{t("signin.passkey_button")}</ExampleButton>
    </Example>
  );
}

export function SignInWaysExample({ bundid }) {
  return (
    <Example name={t("signin.title")}>
      <ExampleButton variant="secondary">{t("signin.eid_heading")}</ExampleButton>
      {bundid && <ExampleButton variant="secondary">{t("signin.bundid_heading")}</ExampleButton>}
    </Example>
  );
}

/** The payment methods the portal offers (GET /api/payments/providers), as a choice. */
export function usePaymentMethods() {
  const [methods, setMethods] = useState(null);
  useEffect(() => {
    api("GET", "/api/payments/providers").then(setMethods, () => setMethods([]));
  }, []);
  return methods;
}

/** A payment method's name as the payment page shows it (pay-flow.jsx), test mode marked. */
export function methodLabel(method) {
  return method.test_mode && !/testmodus|test mode/i.test(method.label) ? t("pay.test_mode_label", { label: method.label }) : method.label;
}

export function PaymentChoiceExample({ methods }) {
  if (!methods?.length) return null;
  const keep = (event) => event.preventDefault();
  return (
    <Example name={t("pay.choose_legend")}>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{t("pay.choose_legend")}</legend>
        <div class="kern-fieldset__body">
          {methods.map((method, index) => (
            <div class="kern-form-check pay-option" key={method.name}>
              <input class="kern-form-check__radio" type="radio" id={`example-provider-${method.name}`} name="example-provider" checked={index === 0} onClick={keep} tabIndex={-1} />
              <label class="kern-label" for={`example-provider-${method.name}`}>
                {methodLabel(method)}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <ExampleButton>{t("pay.continue")}</ExampleButton>
    </Example>
  );
}

export function PaidExample({ methods }) {
  return (
    <Example name={t("pay.success_title")}>
      <Alert kind="success" title={t("pay.success_title")} live={false}>
        <p class="kern-body">{t("pay.success_text", { amount: t("help.example.amount"), provider: methods?.[0] ? methodLabel(methods[0]) : t("help.example.provider") })}</p>
        <p class="kern-body help-example__link">{t("pay.receipt")}</p>
      </Alert>
    </Example>
  );
}

const SENT = "2026-03-02T09:14:00Z";

export function ApplicationExample() {
  const status = t("help.example.status_review");
  const events = [
    { at: SENT, by: "citizen", kind: "submitted" },
    { at: "2026-03-02T09:15:00Z", by: "system", what: t("help.example.paid") },
    { at: "2026-03-04T10:30:00Z", by: "staff", what: t("help.example.new_status", { status }) },
  ];
  return (
    <Example name={t("applications.detail_title")}>
      <h3 class="kern-heading-small">{t("help.example.service")}</h3>
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("detail.reference")}</dt>
          <dd class="kern-description-list-item__value reference-number">K7MP 3XQ9</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("detail.status")}</dt>
          <dd class="kern-description-list-item__value">
            <StatusBadge status="in_review" label={status} />
          </dd>
        </div>
      </dl>
      <h4 class="kern-heading-small">{t("detail.timeline_heading")}</h4>
      <Timeline events={events} />
    </Example>
  );
}

export function QuestionExample() {
  return (
    <Example name={t("detail.answer")}>
      <p class="kern-body">
        <StatusBadge status="info_requested" label={t("help.example.status_question")} />
      </p>
      <ExampleButton>{t("detail.answer")}</ExampleButton>
    </Example>
  );
}

export function ChannelsExample() {
  const keep = (event) => event.preventDefault();
  return (
    <Example name={t("account.notifications_heading")}>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{t("channels.legend")}</legend>
        <div class="kern-fieldset__body">
          {["email", "push"].map((name) => (
            <div class="kern-form-check" key={name}>
              <input class="kern-form-check__checkbox" type="checkbox" id={`example-channel-${name}`} checked onClick={keep} tabIndex={-1} />
              <label class="kern-label" for={`example-channel-${name}`}>
                {t(`channels.${name}`, { email: ADDRESS })}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <ExampleButton>{t("channels.save")}</ExampleButton>
    </Example>
  );
}
