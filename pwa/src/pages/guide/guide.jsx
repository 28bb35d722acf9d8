// A service's click-by-click guide ("So beantragen Sie …"), generated from its definition:
// what to have at hand, every step of the form in the form's own fields filled with the
// definition's example answers (read-only), the fee for them, what happens after sending,
// how long it usually takes, and the start button. It reads the definition the service
// worker keeps for the form; the rest (examples resolved for today and the city, the fee
// for them, the typical duration) comes from /api/services/<id>/guide, kept the same way.
import { useEffect, useState } from "preact/hooks";
import { pageTitle } from "../../components/answer-summary.jsx";
import { FeeRules, FeeStatement, PaymentPolicy } from "../../components/fee-info.jsx";
import { Field } from "../../components/fields.jsx";
import { Button } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { Picked } from "../../components/picked.jsx";
import { LoadError } from "../../components/status.jsx";
import { LEAVING, useAction } from "../../hooks/use-action.js";
import { apiGet } from "../../lib/api.js";
import { loadDefinition } from "../../lib/catalogue.js";
import { buildPages, inputId } from "../../lib/form/pages.js";
import { pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { openNewDraft } from "../../lib/form/start.js";

const DEFAULT_TARGET_DAYS = 14;
const NO_ERRORS = {};
const ignore = () => {};

/** Every field of the definition, those of repeat groups included. */
function allFields(definition) {
  return definition.steps.flatMap((step) => step.fields.flatMap((field) => [field, ...(field.fields || [])]));
}

/** What to have at hand: derived from the definition, then the definition's own list. */
function beforeItems(definition) {
  const items = [];
  const fields = allFields(definition);
  if (definition.trust_level === "high") items.push(t("guide.before_eid"));
  if (definition.trust_level === "substantial") items.push(t("guide.before_substantial"));
  if (fields.some((field) => field.type === "iban")) items.push(t("guide.before_iban"));
  // An upload asked for only under a condition (a dangerous dog's permit) says so.
  const conditional = new Set();
  for (const step of definition.steps) {
    for (const field of step.fields) {
      for (const inner of [field, ...(field.fields || [])]) {
        if (step.visible_if || field.visible_if || inner.visible_if) conditional.add(inner.id);
      }
    }
  }
  for (const field of fields.filter((f) => f.type === "file")) {
    const key = conditional.has(field.id) ? "guide.before_file_if" : "guide.before_file";
    items.push(t(key, { document: pick(field.label) }));
  }
  const policy = definition.payment?.policy;
  if (definition.fees?.rules?.length && policy === "before_submission") items.push(t("guide.before_pay_online"));
  if (definition.fees?.rules?.length && policy === "after_decision") items.push(t("guide.before_pay_later"));
  return items;
}

function Before({ definition }) {
  const derived = beforeItems(definition);
  const own = definition.guide?.before || [];
  return (
    <section class="kern-stack" aria-labelledby="guide-before">
      <h2 class="kern-heading-medium" id="guide-before">{t("guide.before_heading")}</h2>
      {derived.length + own.length === 0 ? (
        <p class="kern-body">{t("guide.before_nothing")}</p>
      ) : (
        <ul class="kern-list kern-list--bullet">
          {derived.map((text) => (
            <li key={text}>{text}</li>
          ))}
          {own.map((text, index) => (
            <li key={`own-${index}`}>
              <Picked text={text} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The form's pages grouped by step, as the citizen goes through them. */
function stepsOf(pages) {
  const steps = [];
  for (const page of pages) {
    const last = steps[steps.length - 1];
    if (last && last.step.id === page.step.id) last.pages.push(page);
    else steps.push({ step: page.step, pages: [page] });
  }
  return steps;
}

function GuidePageFields({ page, examples }) {
  const repeat = page.repeat;
  const item = repeat ? (examples[repeat.field.id] || [])[repeat.index] || {} : null;
  const pathOf = (field) => (repeat ? `${repeat.field.id}[${repeat.index}].${field.id}` : field.id);
  return (
    <>
      {repeat && <h4 class="kern-heading-small">{pageTitle(page)}</h4>}
      {repeat && repeat.index < 0 && <p class="kern-body">{t("guide.no_items")}</p>}
      {page.visibleFields.map((field) => (
        <Field
          key={pathOf(field)}
          field={field}
          path={pathOf(field)}
          id={`guide-${inputId(pathOf(field))}`}
          value={repeat ? item[field.id] : examples[field.id]}
          errors={NO_ERRORS}
          onChange={ignore}
          context={{ preview: true }}
          example={t("guide.example")}
        />
      ))}
    </>
  );
}

function Steps({ definition, examples }) {
  const steps = stepsOf(buildPages(definition, examples));
  const notes = definition.guide?.steps || {};
  return (
    <section class="kern-stack" aria-labelledby="guide-steps">
      <h2 class="kern-heading-medium" id="guide-steps">{t("guide.steps_heading")}</h2>
      <p class="kern-body">{t("guide.steps_intro", { count: steps.length })}</p>
      <ol class="guide-steps">
        {steps.map(({ step, pages }, index) => (
          <li key={step.id} class="guide-step kern-stack" data-step={step.id}>
            <h3 class="kern-heading-small" id={`guide-step-${step.id}`}>
              {t("guide.step_title", { n: index + 1, total: steps.length })} <Picked text={step.title} />
            </h3>
            {step.description && (
              <p class="kern-body">
                <Picked text={step.description} block />
              </p>
            )}
            {notes[step.id] && (
              <p class="kern-body guide-note">
                <Picked text={notes[step.id]} block />
              </p>
            )}
            <figure class="guide-example" aria-labelledby={`guide-step-${step.id}-caption`}>
              <figcaption class="kern-body kern-body--small" id={`guide-step-${step.id}-caption`}>
                {t("guide.example_caption")}
              </figcaption>
              <div class="kern-stack">
                {pages.map((page) => (
                  <GuidePageFields key={page.key} page={page} examples={examples} />
                ))}
              </div>
            </figure>
          </li>
        ))}
      </ol>
    </section>
  );
}

function fieldLabels(definition, ids) {
  const byId = Object.fromEntries(allFields(definition).map((field) => [field.id, field]));
  return ids.map((id) => (byId[id] ? pick(byId[id].label) : id)).join(", ");
}

function Fee({ definition, guide }) {
  const hasFees = definition.fees?.rules?.length > 0;
  const fee = guide?.fee;
  let example = null;
  if (hasFees && fee && fee.total_cents !== null) {
    example = (
      <>
        <p class="kern-body">{t("guide.fee_example")}</p>
        <FeeStatement fees={fee} />
      </>
    );
  } else if (hasFees && fee) {
    example = <p class="kern-body">{t("guide.fee_depends", { fields: fieldLabels(definition, fee.depends_on) })}</p>;
  }
  return (
    <section class="kern-stack" aria-labelledby="guide-fee">
      <h2 class="kern-heading-medium" id="guide-fee">{t("guide.fee_heading")}</h2>
      <FeeRules definition={definition} />
      {example}
      <PaymentPolicy policy={definition.payment?.policy} />
    </section>
  );
}

/** The workflow's next steps in words: received, processed, decided, documents. */
function afterItems(definition) {
  const items = [];
  const documents = definition.documents || [];
  const receipt = documents.find((document) => document.kind === "receipt");
  items.push(receipt ? t("guide.after_receipt", { document: pick(receipt.title) }) : t("guide.after_received"));
  if (definition.payment?.policy === "before_submission" && definition.fees?.rules?.length) items.push(t("guide.after_pay_first"));
  if (definition.auto_decision?.enabled) items.push(t("guide.after_auto"));
  items.push(t("guide.after_processing"));
  const decisions = (definition.workflow?.statuses || []).filter((status) => status.decision);
  if (decisions.length) items.push(t("guide.after_decision", { outcomes: decisions.map((status) => pick(status.label)).join(" / ") }));
  for (const document of documents.filter((d) => d.kind !== "receipt")) {
    const where = document.channel === "post" ? "guide.after_document_post" : "guide.after_document_inbox";
    items.push(t(where, { document: pick(document.title) }));
  }
  if (definition.payment?.policy === "after_decision" && definition.fees?.rules?.length) items.push(t("guide.after_pay_later"));
  return items;
}

function After({ definition }) {
  return (
    <section class="kern-stack" aria-labelledby="guide-after">
      <h2 class="kern-heading-medium" id="guide-after">{t("guide.after_heading")}</h2>
      <ol class="kern-list kern-list--number">
        {afterItems(definition).map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ol>
      {definition.guide?.after && (
        <p class="kern-body">
          <Picked text={definition.guide.after} block />
        </p>
      )}
    </section>
  );
}

function Duration({ definition, guide }) {
  const duration = guide?.duration;
  const fromStatistics = duration?.source === "statistics";
  const days = duration?.days ?? definition.processing?.target_days ?? DEFAULT_TARGET_DAYS;
  return (
    <section class="kern-stack" aria-labelledby="guide-duration">
      <h2 class="kern-heading-medium" id="guide-duration">{t("guide.duration_heading")}</h2>
      <p class="kern-body" data-source={fromStatistics ? "statistics" : "target"}>
        {t(fromStatistics ? "guide.duration_statistics" : "guide.duration_target", { days: t("guide.days", { count: days }) })}
      </p>
    </section>
  );
}

export function GuidePage({ serviceId }) {
  const [definition, setDefinition] = useState(null);
  const [guide, setGuide] = useState(undefined);
  const [error, setError] = useState(null);
  const { busy, run } = useAction();
  useEffect(() => {
    setDefinition(null);
    setGuide(undefined);
    loadDefinition(serviceId).then(setDefinition, setError);
    // Offline without a copy the guide still shows the form and the derived parts.
    apiGet(`/api/services/${encodeURIComponent(serviceId)}/guide`).then(
      ({ data }) => setGuide(data),
      () => setGuide(null),
    );
  }, [serviceId]);
  if (error) return <Page title={t("service.unavailable")}><LoadError error={error} /></Page>;
  if (!definition || guide === undefined) return <Page title={t("app.loading")}><Loading /></Page>;
  // The examples belong to the version they were resolved for; another version's copy
  // (a cached answer from before a new version) is not shown with this form.
  const current = guide && guide.version === definition.version ? guide : null;
  const examples = current?.examples || {};
  const start = () =>
    run(async () => {
      await openNewDraft(definition);
      return LEAVING;
    });
  return (
    <Page title={t("guide.title", { service: pick(definition.title) })}>
      <p class="kern-body kern-body--large">{t("guide.intro")}</p>
      <p class="kern-body">
        <Link class="kern-link" href={`/leistungen/${serviceId}`}>
          {t("guide.back_to_service", { service: pick(definition.title) })}
        </Link>
      </p>
      <Before definition={definition} />
      <Steps definition={definition} examples={examples} />
      <Fee definition={definition} guide={current} />
      <After definition={definition} />
      <Duration definition={definition} guide={current} />
      <div class="kern-btn-wrapper">
        <Button onClick={start} disabled={busy}>
          {t("guide.start")}
        </Button>
      </div>
    </Page>
  );
}
