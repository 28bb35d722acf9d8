// Signing in with a 6-digit code sent by e-mail, shared by the sign-in page and the
// e-mail steps of the eID and BundID: the hook holds the address, the code and the two
// requests; the components are the address form and the "enter the code" page.
import { useState } from "preact/hooks";
import { useAction } from "../hooks/use-action.js";
import { api } from "../lib/api.js";
import { locale, t } from "../lib/i18n.js";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "./forms.jsx";
import { Page } from "./page.jsx";

/**
 * The e-mail code sign-in against ``startUrl`` (sends the code) and ``verifyUrl``
 * (checks it); ``onVerified(result)`` runs with the portal's answer. Returns the
 * ``useAction`` state (for other actions of the same page, e.g. a passkey), the
 * address, ``requestCode`` for the address form, and ``codeStep``: the code page
 * once a code was sent, else ``null``.
 */
export function useEmailCode({ startUrl, verifyUrl, onVerified }) {
  const action = useAction();
  const [sent, setSent] = useState(false);
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState(null);
  const requestCode = (event) => {
    event?.preventDefault();
    action.run(async () => {
      const result = await api("POST", startUrl, { email, locale: locale.get() });
      setNotice(result.message);
      setSent(true);
    });
  };
  const verifyCode = (event) => {
    event.preventDefault();
    action.run(async () => onVerified(await api("POST", verifyUrl, { email, code })));
  };
  const codeStep = sent ? (
    <CodeStep
      email={email}
      code={code}
      setCode={setCode}
      error={action.error}
      notice={notice}
      busy={action.busy}
      onVerify={verifyCode}
      onResend={requestCode}
      onOtherAddress={() => setSent(false)}
    />
  ) : null;
  return { ...action, email, setEmail, requestCode, codeStep };
}

/** The address form: the address and the button that sends the code to it. */
export function EmailAddressForm({ email, setEmail, onSubmit, error, hint, busy, secondary = false }) {
  const errors = fieldErrors(error);
  return (
    <form onSubmit={onSubmit} novalidate class="kern-stack">
      <TextField
        id="email"
        type="email"
        label={t("signin.email_label")}
        hint={hint}
        error={errors.email}
        value={email}
        onInput={setEmail}
        autocomplete="email"
        spellcheck={false}
      />
      <div class="kern-btn-wrapper">
        <button class={`kern-btn ${secondary ? "kern-btn--secondary" : "kern-btn--primary"}`} type="submit" disabled={busy}>
          <span class="kern-label">{t("signin.email_submit")}</span>
        </button>
      </div>
    </form>
  );
}

/** The page asking for the code sent to ``email``. */
export function CodeStep({ email, code, setCode, error, notice, busy, onVerify, onResend, onOtherAddress, children }) {
  const errors = fieldErrors(error);
  return (
    <Page title={t("signin.code_title")}>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} />
      {notice && <Alert kind="info" title={notice} />}
      {children}
      <p class="kern-body">{t("signin.code_intro", { email })}</p>
      <form onSubmit={onVerify} novalidate class="kern-stack">
        <TextField
          id="code"
          label={t("signin.code_label")}
          hint={t("signin.code_hint")}
          error={errors.code}
          value={code}
          onInput={setCode}
          inputMode="numeric"
          autocomplete="one-time-code"
          maxLength={6}
          class="kern-form-input__input kern-form-input__input--width-4"
        />
        <div class="kern-btn-wrapper">
          <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
            <span class="kern-label">{t("signin.code_submit")}</span>
          </button>
        </div>
      </form>
      <p class="kern-body">
        <Button variant="tertiary" onClick={onResend} disabled={busy}>
          {t("signin.code_again")}
        </Button>
      </p>
      <p class="kern-body">
        <Button variant="tertiary" onClick={onOtherAddress}>
          {t("signin.other_address")}
        </Button>
      </p>
    </Page>
  );
}
