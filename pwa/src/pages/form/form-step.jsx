// One page of a form: a question or a small group, saved to the device on every change.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { pageTitle } from "../../components/answer-summary.jsx";
import { Field } from "../../components/fields.jsx";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { SaveState } from "../../components/save-state.jsx";
import { session } from "../../lib/api.js";
import { isDirty, matchDefinitionVersion, rememberPage, saveAnswers, syncNow, unqueue } from "../../lib/drafts.js";
import { activeWarnings } from "../../lib/form/fees.js";
import { fieldName, problemText } from "../../lib/form/messages.js";
import { buildPages, inputId } from "../../lib/form/pages.js";
import { validatePage } from "../../lib/form/validate.js";
import { pick, t } from "../../lib/i18n.js";
import { Link, navigate, queryParam, useLocation } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { recordStepView } from "../../lib/step-views.js";
import { clearBackup, pendingBackup, writeBackup } from "../../lib/draft-backup.js";
import { useDraft } from "../../hooks/use-draft.js";

export function FormStepPage({ localId, pageKey }) {
  const draft = useDraft(localId);
  if (draft === undefined) return <Page title={t("app.loading")}><Loading /></Page>;
  if (draft === null) return <MissingDraft />;
  return <FormStep key={localId} draft={draft} pageKey={pageKey} />;
}

/** What the server said (last sync, refused submission) about fields on this page. */
function serverErrorsFor(draft, paths, touched) {
  // Issues of the last sync hold only while the answers are the ones synced.
  const reported = [...(draft.submitErrors || []), ...(!isDirty(draft) ? draft.serverIssues || [] : [])];
  const onPage = (field) => paths.find((path) => field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`));
  return reported.filter((error) => {
    const path = error.field && onPage(error.field);
    return path && !touched.has(path) && error.message;
  });
}

export function MissingDraft() {
  return (
    <Page title={t("form.missing_title")}>
      <p class="kern-body">{t("form.missing_text")}</p>
      <p>
        <Link class="kern-link" href="/antraege">{t("nav.applications")}</Link>
      </p>
    </Page>
  );
}

function FormStep({ draft, pageKey }) {
  const { search } = useLocation();
  const current = useSignal(session);
  // The answers being typed live here; the stored draft only feeds sync state. A copy
  // from an interrupted write (reload right after a keystroke) wins over the stored one.
  const [answers, setAnswers] = useState(() => pendingBackup(draft) || draft.answers);
  const [problems, setProblems] = useState(null);
  const [attempt, setAttempt] = useState(0);
  // Fields changed on this visit: what the server said about them earlier is out of date.
  const [touched, setTouched] = useState(() => new Set());
  const pending = useRef(Promise.resolve());
  const definition = draft.definition;
  const pages = useMemo(() => buildPages(definition, answers), [definition, answers]);
  const returnToCheck = queryParam(search, "zurueck") === "pruefen";
  const index = pages.findIndex((page) => page.key === pageKey);
  const page = pages[index];

  useEffect(() => {
    if (draft.conflict) navigate(`/antrag/${draft.localId}/abgleich`, { replace: true });
    else if (draft.state === "submitted") navigate(`/antrag/${draft.localId}/gesendet`, { replace: true });
    else if (!page && pages.length) {
      // Where the citizen stopped, else the first page that still needs answers.
      const resume =
        pages.find((p) => p.key === draft.lastPage) || pages.find((p) => validatePage(definition, p, answers).length) || pages[0];
      navigate(`/antrag/${draft.localId}/${resume.key}`, { replace: true });
    }
  }, [draft.conflict, draft.state, page, pages.length]);
  useEffect(() => {
    matchDefinitionVersion(draft);
  }, [draft.serviceVersion]);
  useEffect(() => {
    if (answers !== draft.answers) pending.current = saveAnswers(draft.localId, answers).then(() => clearBackup(draft.localId));
  }, []);
  useEffect(() => {
    if (page) rememberPage(draft.localId, page.key);
    // For the statistics' funnel: anonymous, per step (not per page of a long step).
    if (page) recordStepView(draft, page.step.id).catch(() => {});
    setTouched(new Set());
    // Sent back from the check page to fix something: show this page's problems at once,
    // next to their fields, not only after the next "continue".
    setProblems(page && returnToCheck ? validatePage(definition, page, answers) : null);
  }, [pageKey, !page]);

  if (!page) return <Page title={t("app.loading")}><Loading /></Page>;

  const change = (next) => {
    setAnswers(next);
    // Saved in order, each write at once: a reload a moment later still has every letter.
    const at = writeBackup(draft.localId, next);
    pending.current = pending.current.then(() => saveAnswers(draft.localId, next)).then(() => clearBackup(draft.localId, at));
    if (problems) setProblems(validatePage(definition, page, next));
  };
  const repeat = page.repeat;
  const items = repeat ? answers[repeat.field.id] || [] : [];
  const itemValue = repeat ? items[repeat.index] || {} : null;
  const setField = (field, value) => {
    setTouched((before) => new Set(before).add(pathOf(field)));
    if (!repeat) return change({ ...answers, [field.id]: value });
    const nextItems = items.length ? [...items] : [{}];
    nextItems[repeat.index] = { ...(nextItems[repeat.index] || {}), [field.id]: value };
    return change({ ...answers, [repeat.field.id]: nextItems });
  };
  const pathOf = (field) => (repeat ? `${repeat.field.id}[${repeat.index}].${field.id}` : field.id);
  const errorsByPath = {};
  for (const problem of problems || []) errorsByPath[problem.path] ??= problemText(problem);
  const fromServer = serverErrorsFor(draft, page.visibleFields.map(pathOf), touched);
  for (const error of fromServer) errorsByPath[error.field] ??= error.message;
  const warnings = activeWarnings(definition, answers).filter(({ path }) => page.visibleFields.some((f) => pathOf(f) === path));

  const next = async (event) => {
    event.preventDefault();
    const found = validatePage(definition, page, answers);
    setProblems(found);
    setAttempt(attempt + 1);
    if (found.length) return;
    await pending.current;
    const following = pages[index + 1];
    navigate(!following || returnToCheck ? `/antrag/${draft.localId}/pruefen` : `/antrag/${draft.localId}/${following.key}`);
  };
  const addItem = async () => {
    const found = validatePage(definition, page, answers);
    setProblems(found);
    setAttempt(attempt + 1);
    if (found.length) return;
    const nextItems = [...(items.length ? items : [{}]), {}];
    change({ ...answers, [repeat.field.id]: nextItems });
    await pending.current;
    navigate(`/antrag/${draft.localId}/${repeat.field.id}-${nextItems.length}`);
  };
  const removeItem = async () => {
    const label = pageTitle(page);
    if (!window.confirm(t("form.remove_item_confirm", { item: label }))) return;
    const nextItems = items.filter((_, i) => i !== repeat.index);
    change({ ...answers, [repeat.field.id]: nextItems });
    await pending.current;
    const stay = nextItems.length ? Math.max(1, Math.min(repeat.index, nextItems.length)) : 0;
    navigate(`/antrag/${draft.localId}/${repeat.field.id}-${stay}`, { replace: true });
  };
  const ensureServerDraft = async () => {
    await pending.current;
    const synced = await syncNow(draft.localId);
    if (!synced?.serverId) throw Object.assign(new Error("offline"), { code: "network" });
    return synced.serverId;
  };

  const title = pageTitle(page);
  const caption = repeat ? pick(page.step.title) : page.part ? t("form.part", { part: page.part, parts: page.parts }) : null;
  const summary = [
    ...(problems || []).map((problem) => ({
      field: inputId(problem.path),
      message: `${fieldName(problem.field, problem.item, repeat?.field, problem.path)}: ${problemText(problem)}`,
    })),
    ...fromServer.map((error) => {
      const field = page.visibleFields.find((f) => error.field === pathOf(f) || error.field.startsWith(`${pathOf(f)}.`));
      return { field: inputId(error.field), message: `${fieldName(field, null, repeat?.field, error.field)}: ${error.message}` };
    }),
  ];
  const previous = pages[index - 1];
  const canRemove = repeat && repeat.index >= 0 && items.length > (repeat.field.min_items ?? 0);
  const canAdd = repeat && (!repeat.field.max_items || items.length < repeat.field.max_items) && repeat.index === Math.max(items.length, 1) - 1;

  return (
    <Page title={title} titleSource={repeat ? undefined : page.step.title} caption={caption}>
      <p class="kern-body form-progress">
        {pick(draft.title)} · {t("form.progress", { n: index + 1, total: pages.length })}
      </p>
      {previous ? (
        <Link class="kern-link back-link" href={`/antrag/${draft.localId}/${previous.key}`}>
          {t("form.back")}
        </Link>
      ) : (
        <Link class="kern-link back-link" href={`/leistungen/${draft.serviceId}`}>
          {t("form.back")}
        </Link>
      )}
      {draft.state === "queued" && (
        <Alert kind="info" title={t("sent.queued_title")}>
          <p class="kern-body">{t("form.queued_edit")}</p>
          <Button variant="secondary" onClick={() => unqueue(draft.localId)}>
            {t("form.queued_unqueue")}
          </Button>
        </Alert>
      )}
      <ErrorSummary errors={summary} focusToken={attempt} focusOnShow={attempt > 0 || !window.location.hash} />
      {warnings.map(({ warning, path }) => (
        <Alert key={path} kind="warning" title={t("form.warning_title")}>
          <p class="kern-body">{problemText({ code: `warning.${warning.id}`, params: warning.params, message: warning.message })}</p>
        </Alert>
      ))}
      <form onSubmit={next} novalidate class="kern-stack" data-page={page.key}>
        {repeat && repeat.index < 0 && <p class="kern-body">{t("form.no_items")}</p>}
        {page.visibleFields.map((field) => (
          <Field
            key={pathOf(field)}
            field={field}
            path={pathOf(field)}
            id={inputId(pathOf(field))}
            value={repeat ? itemValue[field.id] : answers[field.id]}
            errors={errorsByPath}
            onChange={(value) => setField(field, value)}
            context={{ ensureServerDraft }}
          />
        ))}
        {(canAdd || canRemove || (repeat && repeat.index < 0)) && (
          <div class="kern-btn-wrapper repeat-actions">
            {(canAdd || (repeat && repeat.index < 0)) && (
              <Button variant="secondary" onClick={addItem}>
                {t("form.add_item", { item: pick(repeat.field.item_label || repeat.field.label).replace("{n}", Math.max(items.length, repeat.index + 1) + 1) })}
              </Button>
            )}
            {canRemove && (
              <Button variant="tertiary" onClick={removeItem}>
                {t("form.remove_item", { item: title })}
              </Button>
            )}
          </div>
        )}
        <div class="kern-btn-wrapper">
          <Button type="submit">{returnToCheck ? t("form.back_to_check") : t("form.continue")}</Button>
        </div>
      </form>
      <SaveState draft={draft} signedIn={current.authenticated} />
    </Page>
  );
}
