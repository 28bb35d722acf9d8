// Sign in or register: passkey first where available, else a 6-digit code by e-mail.
// One question per step: the address, then the code.
import { EmailAddressForm, useEmailCode } from "../components/code-step.jsx";
import { Button, ErrorSummary } from "../components/forms.jsx";
import { Page } from "../components/page.jsx";
import { api } from "../lib/api.js";
import { isKiosk } from "../lib/kiosk.js";
import { t } from "../lib/i18n.js";
import { Link, queryParam, safeReturnPath, useLocation } from "../lib/router.jsx";
import { signedIn } from "../lib/signed-in.js";
import { getPasskey, passkeysSupported } from "../lib/webauthn.js";

/** Where a sign-in without a page to return to leads: the work of the person's role. */
function landing(result) {
  const role = result.user?.role;
  if (role === "admin") return "/verwaltung";
  if (role === "statistics") return "/verwaltung/statistik";
  if (role === "staff") return "/sachbearbeitung";
  if (role === "officer") return "/kontrolle";
  if (role === "statistics") return "/verwaltung/statistik";
  // At the terminal no passkey is offered: a new account starts at its applications.
  if (isKiosk()) return "/antraege";
  return result.new_account ? "/konto?neu=1" : "/konto";
}

export function SignInPage() {
  const { search } = useLocation();
  const back = safeReturnPath(queryParam(search, "weiter"));
  const { busy, error, run, email, setEmail, requestCode, codeStep } = useEmailCode({
    startUrl: "/api/auth/email/start",
    verifyUrl: "/api/auth/email/verify",
    onVerified: (result) => signedIn(result, back || landing(result)),
  });

  const passkeyLogin = () =>
    run(async () => {
      const options = await api("POST", "/api/auth/passkey/options");
      let credential;
      try {
        credential = await getPasskey(options.public_key);
      } catch {
        throw { message: t("signin.passkey_cancelled"), fieldErrors: [] };
      }
      const result = await api("POST", "/api/auth/passkey/verify", {
        challenge_id: options.challenge_id,
        credential,
      });
      await signedIn(result, back || landing(result));
    });

  if (codeStep) return codeStep;
  return (
    <Page title={t("signin.title")}>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} />
      <p class="kern-body">{t("signin.intro")}</p>
      {passkeysSupported() && !isKiosk() && (
        <section class="kern-stack" aria-labelledby="passkey-heading">
          <h2 class="kern-heading-medium" id="passkey-heading">
            {t("signin.passkey_heading")}
          </h2>
          <p class="kern-body">{t("signin.passkey_text")}</p>
          <div class="kern-btn-wrapper">
            <Button onClick={passkeyLogin} disabled={busy}>
              {t("signin.passkey_button")}
            </Button>
          </div>
        </section>
      )}
      <section class="kern-stack" aria-labelledby="email-heading">
        <h2 class="kern-heading-medium" id="email-heading">
          {t("signin.email_heading")}
        </h2>
        <EmailAddressForm
          email={email}
          setEmail={setEmail}
          onSubmit={requestCode}
          error={error}
          hint={t("signin.email_hint")}
          busy={busy}
          secondary
        />
      </section>
      <section class="kern-stack" aria-labelledby="eid-heading">
        <h2 class="kern-heading-medium" id="eid-heading">
          {t("signin.eid_heading")}
        </h2>
        <p class="kern-body">{t("signin.eid_text")}</p>
        <p>
          <Link class="kern-btn kern-btn--secondary" href={back ? `/anmelden/ausweis?weiter=${encodeURIComponent(back)}` : "/anmelden/ausweis"}>
            <span class="kern-label">{t("signin.eid_heading")}</span>
          </Link>
        </p>
      </section>
      <section class="kern-stack" aria-labelledby="bundid-heading">
        <h2 class="kern-heading-medium" id="bundid-heading">
          {t("signin.bundid_heading")}
        </h2>
        <p class="kern-body">{t("signin.bundid_text")}</p>
        <p>
          <Link class="kern-btn kern-btn--secondary" href={back ? `/anmelden/bundid?weiter=${encodeURIComponent(back)}` : "/anmelden/bundid"}>
            <span class="kern-label">{t("signin.bundid_heading")}</span>
          </Link>
        </p>
      </section>
    </Page>
  );
}
