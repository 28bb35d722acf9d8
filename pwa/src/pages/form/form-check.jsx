// Check your answers: everything on one page with "change" links, the fee, any
// warnings, and the button that sends the application (or queues it while offline).
import { useEffect, useMemo, useState } from "preact/hooks";
import { AnswerSummary } from "../../components/answer-summary.jsx";
import { FeeStatement, PaymentPolicy } from "../../components/fee-info.jsx";
import { Alert, Button, ErrorSummary, uniqueErrors } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { SaveState } from "../../components/save-state.jsx";
import { session } from "../../lib/api.js";
import { isDirty, submitDraft } from "../../lib/drafts.js";
import { activeWarnings, computeFees } from "../../lib/form/fees.js";
import { fieldName, problemText } from "../../lib/form/messages.js";
import { buildPages, inputId, pageForPath } from "../../lib/form/pages.js";
import { validateAll } from "../../lib/form/validate.js";
import { pick, t } from "../../lib/i18n.js";
import { Link, navigate } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { useDraft } from "../../hooks/use-draft.js";
import { LEAVING, useAction } from "../../hooks/use-action.js";
import { MissingDraft } from "./form-step.jsx";
import { trustAtLeast } from "../../lib/trust.js";
import { TrustOffer } from "./trust-offer.jsx";

function fieldAt(definition, path) {
  const [head, rest] = path.split(/\]\.|\./);
  const top = definition.steps.flatMap((step) => step.fields).find((field) => field.id === head.replace(/\[\d+$/, ""));
  if (!top) return null;
  if (top.type === "repeat" && rest) return { field: top.fields.find((f) => f.id === rest.split(".")[0]) || top, repeat: top };
  return { field: top, repeat: null };
}

/** Problems the server reported, pointing at the page and field they belong to. */
function serverProblems(definition, pages, errors) {
  return errors.map((error) => {
    const found = error.field ? fieldAt(definition, error.field) : null;
    const page = error.field ? pageForPath(pages, error.field) : null;
    const item = /\[(\d+)\]/.exec(error.field || "");
    const name = found ? fieldName(found.field, item ? Number(item[1]) : null, found.repeat, error.field) : null;
    return {
      href: page ? `/antrag/{id}/${page.key}?zurueck=pruefen#${inputId(error.field)}` : null,
      message: name ? `${name}: ${error.message}` : error.message,
    };
  });
}

export function FormCheckPage({ localId }) {
  const draft = useDraft(localId);
  if (draft === undefined) return <Page title={t("app.loading")}><Loading /></Page>;
  if (draft === null) return <MissingDraft />;
  return <FormCheck draft={draft} />;
}

function FormCheck({ draft }) {
  const current = useSignal(session);
  const [problems, setProblems] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const { busy, run } = useAction();
  const { definition, answers } = draft;
  const pages = useMemo(() => buildPages(definition, answers), [definition, answers]);
  const fees = useMemo(() => computeFees(definition, answers), [definition, answers]);
  const warnings = activeWarnings(definition, answers);
  const base = `/antrag/${draft.localId}`;
  useEffect(() => {
    if (draft.conflict) navigate(`${base}/abgleich`, { replace: true });
    else if (draft.state === "submitted") navigate(`${base}/gesendet`, { replace: true });
  }, [draft.conflict, draft.state]);

  const local = (problems || []).map((problem) => ({
    href: `${base}/${problem.page.key}?zurueck=pruefen#${inputId(problem.path)}`,
    message: `${fieldName(problem.field, problem.item, problem.page.repeat?.field, problem.path)}: ${problemText(problem)}`,
  }));
  // What the server said about the synced answers (e.g. a street it does not know).
  const fromServer = serverProblems(definition, pages, [
    ...(draft.submitErrors || []),
    ...(!isDirty(draft) ? (draft.serverIssues || []).filter((issue) => !(problems || []).some((p) => p.path === issue.field)) : []),
  ]).map((item) => ({ ...item, href: item.href?.replace("{id}", draft.localId) }));
  // The same problem may come from this device, the last sync and the refused submission:
  // the citizen sees it once.
  const shown = uniqueErrors(problems ? [...local, ...fromServer.filter((item) => item.href)] : fromServer.filter((item) => item.href));
  const general = (draft.submitErrors || []).filter((error) => !error.field);

  const needsTrust = !trustAtLeast(current.user?.trust_level, definition.trust_level);
  const send = async () => {
    const found = validateAll(definition, pages, answers);
    setProblems(found);
    setAttempt(attempt + 1);
    if (found.length) return;
    // Sending is kept on this device until the portal has it, so this only fails on a
    // broken local store; the button then becomes usable again.
    await run(async () => {
      await submitDraft(draft.localId);
      navigate(`${base}/gesendet`);
      return LEAVING;
    });
  };
  return (
    <Page title={t("check.title")} caption={pick(draft.title)}>
      <ErrorSummary errors={shown} focusToken={attempt} />
      {general.map((error) => (
        <Alert key={error.code} kind="danger" title={error.message || t("errors.generic")} />
      ))}
      <p class="kern-body">{t("check.intro")}</p>
      <AnswerSummary pages={pages} answers={answers} changeHref={(page) => `${base}/${page.key}?zurueck=pruefen`} />
      {warnings.map(({ warning, path }) => (
        <Alert key={path} kind="warning" title={t("form.warning_title")} live={false}>
          <p class="kern-body">{problemText({ code: `warning.${warning.id}`, params: warning.params, message: warning.message })}</p>
        </Alert>
      ))}
      <section class="kern-stack" aria-labelledby="fee-heading">
        <h2 class="kern-heading-medium" id="fee-heading">{t("check.fee_heading")}</h2>
        <FeeStatement fees={fees} note={definition.fees?.note} />
        <PaymentPolicy policy={definition.payment?.policy} />
      </section>
      <section class="kern-stack" aria-labelledby="send-heading">
        <h2 class="kern-heading-medium" id="send-heading">{t("check.send_heading")}</h2>
        {!current.authenticated ? (
          <>
            <p class="kern-body">{t("check.sign_in_needed")}</p>
            <p>
              <Link class="kern-btn kern-btn--primary" href={`/anmelden?weiter=${encodeURIComponent(`${base}/pruefen`)}`}>
                <span class="kern-label">{t("check.sign_in")}</span>
              </Link>
            </p>
            {definition.trust_level !== "basic" && <TrustOffer level={definition.trust_level} signedIn={false} returnTo={`${base}/pruefen`} />}
          </>
        ) : needsTrust ? (
          <>
            <Alert
              kind="info"
              title={definition.trust_level === "high" ? t("check.trust_title") : t("check.trust_substantial_title")}
              live={false}
            >
              <p class="kern-body">{pick(definition.trust_note)}</p>
            </Alert>
            <TrustOffer level={definition.trust_level} signedIn returnTo={`${base}/pruefen`} />
          </>
        ) : (
          <>
            <p class="kern-body">{t("check.declaration")}</p>
            <div class="kern-btn-wrapper">
              <Button onClick={send} disabled={busy}>
                {t("check.send")}
              </Button>
            </div>
          </>
        )}
      </section>
      <SaveState draft={draft} signedIn={current.authenticated} />
    </Page>
  );
}
