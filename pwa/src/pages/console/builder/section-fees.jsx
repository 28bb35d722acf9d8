// The builder's fees: the period, a note, the fee rules (add, remove, reorder), how the
// fee is paid, and beside them a preview that computes the fee again on every change.
import { Button } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { FeePreview } from "./fee-preview.jsx";
import { FeeRule, countableFields } from "./fee-rule.jsx";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, move, setIn } from "./paths.js";
import { PaymentEditor } from "./payment-editor.jsx";
import { useAnnouncer } from "./announcer.jsx";
import { ItemProblems, Select, SectionFrame, errorAt, freshId, partChoices } from "./sections-shared.jsx";

/** A new rule of ``kind`` with an id not used yet. */
function newRule(kind, definition) {
  const id = freshId("fee", (definition.fees?.rules || []).map((rule) => rule.id));
  const over = countableFields(definition)[0]?.field.id;
  if (kind === "per_item") return { id, kind, label: undefined, amount_cents: 0, over };
  if (kind === "tiered") {
    return { id, kind, over, mode: "graduated", tiers: [{ from: 1, to: 1, unit_cents: 0 }, { from: 2, unit_cents: 0 }] };
  }
  return { id, kind: "fixed", amount_cents: 0 };
}

export function FeesSection({ definition, onChange, problems, parts, languages, previewAnswers, readOnly }) {
  const [announcement, announce] = useAnnouncer();
  const fees = definition.fees;
  const rules = fees?.rules || [];
  const setFees = (keys, value) => onChange(setIn(definition, ["fees", ...keys], value));
  const add = (kind) => {
    const rule = newRule(kind, definition);
    const next = fees ? setIn(definition, ["fees", "rules"], [...rules, rule]) : setIn(definition, ["fees"], { period: "once", rules: [rule] });
    onChange(next);
    announce(t("console.builder.fees.added", { number: rules.length + 1 }));
  };
  const remove = (index) => {
    const name = pick(rules[index].label) || rules[index].id;
    // Without rules the service is free of charge: no empty fee block stays behind.
    onChange(rules.length === 1 ? setIn(definition, ["fees"], undefined) : setIn(definition, ["fees", "rules"], rules.filter((_, i) => i !== index)));
    announce(t(rules.length === 1 ? "console.builder.fees.removed_last" : "console.builder.fees.removed", { name }));
  };
  const reorder = (from, to) => {
    setFees(["rules"], move(rules, from, to));
    announce(t("console.builder.sections.moved", { name: pick(rules[from].label) || rules[from].id, position: to + 1, count: rules.length }));
  };
  return (
    <SectionFrame titleKey="console.builder.section.fees" introKey="console.builder.fees.intro" readOnly={readOnly}>
      {announcement}
      <div class="sec-fees">
        <div class="sec-split">
          <div class="sec-split__main kern-stack">
            {fees ? (
              <>
                <ItemProblems problems={problems} path="fees" />
                <Select
                  id={inputIdFor("fees.period")}
                  label={t("console.builder.fees.period")}
                  error={errorAt(problems, "fees.period")}
                  value={fees.period}
                  choices={partChoices(parts.fee_periods, "console.builder.value.fee_period", fees.period)}
                  onChange={(value) => setFees(["period"], value)}
                />
                <LocalizedInput path="fees.note" label={t("console.builder.fees.note")} hint={t("console.builder.fees.note_hint")} value={fees.note} languages={languages} problems={problems} multiline onChange={(value) => setFees(["note"], value)} />
                <ItemProblems problems={problems} path="fees.rules" />
                {rules.map((rule, index) => (
                  <FeeRule
                    key={index}
                    rule={rule}
                    index={index}
                    count={rules.length}
                    definition={definition}
                    parts={parts}
                    languages={languages}
                    problems={problems}
                    onChange={(next) => setFees(["rules", index], next)}
                    onMove={reorder}
                    onRemove={remove}
                  />
                ))}
              </>
            ) : (
              <p class="kern-body">{t("console.builder.fees.none")}</p>
            )}
            <div class="sec-actions">
              {(parts.fee_rule_kinds || ["fixed"]).map((kind) => (
                <Button variant="secondary" key={kind} onClick={() => add(kind)}>
                  {t(`console.builder.fees.add.${kind}`)}
                </Button>
              ))}
            </div>
          </div>
          <div class="sec-split__side">
            <FeePreview definition={definition} previewAnswers={previewAnswers} readOnly={readOnly} />
          </div>
        </div>
      </div>
      <PaymentEditor definition={definition} parts={parts} problems={problems} onChange={onChange} announce={announce} />
    </SectionFrame>
  );
}
