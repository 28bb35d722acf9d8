// The BundID screens: /anmelden/bundid (sign in, or link BundID when signed in; the
// portal's finish step lands here with ?fehler=<code> or ?schritt=e-mail) and
// /konto/bundid-daten (BundID's data next to the profile, the eID's comparison screen).
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import {
  IdentityEmailStep,
  OtherWays as SharedOtherWays,
  TestModeNotice as SharedTestModeNotice,
  identityErrorMessage,
  useIdentityStatus,
  withBack,
} from "../../components/identity-sign-in.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api, session } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link, queryParam, safeReturnPath, useLocation } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { DataReviewPage } from "../eid/review.jsx";
import "./catalogue.js";

// ?niveau= on /anmelden/bundid: the trust level a service needs, asked of BundID.
const LEVELS = { substanziell: "substantial", hoch: "high" };
/** What BundID's screens share with the eID's (components/identity-sign-in.jsx). */
const FLOW = { api: "/api/bundid", page: "/anmelden/bundid", done: "/konto?bundid=ok", texts: "bundid", errors: "bundid" };
const useBundidStatus = () => useIdentityStatus(FLOW);
const errorMessage = (code, attempt) => identityErrorMessage(FLOW, code, attempt);
const TestModeNotice = () => <SharedTestModeNotice flow={FLOW} />;
const OtherWays = ({ back }) => <SharedOtherWays flow={FLOW} back={back} />;

/** Post the signed request to BundID as its HTTP-POST binding wants: a form submission. */
function postToBundid(started) {
  const form = document.createElement("form");
  form.method = "post";
  form.action = started.sso_url;
  form.hidden = true;
  const field = document.createElement("input");
  field.type = "hidden";
  field.name = "SAMLRequest";
  field.value = started.saml_request;
  form.append(field);
  document.body.append(form);
  form.submit();
}

export function BundidSignInPage() {
  const { search } = useLocation();
  const current = useSignal(session);
  const failure = queryParam(search, "fehler");
  if (failure) return <BundidFailure code={failure} />;
  if (queryParam(search, "schritt") === "e-mail") return <BundidEmailStep />;
  const back = safeReturnPath(queryParam(search, "weiter"));
  const level = LEVELS[queryParam(search, "niveau")];
  return <BundidStart purpose={current.authenticated ? "link" : "login"} back={back} level={level} />;
}

function BundidStart({ purpose, back, level }) {
  const status = useBundidStatus();
  const { busy, error, run } = useAction();
  const title = purpose === "login" ? t("bundid.login_title") : t("bundid.link_title");
  if (!status) return <Page title={title}><Loading /></Page>;
  if (status.failed || !status.enabled) {
    return (
      <Page title={title}>
        <Alert kind="warning" title={t("errors.bundid_unavailable")} />
        <OtherWays back={back} />
      </Page>
    );
  }
  const start = () =>
    run(async () => {
      const body = { purpose };
      if (back) body.return_to = back;
      if (level) body.trust_level = level;
      postToBundid(await api("POST", "/api/bundid/start", body));
    });
  return (
    <Page title={title}>
      <ErrorSummary message={error?.message} />
      <p class="kern-body kern-body--large">{purpose === "login" ? t("bundid.login_intro") : t("bundid.link_intro")}</p>
      {status.test_mode && <TestModeNotice />}
      <section class="kern-stack" aria-labelledby="bundid-levels-heading">
        <h2 class="kern-heading-medium" id="bundid-levels-heading">
          {t("bundid.levels_heading")}
        </h2>
        <ul class="kern-list">
          <li>{t("bundid.level_basic")}</li>
          <li>{t("bundid.level_substantial")}</li>
          <li>{t("bundid.level_high")}</li>
        </ul>
        <p class="kern-body">{t("bundid.data_text")}</p>
      </section>
      <div class="kern-btn-wrapper">
        <Button onClick={start} disabled={busy}>
          {t("bundid.start")}
        </Button>
      </div>
      {purpose === "login" && <OtherWays back={back} />}
    </Page>
  );
}

/** The finish step reported a refusal: say what happened in plain words, offer a way on. */
function BundidFailure({ code }) {
  const status = useBundidStatus();
  const current = useSignal(session);
  if (!status) return <Page title={t("bundid.error_title")}><Loading /></Page>;
  const attempt = status.attempt;
  const back = safeReturnPath(attempt?.return_to);
  return (
    <Page title={t("bundid.error_title")}>
      <Alert kind="danger" title={errorMessage(code, attempt)} />
      {status.test_mode && <TestModeNotice />}
      <div class="kern-btn-wrapper">
        <Link class="kern-btn kern-btn--primary" href={withBack("/anmelden/bundid", back)}>
          <span class="kern-label">{t("bundid.again")}</span>
        </Link>
      </div>
      {!current.authenticated && <OtherWays back={back} />}
    </Page>
  );
}

/** First sign-in with a BundID account we do not know: the address the account should have. */
function BundidEmailStep() {
  const status = useBundidStatus();
  return (
    <IdentityEmailStep
      flow={FLOW}
      status={status}
      offered={status?.attempt?.email}
      hint={t("bundid.email_hint")}
      otherWays={<OtherWays />}
    />
  );
}

const REVIEW_TEXTS = {
  title: "bundid.review_title",
  intro: "bundid.review_intro",
  caption: "bundid.review_caption",
  colCard: "bundid.review_col",
  verifiedNote: "bundid.review_verified_note",
};

export function BundidReviewPage() {
  return <DataReviewPage endpoint="/api/bundid/data" texts={REVIEW_TEXTS} />;
}
