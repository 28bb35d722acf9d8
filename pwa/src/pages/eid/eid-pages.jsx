// The eID screens: /anmelden/ausweis (sign in; the RefreshAddress lands here with
// ?fehler=<code> or ?schritt=e-mail) and /konto/ausweis (confirm a signed-in account, or
// link a new card).
import { useState } from "preact/hooks";
import { IdentityEmailStep, identityErrorMessage, withBack } from "../../components/identity-sign-in.jsx";
import { Alert, Button } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { session } from "../../lib/api.js";
import { formatDate, t } from "../../lib/i18n.js";
import { Link, queryParam, safeReturnPath, useLocation } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import "./catalogue.js";
import { greetingName } from "./device.js";
import { EID_FLOW, EidFlow, GetAppLink, OtherWays, TestModeNotice, useEidStatus } from "./eid-flow.jsx";

const errorMessage = (code, attempt) => identityErrorMessage(EID_FLOW, code, attempt);

export function EidSignInPage() {
  const { search } = useLocation();
  const current = useSignal(session);
  const failure = queryParam(search, "fehler");
  if (failure) return <EidFailure code={failure} />;
  if (queryParam(search, "schritt") === "e-mail") return <EidEmailStep />;
  const back = safeReturnPath(queryParam(search, "weiter"));
  // Signed in already: the card is linked to this account instead.
  const purpose = current.authenticated ? "confirm" : "login";
  return <EidStartScreen purpose={purpose} back={back} />;
}

function EidStartScreen({ purpose, back }) {
  const status = useEidStatus();
  return (
    <Page title={purpose === "login" ? t("ausweis.login_title") : t("ausweis.confirm_title")}>
      <p class="kern-body kern-body--large">{purpose === "login" ? t("ausweis.login_intro") : t("ausweis.confirm_intro")}</p>
      <EidFlow purpose={purpose} returnTo={back} status={status} />
    </Page>
  );
}

/** The RefreshAddress reported a failure: say what happened in plain words, offer a way on. */
function EidFailure({ code }) {
  const status = useEidStatus();
  const current = useSignal(session);
  if (!status) return <Page title={t("ausweis.error_title")}><Loading /></Page>;
  const attempt = status.attempt;
  const back = safeReturnPath(attempt?.return_to);
  const confirm = attempt?.purpose === "confirm" || (current.authenticated && code !== "not_signed_in");
  const retry = code === "not_signed_in" ? withBack("/anmelden", back) : withBack(confirm ? "/konto/ausweis" : "/anmelden/ausweis", back);
  return (
    <Page title={t("ausweis.error_title")}>
      <Alert kind="danger" title={errorMessage(code, attempt)} />
      {status.test_mode && <TestModeNotice />}
      <div class="kern-btn-wrapper">
        <Link class="kern-btn kern-btn--primary" href={retry}>
          <span class="kern-label">{t("ausweis.again")}</span>
        </Link>
      </div>
      {["cancelled", "failed", "server_error"].includes(code) && (
        <p class="kern-body">
          <GetAppLink />
        </p>
      )}
      {current.authenticated ? (
        <p class="kern-body">{t("sent.next_counter")}</p>
      ) : (
        <OtherWays back={back} />
      )}
    </Page>
  );
}

/** First sign-in with a card we do not know: the address the account should have. */
function EidEmailStep() {
  const status = useEidStatus();
  const name = greetingName(status?.attempt?.identity);
  return (
    <IdentityEmailStep
      flow={EID_FLOW}
      status={status}
      hint={`${t("ausweis.email_hint")} ${t("ausweis.code_expired_hint")}`}
      otherWays={<OtherWays />}
    >
      {name && <p class="kern-body kern-body--large">{t("ausweis.email_greeting", { name })}</p>}
    </IdentityEmailStep>
  );
}

export function EidConfirmPage() {
  return (
    <RequireSignIn title={t("ausweis.confirm_title")}>
      <EidConfirm />
    </RequireSignIn>
  );
}

function documentName(type) {
  const key = `ausweis.doc.${type}`;
  const text = t(key);
  return text === key ? t("ausweis.doc.other") : text;
}

function EidConfirm() {
  const { search } = useLocation();
  const back = safeReturnPath(queryParam(search, "weiter"));
  const status = useEidStatus();
  const [rebind, setRebind] = useState(false);
  if (!status) return <Page title={t("ausweis.confirm_title")}><Loading /></Page>;
  if (status.trust_level === "high" && !rebind) {
    return (
      <Page title={t("ausweis.account_heading")}>
        <Alert kind="success" title={t("ausweis.already_title")} live={false}>
          {status.binding && (
            <p class="kern-body">
              {t("ausweis.already_text", { date: formatDate(status.binding.bound_at), document: documentName(status.binding.document_type) })}
            </p>
          )}
        </Alert>
        <p class="kern-body">{t("ausweis.account_high")}</p>
        <ul class="kern-list link-list">
          {back && (
            <li>
              <Link class="kern-link" href={back}>
                {t("ausweis.continue")}
              </Link>
            </li>
          )}
          <li>
            <Link class="kern-link" href="/konto">
              {t("nav.account")}
            </Link>
          </li>
        </ul>
        <section class="kern-stack" aria-labelledby="rebind-heading">
          <h2 class="kern-heading-medium" id="rebind-heading">
            {t("ausweis.rebind_heading")}
          </h2>
          <p class="kern-body">{t("ausweis.rebind_text")}</p>
          <div class="kern-btn-wrapper">
            <Button variant="secondary" onClick={() => setRebind(true)}>
              {t("ausweis.rebind_button")}
            </Button>
          </div>
        </section>
      </Page>
    );
  }
  return (
    <Page title={rebind ? t("ausweis.rebind_heading") : t("ausweis.confirm_title")}>
      <p class="kern-body kern-body--large">{rebind ? t("ausweis.rebind_text") : t("ausweis.confirm_intro")}</p>
      <EidFlow purpose="confirm" returnTo={back} status={status} />
    </Page>
  );
}
