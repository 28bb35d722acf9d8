// A city survey: every question of the survey's steps on one page, rendered with the
// services' form components, checked on the device as a form page is, then sent once
// (per account or device); the thanks page after.
import { useMemo, useState } from "preact/hooks";
import { Field } from "../../components/fields.jsx";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { LEAVING, asThrown, useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { session } from "../../lib/api.js";
import { newId } from "../../lib/http.js";
import { fieldName, problemText } from "../../lib/form/messages.js";
import { buildPages, inputId } from "../../lib/form/pages.js";
import { validateAll } from "../../lib/form/validate.js";
import { formatDate, pick, t } from "../../lib/i18n.js";
import { Link, navigate } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { answerSurvey, isAnsweredHere } from "../../lib/surveys.js";
import "./catalogue.js";

// Today's calendar day on the device (YYYY-MM-DD), to tell "not yet open" from "ended".
function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

export function SurveyPage({ surveyId }) {
  const { data, error, loading } = useResource(`/api/surveys/${surveyId}`);
  if (loading) return <Page title={t("app.loading")}><Loading /></Page>;
  if (error || !data) {
    return (
      <Page title={t("surveys.not_found")}>
        {error?.status === 404 ? <p class="kern-body">{t("surveys.not_found")}</p> : <LoadError error={error} />}
        <Link class="kern-link" href="/">{t("surveys.to_start")}</Link>
      </Page>
    );
  }
  return <SurveyForm key={surveyId} detail={data} />;
}

function SurveyForm({ detail }) {
  const { survey, definition } = detail;
  const current = useSignal(session);
  const [answers, setAnswers] = useState({});
  const [problems, setProblems] = useState(null);
  const [attempt, setAttempt] = useState(0);
  // One key for every try of this page's answers: a retry after a lost answer is no
  // second answer.
  const [sendKey] = useState(newId);
  // A refusal keeps its code: "answered already" shows its own page.
  const { busy, error: failed, run } = useAction({ onError: asThrown });
  const pages = useMemo(() => buildPages(definition, answers), [definition, answers]);
  const title = pick(definition.title);
  const answered = detail.answered || (isAnsweredHere(survey.id) && survey.one_answer_per === "device");

  // Before its first day a survey says when it opens; after its last, that it ended.
  const notYet = survey.opens && !survey.open && (!survey.closes || survey.opens > today());
  if (!survey.open || failed?.code === "survey_not_open_yet" || failed?.code === "survey_closed") {
    const waiting = notYet || failed?.code === "survey_not_open_yet";
    return (
      <Page title={title} caption={t("surveys.caption")}>
        <Alert kind="info" title={t(waiting ? "surveys.not_open_title" : "surveys.closed_title")} live={false}>
          <p class="kern-body">{waiting ? t("surveys.not_open_text", { opens: formatDate(survey.opens) }) : t("surveys.closed_text")}</p>
        </Alert>
        <Link class="kern-link" href="/">{t("surveys.to_start")}</Link>
      </Page>
    );
  }
  const failure = failed?.code === "survey_answered" ? "survey_answered" : failed && !failed.fieldErrors?.length ? (failed.code === "network" ? t("surveys.offline") : failed.message) : null;
  const serverErrors = failed?.fieldErrors || [];
  if (answered || failure === "survey_answered") {
    return (
      <Page title={title} caption={t("surveys.caption")}>
        <Alert kind="info" title={t("surveys.answered_title")}>
          <p class="kern-body">{t("surveys.answered_text")}</p>
        </Alert>
        <Link class="kern-link" href="/">{t("surveys.to_start")}</Link>
      </Page>
    );
  }
  const needsAccount = !survey.anonymous && !current.authenticated;

  const errorsByPath = {};
  for (const problem of problems || []) errorsByPath[problem.path] ??= problemText(problem);
  for (const error of serverErrors) errorsByPath[error.field] ??= error.message;
  const fieldsById = Object.fromEntries(pages.flatMap((page) => page.visibleFields.map((field) => [field.id, field])));
  const summary = [
    ...(problems || []).map((problem) => ({
      field: inputId(problem.path),
      message: `${fieldName(problem.field, problem.item, null, problem.path)}: ${problemText(problem)}`,
    })),
    ...serverErrors.map((error) => ({
      field: inputId(error.field),
      message: fieldsById[error.field] ? `${fieldName(fieldsById[error.field], null, null, error.field)}: ${error.message}` : error.message,
    })),
  ];

  const send = async (event) => {
    event.preventDefault();
    const found = validateAll(definition, pages, answers);
    setProblems(found);
    setAttempt(attempt + 1);
    if (found.length) return;
    await run(async () => {
      await answerSurvey(survey.id, answers, sendKey);
      navigate(`/umfragen/${survey.id}/danke`);
      return LEAVING;
    });
  };

  return (
    <Page title={title} caption={t("surveys.caption")}>
      <p class="kern-body">{pick(definition.description)}</p>
      <p class="kern-body kern-body--small">{survey.anonymous ? t("surveys.anonymous_note") : t("surveys.account_note")}</p>
      {needsAccount ? (
        <Link class="kern-btn kern-btn--primary" href={`/anmelden?weiter=${encodeURIComponent(`/umfragen/${survey.id}`)}`}>
          <span class="kern-label">{t("surveys.sign_in")}</span>
        </Link>
      ) : (
        <>
          <ErrorSummary errors={summary} focusToken={attempt} />
          {failure && failure !== "survey_answered" && <Alert kind="danger" title={failure} />}
          <form onSubmit={send} novalidate class="kern-stack">
            {pages
              .filter((page) => !page.repeat)
              .map((page) => (
                <section key={page.key} class="kern-stack" aria-labelledby={pages.length > 1 ? `survey-step-${page.key}` : undefined}>
                  {pages.length > 1 && (
                    <h2 class="kern-heading-medium" id={`survey-step-${page.key}`}>
                      {pick(page.step.title)}
                    </h2>
                  )}
                  {page.visibleFields.map((field) => (
                    <Field
                      key={field.id}
                      field={field}
                      path={field.id}
                      id={inputId(field.id)}
                      value={answers[field.id]}
                      errors={errorsByPath}
                      onChange={(value) => setAnswers((before) => ({ ...before, [field.id]: value }))}
                      context={{}}
                    />
                  ))}
                </section>
              ))}
            <div class="kern-btn-wrapper">
              <Button type="submit" disabled={busy}>{busy ? t("surveys.sending") : t("surveys.send")}</Button>
            </div>
          </form>
        </>
      )}
    </Page>
  );
}

export function SurveyThanksPage() {
  return (
    <Page title={t("surveys.thanks_title")} caption={t("surveys.caption")}>
      <div class="kern-alert kern-alert--success" role="status">
        <div class="kern-alert__header">
          <span class="kern-icon kern-icon--success" aria-hidden="true" />
          <span class="kern-title">{t("surveys.thanks_text")}</span>
        </div>
      </div>
      <Link class="kern-link" href="/">{t("surveys.to_start")}</Link>
    </Page>
  );
}
