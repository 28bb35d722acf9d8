// The fee preview beside the fee rules: the citizen's fee statement for the answers in
// the phone preview, and a small table of example cases (answers for the field the
// rules count) with their totals, all computed again on every change.
import { useState } from "preact/hooks";
import { FeeStatement } from "../../../components/fee-info.jsx";
import { Button } from "../../../components/forms.jsx";
import { formatMoney, t } from "../../../lib/i18n.js";
import { computeFees } from "../../../lib/form/fees.js";
import { countableFields } from "./fee-rule.jsx";
import { CellInput, RemoveInRow, Select, fieldName, wholeNumber } from "./sections-shared.jsx";

/** The fees for ``answers``, or null while the rules cannot be computed yet. */
function feesFor(definition, answers) {
  try {
    return computeFees(definition, answers || {});
  } catch {
    // A rule being written (a tier without a price, a field not chosen yet).
    return null;
  }
}

/** The answers with ``count`` for the counted field: a number, or that many items. */
function withCount(answers, field, count) {
  if (!field) return answers;
  if (field.type === "number") return { ...answers, [field.id]: count };
  const items = Array.isArray(answers[field.id]) ? answers[field.id] : [];
  return { ...answers, [field.id]: Array.from({ length: count }, (_, index) => items[index] || {}) };
}

/** The field the examples count first: the first rule's, else any countable field. */
function defaultField(definition, countable) {
  const counted = (definition.fees?.rules || []).map((rule) => rule.over).find((id) => countable.some(({ field }) => field.id === id));
  return counted || countable[0]?.field.id || "";
}

let nextCase = 1;
const exampleCase = (count) => ({ key: nextCase++, name: "", count });

export function FeePreview({ definition, previewAnswers, readOnly = false }) {
  const countable = countableFields(definition);
  const [fieldId, setFieldId] = useState(null);
  const [cases, setCases] = useState(() => [exampleCase(1), exampleCase(3), exampleCase(6)]);
  const chosen = countable.some(({ field }) => field.id === fieldId) ? fieldId : defaultField(definition, countable);
  const field = countable.find((item) => item.field.id === chosen)?.field;
  const answers = previewAnswers || {};
  const current = feesFor(definition, answers);
  const setCase = (key, change) => setCases(cases.map((item) => (item.key === key ? { ...item, ...change } : item)));
  return (
    <section class="sec-preview kern-stack" aria-labelledby="sec-fee-preview-title">
      <h3 class="kern-heading-small" id="sec-fee-preview-title">
        {t("console.builder.fees.preview_title")}
      </h3>
      <p class="kern-body">{t("console.builder.fees.preview_intro")}</p>
      {current ? <FeeStatement fees={current} note={definition.fees?.note} /> : <p class="kern-body">{t("console.builder.fees.preview_incomplete")}</p>}
      <p class="visually-hidden" role="status" aria-live="polite">
        {current ? t("console.builder.fees.preview_total", { total: formatMoney(current.total_cents) }) : ""}
      </p>
      {/* Examples are worked out while editing; a frozen version shows its statement only. */}
      {!readOnly && (
        <>
        <h3 class="kern-heading-small">{t("console.builder.fees.examples_title")}</h3>
        {countable.length ? (
          <>
            <Select
              id="sec-fee-examples-field"
              label={t("console.builder.fees.examples_field")}
              hint={t("console.builder.fees.examples_field_hint")}
              value={chosen}
              choices={countable.map(({ field: item }) => [item.id, `${fieldName(item)} (${item.id})`])}
              onChange={setFieldId}
            />
            <div class="kern-table-responsive sec-table" tabIndex={0} role="region" aria-label={t("console.builder.fees.examples_caption")}>
              <table class="kern-table kern-table--small">
                <caption class="visually-hidden">{t("console.builder.fees.examples_caption")}</caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th class="kern-table__header" scope="col">{t("console.builder.fees.example_name")}</th>
                    <th class="kern-table__header" scope="col">{t("console.builder.fees.example_count", { field: fieldName(field) })}</th>
                    <th class="kern-table__header kern-table__header--numeric" scope="col">{t("console.builder.fees.example_total")}</th>
                    <th class="kern-table__header" scope="col">{t("console.builder.sections.actions")}</th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {cases.map((item, index) => {
                    const fees = feesFor(definition, withCount(answers, field, item.count || 0));
                    const name = item.name || t("console.builder.fees.example_default", { number: index + 1 });
                    return (
                      <tr class="kern-table__row" key={item.key}>
                        <td class="kern-table__cell">
                          <CellInput id={`sec-example-${item.key}-name`} label={t("console.builder.fees.example_name_of", { number: index + 1 })} value={item.name} placeholder={name} onInput={(text) => setCase(item.key, { name: text })} />
                        </td>
                        <td class="kern-table__cell">
                          <CellInput
                            id={`sec-example-${item.key}-count`}
                            label={t("console.builder.fees.example_count_of", { name, field: fieldName(field) })}
                            value={item.count ?? ""}
                            inputMode="numeric"
                            onInput={(text) => {
                              const count = wholeNumber(text);
                              setCase(item.key, { count: typeof count === "number" ? Math.min(count, 500) : undefined });
                            }}
                          />
                        </td>
                        <td class="kern-table__cell kern-table__cell--numeric" data-example-total>
                          {fees ? formatMoney(fees.total_cents) : "–"}
                        </td>
                        <td class="kern-table__cell">
                          <RemoveInRow name={name} onClick={() => setCases(cases.filter((other) => other.key !== item.key))} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <div>
              <Button variant="secondary" onClick={() => setCases([...cases, exampleCase((cases[cases.length - 1]?.count || 0) + 1)])}>
                {t("console.builder.fees.example_add")}
              </Button>
            </div>
          </>
        ) : (
          <p class="kern-body">{t("console.builder.fees.examples_no_field")}</p>
        )}
        </>
      )}
    </section>
  );
}
