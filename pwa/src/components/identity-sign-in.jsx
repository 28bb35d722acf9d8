// What the eID and BundID sign-in screens share. Both leave the portal for another party
// and come back to their sign-in page with ?fehler=<code> or ?schritt=e-mail. A flow names
// its API, its pages and its catalogue prefixes:
//   { api: "/api/eid", page: "/anmelden/ausweis", done: "/konto?eid=ok",
//     texts: "ausweis", errors: "eid" }
// Texts are read as `${texts}.<key>` and `${errors}.error.<code>`, from the feature
// catalogue the flow's own pages load.
import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { Link, safeReturnPath } from "../lib/router.jsx";
import { signedIn } from "../lib/signed-in.js";
import { EmailAddressForm, useEmailCode } from "./code-step.jsx";
import { Alert, ErrorSummary } from "./forms.jsx";
import { Loading, Page } from "./page.jsx";

/** ``path`` with ``?weiter=`` when there is a page to go back to. */
export const withBack = (path, back) => (back ? `${path}?weiter=${encodeURIComponent(back)}` : path);

/** This browser's status of a flow (enabled, test mode, latest attempt, binding). */
export function useIdentityStatus(flow) {
  const [status, setStatus] = useState(null);
  useEffect(() => {
    api("GET", `${flow.api}/status`).then(setStatus, (error) => setStatus({ failed: error }));
  }, [flow.api]);
  return status;
}

/** The plain-words message for a refusal ``code``: the server's when it is about this attempt. */
export function identityErrorMessage(flow, code, attempt) {
  if (attempt?.error === code && attempt.message) return attempt.message;
  const key = `${flow.errors}.error.${code}`;
  const text = t(key);
  return text === key ? t(`${flow.errors}.error.failed`) : text;
}

/** "Testmodus": the built-in simulator answers, not the real service. */
export function TestModeNotice({ flow }) {
  return (
    <Alert kind="warning" title={t(`${flow.texts}.testmode_title`)} live={false}>
      <p class="kern-body">{t(`${flow.texts}.testmode_text`)}</p>
    </Alert>
  );
}

/** Other ways to sign in, back to the sign-in page; ``children`` add to them. */
export function OtherWays({ flow, back, children }) {
  const heading = `${flow.errors}-other-heading`;
  return (
    <section class="kern-stack" aria-labelledby={heading}>
      <h2 class="kern-heading-medium" id={heading}>
        {t(`${flow.texts}.other_ways_heading`)}
      </h2>
      <p class="kern-body">{t(`${flow.texts}.other_ways`)}</p>
      <ul class="kern-list link-list">
        <li>
          <Link class="kern-link" href={withBack("/anmelden", back)}>
            {t(`${flow.texts}.other_ways_link`)}
          </Link>
        </li>
      </ul>
      {children}
    </section>
  );
}

/**
 * First sign-in with an identity the portal does not know yet: the address the account
 * should have, confirmed with a code. ``offered`` fills the address in (what the other
 * party vouched for), ``hint`` explains the field, ``children`` greet above the form.
 */
export function IdentityEmailStep({ flow, status, offered, hint, otherWays, children }) {
  const { busy, error, email, setEmail, requestCode, codeStep } = useEmailCode({
    startUrl: `${flow.api}/email/start`,
    verifyUrl: `${flow.api}/email/verify`,
    onVerified: (result) => signedIn(result, safeReturnPath(result.redirect_to) || flow.done, { reload: true }),
  });
  useEffect(() => {
    if (offered && !email) setEmail(offered);
  }, [offered]);
  if (!status) return <Page title={t(`${flow.texts}.email_title`)}><Loading /></Page>;
  const attempt = status.attempt;
  if (attempt?.state !== "email_required") {
    const message = attempt?.state === "expired" ? t(`${flow.errors}.error.expired`) : t(`errors.${flow.errors}_no_pending`);
    return (
      <Page title={t(`${flow.texts}.none_title`)}>
        <Alert kind="warning" title={message} />
        <div class="kern-btn-wrapper">
          <Link class="kern-btn kern-btn--primary" href={withBack(flow.page, safeReturnPath(attempt?.return_to))}>
            <span class="kern-label">{t(`${flow.texts}.again`)}</span>
          </Link>
        </div>
        {otherWays}
      </Page>
    );
  }
  if (codeStep) return codeStep;
  return (
    <Page title={t(`${flow.texts}.email_title`)}>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} />
      {status.test_mode && <TestModeNotice flow={flow} />}
      {children}
      <p class="kern-body">{t(`${flow.texts}.email_intro`)}</p>
      <EmailAddressForm email={email} setEmail={setEmail} onSubmit={requestCode} error={error} hint={hint} busy={busy} />
    </Page>
  );
}
