// The form as a citizen sees it on a phone, beside the editor: the citizen's own field
// components and page logic, fillable, page by page or all pages at once, with the fee
// statement. Answers live only here (nothing is stored on the device or sent), and a
// definition still being written never breaks it: what cannot be shown yet says so.
import { useEffect, useErrorBoundary, useMemo, useState } from "preact/hooks";
import { pageTitle } from "../../../components/answer-summary.jsx";
import { FeeStatement, PaymentPolicy } from "../../../components/fee-info.jsx";
import { Field } from "../../../components/fields.jsx";
import { Alert, ErrorSummary } from "../../../components/forms.jsx";
import { activeWarnings, computeFees } from "../../../lib/form/fees.js";
import { fieldName, problemText } from "../../../lib/form/messages.js";
import { buildPages, inputId } from "../../../lib/form/pages.js";
import { RENDERER_BY_TYPE } from "../../../lib/form/renderers.js";
import { validatePage } from "../../../lib/form/validate.js";
import { t } from "../../../lib/i18n.js";
import appDe from "../../../locales/de.json";
import appEn from "../../../locales/en.json";
import consoleDe from "../locales/de.json";
import consoleEn from "../locales/en.json";
import "./steps.css";

const CHECK_PAGE = "__check";
const DATE_BOUND = /^(today|[+-][0-9]{1,5}(d|wd|w|m|y)|[0-9]{4}-[0-9]{2}-[0-9]{2})$/;
const CATALOGUES = { de: { ...appDe, ...consoleDe }, en: { ...appEn, ...consoleEn } };
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** A text of the preview's own frame in the preview's language (not the console's). */
export function previewText(lang, key, params = {}) {
  const text = CATALOGUES[lang]?.[key] ?? CATALOGUES.de[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** The definition with every {de, en} text replaced by the text in ``lang``. */
export function localize(value, lang) {
  if (Array.isArray(value)) return value.map((item) => localize(item, lang));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length && keys.every((key) => key === "de" || key === "en") && keys.every((key) => typeof value[key] === "string")) {
    return value[lang] || value.de || value.en || "";
  }
  const out = {};
  for (const key of keys) out[key] = localize(value[key], lang);
  return out;
}

/** Whether a condition has the shape the form's logic reads (else it would throw). */
export function conditionReadable(condition) {
  if (condition === undefined) return true;
  if (!isObject(condition)) return false;
  for (const key of ["all", "any"]) {
    if (key in condition) return Array.isArray(condition[key]) && condition[key].every(conditionReadable);
  }
  if ("not" in condition) return conditionReadable(condition.not) && condition.not !== undefined;
  if (typeof condition.field !== "string" || !condition.field) return false;
  if ("in" in condition) return Array.isArray(condition.in);
  for (const key of ["before", "after"]) if (key in condition) return typeof condition[key] === "string" && DATE_BOUND.test(condition[key]);
  return Object.keys(condition).length === 2;
}

function patternCompiles(pattern) {
  if (pattern === undefined) return true;
  try {
    new RegExp(`^(?:${pattern})$`, "u");
    return true;
  } catch {
    return false;
  }
}

/** Whether the citizen's components can show ``field`` as it is written so far. */
export function fieldReady(field, inRepeat = false) {
  if (!isObject(field) || typeof field.id !== "string" || !field.id) return false;
  if (!Object.hasOwn(RENDERER_BY_TYPE, field.type)) return false;
  if (!conditionReadable(field.visible_if)) return false;
  if (!patternCompiles(field.pattern)) return false;
  for (const bound of ["min_date", "max_date"]) if (field[bound] !== undefined && !(typeof field[bound] === "string" && DATE_BOUND.test(field[bound]))) return false;
  if (field.type === "select" || field.type === "radio") {
    if (!Array.isArray(field.options) || !field.options.length) return false;
    if (!field.options.every((option) => isObject(option) && typeof option.value === "string" && option.value)) return false;
  }
  if (field.accept !== undefined && !Array.isArray(field.accept)) return false;
  if (field.countries !== undefined && !Array.isArray(field.countries)) return false;
  if (field.type === "repeat") {
    if (inRepeat || !Array.isArray(field.fields) || !field.fields.length) return false;
    if (!field.fields.every((inner) => fieldReady(inner, true))) return false;
  }
  return true;
}

/**
 * What the preview can show of ``definition`` in ``lang``: fields it cannot show yet
 * become a placeholder (the page says it is incomplete), steps whose condition cannot
 * be read are left out and counted.
 */
export function previewDefinition(definition, lang) {
  const localized = localize(isObject(definition) ? definition : {}, lang);
  let placeholders = 0;
  let skipped = 0;
  const steps = [];
  (Array.isArray(localized.steps) ? localized.steps : []).forEach((step, index) => {
    if (!isObject(step) || !conditionReadable(step.visible_if)) {
      skipped += 1;
      return;
    }
    const fields = (Array.isArray(step.fields) ? step.fields : []).map((field) => {
      if (fieldReady(field)) return field;
      placeholders += 1;
      return { id: `__incomplete_${placeholders}`, type: "__incomplete", incomplete: true };
    });
    if (!fields.length) {
      skipped += 1;
      return;
    }
    steps.push({ ...step, id: typeof step.id === "string" && step.id ? step.id : `__step_${index}`, title: typeof step.title === "string" ? step.title : "", fields });
  });
  const fees = isObject(localized.fees) && Array.isArray(localized.fees.rules) ? localized.fees : undefined;
  return { definition: { ...localized, steps, fees, warnings: Array.isArray(localized.warnings) ? localized.warnings : [] }, placeholders, skipped };
}

function safely(compute, fallback) {
  try {
    return compute();
  } catch {
    return fallback;
  }
}

// Uploads need a real application; in the preview the file input says so instead.
const PREVIEW_CONTEXT = {
  preview: true,
  ensureServerDraft: async () => {
    throw new Error(t("console.builder.preview.no_upload"));
  },
};

function Incomplete({ lang }) {
  return (
    <Alert kind="warning" title={previewText(lang, "console.builder.preview.incomplete")} live={false}>
      <p class="kern-body">{previewText(lang, "console.builder.preview.incomplete_text")}</p>
    </Alert>
  );
}

/** Catches what a half-written field still breaks while rendering. */
function Guard({ lang, watch, children }) {
  const [error, reset] = useErrorBoundary();
  useEffect(() => {
    if (error) reset();
  }, [watch]);
  if (error) return <Incomplete lang={lang} />;
  return children;
}

/** One page's fields, warnings and repeat-item buttons, as the citizen's form shows them. */
function PreviewPage({ page, definition, answers, setAnswers, errors, lang, Heading }) {
  const repeat = page.repeat;
  const items = repeat ? (Array.isArray(answers[repeat.field.id]) ? answers[repeat.field.id] : []) : [];
  const itemValue = repeat ? items[repeat.index] || {} : null;
  const pathOf = (field) => (repeat ? `${repeat.field.id}[${repeat.index}].${field.id}` : field.id);
  const setField = (field, value) => {
    if (!repeat) return setAnswers({ ...answers, [field.id]: value });
    const nextItems = items.length ? [...items] : [{}];
    nextItems[repeat.index] = { ...(nextItems[repeat.index] || {}), [field.id]: value };
    return setAnswers({ ...answers, [repeat.field.id]: nextItems });
  };
  const warnings = safely(() => activeWarnings(definition, answers), []).filter(({ path }) => page.visibleFields.some((field) => pathOf(field) === path));
  const caption = repeat ? page.step.title : page.part ? previewText(lang, "form.part", { part: page.part, parts: page.parts }) : null;
  const itemLabel = repeat ? repeat.field.item_label || repeat.field.label || "" : "";
  const canAdd = repeat && (!repeat.field.max_items || items.length < repeat.field.max_items) && repeat.index === Math.max(items.length, 1) - 1;
  const canRemove = repeat && repeat.index >= 0 && items.length > (repeat.field.min_items ?? 0);
  return (
    <div class="builder-preview__page">
      {caption && <p class="kern-preline builder-preview__caption">{caption}</p>}
      <Heading class="kern-heading-medium builder-preview__title">{pageTitle(page) || previewText(lang, "console.builder.preview.untitled")}</Heading>
      {warnings.map(({ warning, path }) => (
        <Alert key={path} kind="warning" title={previewText(lang, "form.warning_title")} live={false}>
          <p class="kern-body">{problemText({ code: `warning.${warning.id}`, params: warning.params, message: warning.message })}</p>
        </Alert>
      ))}
      {repeat && repeat.index < 0 && <p class="kern-body">{previewText(lang, "form.no_items")}</p>}
      <Guard lang={lang} watch={page.visibleFields}>
        <div class="kern-stack">
          {page.visibleFields.map((field) =>
            field.incomplete ? (
              <Incomplete key={field.id} lang={lang} />
            ) : (
              <Field
                key={pathOf(field)}
                field={field}
                path={pathOf(field)}
                id={`pv-${inputId(pathOf(field))}`}
                value={repeat ? itemValue[field.id] : answers[field.id]}
                errors={errors}
                onChange={(value) => setField(field, value)}
                context={PREVIEW_CONTEXT}
              />
            ),
          )}
        </div>
      </Guard>
      {(canAdd || canRemove || (repeat && repeat.index < 0)) && (
        <div class="kern-btn-wrapper">
          {(canAdd || repeat.index < 0) && (
            <button
              type="button"
              class="kern-btn kern-btn--secondary"
              onClick={() => setAnswers({ ...answers, [repeat.field.id]: [...(items.length ? items : [{}]), {}] })}
            >
              <span class="kern-label">{previewText(lang, "form.add_item", { item: itemLabel.replace("{n}", Math.max(items.length, repeat.index + 1) + 1) })}</span>
            </button>
          )}
          {canRemove && (
            <button type="button" class="kern-btn kern-btn--tertiary" onClick={() => setAnswers({ ...answers, [repeat.field.id]: items.filter((_, at) => at !== repeat.index) })}>
              <span class="kern-label">{previewText(lang, "form.remove_item", { item: pageTitle(page) })}</span>
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function Fees({ definition, answers, lang }) {
  if (!definition.fees) return <p class="kern-body">{previewText(lang, "console.builder.preview.no_fees")}</p>;
  const fees = safely(() => computeFees(definition, answers), null);
  if (!fees) return <Incomplete lang={lang} />;
  return (
    <>
      <FeeStatement fees={fees} note={definition.fees.note} />
      <PaymentPolicy policy={definition.payment?.policy} />
    </>
  );
}

/**
 * The phone preview (the editor page gives it its place and heading).
 *
 * @param {object} props
 * @param {object} props.definition the definition being edited (possibly incomplete)
 * @param {object} [props.answers] the answers typed so far (kept by the editor page)
 * @param {(answers: object) => void} [props.onAnswers]
 * @param {string} [props.lang] the preview's first language ("de" or "en")
 */
export function PhonePreview({ definition, answers: given, onAnswers, lang = "de" }) {
  const [own, setOwn] = useState({});
  const answers = isObject(given) ? given : own;
  const setAnswers = (next) => (onAnswers ? onAnswers(next) : setOwn(next));
  const [language, setLanguage] = useState(lang === "en" ? "en" : "de");
  useEffect(() => setLanguage(lang === "en" ? "en" : "de"), [lang]);
  const [stacked, setStacked] = useState(false);
  const [pageKey, setPageKey] = useState(null);
  const [problems, setProblems] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const prepared = useMemo(() => previewDefinition(definition, language), [definition, language]);
  const shown = prepared.definition;
  const pages = useMemo(() => safely(() => buildPages(shown, answers), null), [shown, answers]);

  const onCheck = pageKey === CHECK_PAGE;
  const found = pages ? pages.findIndex((page) => page.key === pageKey) : -1;
  const index = onCheck ? (pages ? pages.length : 0) : Math.max(found, 0);
  const page = pages && !onCheck ? pages[index] : null;
  const errors = {};
  for (const problem of problems || []) errors[problem.path] ??= problemText(problem);
  const change = (next) => {
    setAnswers(next);
    if (problems && page) setProblems(safely(() => validatePage(shown, page, next), []));
  };
  const go = (key) => {
    setProblems(null);
    setPageKey(key);
  };
  const next = (event) => {
    event.preventDefault();
    const now = safely(() => validatePage(shown, page, answers), []);
    setProblems(now);
    setAttempt(attempt + 1);
    if (now.length) return;
    go(pages[index + 1] ? pages[index + 1].key : CHECK_PAGE);
  };
  const back = () => go(onCheck ? pages[pages.length - 1]?.key ?? null : pages[index - 1]?.key ?? null);
  const summary = (problems || []).map((problem) => ({
    field: `pv-${inputId(problem.path)}`,
    message: `${fieldName(problem.field, problem.item, page?.repeat?.field, problem.path)}: ${problemText(problem)}`,
  }));
  const total = pages ? pages.length : 0;

  return (
    <div class="builder-phone-preview">
      <p class="kern-body">{t("console.builder.preview.intro")}</p>
      <div class="builder-preview__settings">
        <div class="kern-form-input">
          <label class="kern-label" for="builder-preview-lang">
            {t("console.builder.preview.language")}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="builder-preview-lang" value={language} onChange={(event) => setLanguage(event.currentTarget.value)}>
              <option value="de">{t("console.builder.language_de")}</option>
              <option value="en">{t("console.builder.language_en")}</option>
            </select>
          </div>
        </div>
        <div class="kern-form-check">
          <input class="kern-form-check__checkbox" type="checkbox" id="builder-preview-stacked" checked={stacked} onChange={(event) => setStacked(event.currentTarget.checked)} />
          <label class="kern-label" for="builder-preview-stacked">
            {t("console.builder.preview.stacked")}
          </label>
        </div>
        <button
          type="button"
          class="kern-btn kern-btn--tertiary"
          onClick={() => {
            setAnswers({});
            go(null);
          }}
        >
          <span class="kern-label">{t("console.builder.preview.reset")}</span>
        </button>
      </div>
      <div class="builder-phone" role="region" aria-label={t("console.builder.preview.phone")} tabIndex={0} lang={language}>
        <div class="builder-phone__screen">
          <Guard lang={language} watch={shown}>
            <p class="kern-body kern-body--bold builder-phone__service">{typeof shown.title === "string" ? shown.title : ""}</p>
            {(prepared.placeholders > 0 || prepared.skipped > 0 || !pages) && <Incomplete lang={language} />}
            {pages && total === 0 && <p class="kern-body">{previewText(language, "console.builder.preview.empty")}</p>}
            {pages && stacked && (
              <>
                {pages.map((item) => (
                  <PreviewPage key={item.key} page={item} definition={shown} answers={answers} setAnswers={change} errors={errors} lang={language} Heading="h3" />
                ))}
                <h3 class="kern-heading-medium">{previewText(language, "console.builder.preview.fees")}</h3>
                <Fees definition={shown} answers={answers} lang={language} />
              </>
            )}
            {pages && !stacked && total > 0 && (
              <>
                <p class="kern-body builder-preview__progress">
                  {onCheck ? previewText(language, "console.builder.preview.check") : previewText(language, "form.progress", { n: index + 1, total })}
                </p>
                {(index > 0 || onCheck) && (
                  <button type="button" class="kern-btn kern-btn--tertiary builder-preview__back" onClick={back}>
                    <span class="kern-label">{previewText(language, "form.back")}</span>
                  </button>
                )}
                {page && (
                  <form onSubmit={next} novalidate class="kern-stack">
                    <ErrorSummary errors={summary} focusToken={attempt} focusOnShow={attempt > 0} />
                    <PreviewPage page={page} definition={shown} answers={answers} setAnswers={change} errors={errors} lang={language} Heading="h3" />
                    <div class="kern-btn-wrapper">
                      <button type="submit" class="kern-btn kern-btn--primary">
                        <span class="kern-label">{previewText(language, "form.continue")}</span>
                      </button>
                    </div>
                  </form>
                )}
                {onCheck && (
                  <div class="kern-stack">
                    <h3 class="kern-heading-medium">{previewText(language, "console.builder.preview.fees")}</h3>
                    <Fees definition={shown} answers={answers} lang={language} />
                    <p class="kern-body">{previewText(language, "console.builder.preview.no_submit")}</p>
                  </div>
                )}
              </>
            )}
          </Guard>
        </div>
      </div>
    </div>
  );
}
