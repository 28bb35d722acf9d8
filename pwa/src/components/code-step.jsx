// The "enter the code from the e-mail" step, shared by the sign-in and the eID e-mail step.
import { t } from "../lib/i18n.js";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "./forms.jsx";
import { Page } from "./page.jsx";

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
