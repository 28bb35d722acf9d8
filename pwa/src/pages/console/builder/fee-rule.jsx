// One fee rule in the builder: its id, kind, label, amount in euros (stored as cents),
// the field it counts, its conditions (rule editor) and, for tiered rules, the tiers.
import { useEffect, useState } from "preact/hooks";
import { Button, TextField } from "../../../components/forms.jsx";
import { locale, pick, t } from "../../../lib/i18n.js";
import { ConditionEditor } from "./condition-editor.jsx";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, setIn } from "./paths.js";
import { ItemActions, ItemProblems, Select, errorAt, fieldName, formFields, itemScope, partChoices, wholeNumber } from "./sections-shared.jsx";

/** Cents as people type euros: 2500 → "25,00" (German) or "25.00" (English). */
export function formatEuros(cents) {
  if (typeof cents !== "number") return cents === undefined ? "" : String(cents);
  const text = (cents / 100).toFixed(2);
  return locale.get() === "en" ? text : text.replace(".", ",");
}

/** Euros as typed ("25", "25,00", "1.234,50", "25.5") → cents; null if it is no amount. */
export function parseEuros(text) {
  let value = String(text).replace(/[\s€]/g, "");
  if (!value) return undefined;
  if (value.includes(",")) value = value.replace(/\./g, "").replace(",", ".");
  else if (!/^\d+\.\d{1,2}$/.test(value)) value = value.replace(/\./g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return null;
  return Math.round(Number(value) * 100);
}

/** An amount in euros; the definition gets cents, and only once the text is an amount. */
export function EuroInput({ id, label, hint, cents, error, onChange }) {
  const [text, setText] = useState(formatEuros(cents));
  useEffect(() => {
    // Follow changes from elsewhere (undo, the texts table), not the typing itself.
    if (parseEuros(text) !== cents) setText(formatEuros(cents));
  }, [cents]);
  const parsed = parseEuros(text);
  const own = parsed === null ? t("console.builder.fees.amount_invalid") : undefined;
  return (
    <TextField
      id={id}
      label={label}
      hint={hint || t("console.builder.fees.amount_hint")}
      error={[own, error].filter(Boolean).join(" ") || undefined}
      value={text}
      inputMode="decimal"
      autocomplete="off"
      onInput={(value) => {
        setText(value);
        const next = parseEuros(value);
        if (next !== null) onChange(next);
      }}
    />
  );
}

/** Fields a rule can count: repeat groups (their items) and number fields (their value). */
export function countableFields(definition) {
  return formFields(definition).filter(({ field, group }) => !group && (field.type === "repeat" || field.type === "number"));
}

/** The rule with another kind: what the new kind also has is kept. */
function withKind(rule, kind, definition) {
  const over = rule.over ?? countableFields(definition)[0]?.field.id;
  const base = { id: rule.id, kind, label: rule.label, when: rule.when };
  if (kind === "fixed") return clean({ ...base, amount_cents: rule.amount_cents ?? 0 });
  if (kind === "per_item") return clean({ ...base, amount_cents: rule.amount_cents ?? 0, over, where: rule.where });
  const tiers = rule.tiers || [
    { from: 1, to: 1, unit_cents: rule.amount_cents ?? 0 },
    { from: 2, unit_cents: 0 },
  ];
  return clean({ ...base, over, mode: rule.mode || "graduated", tiers, where: rule.where, count_where: rule.count_where });
}

const clean = (object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));

function Tiers({ rule, path, problems, languages, onChange }) {
  const tiers = rule.tiers || [];
  const setTier = (index, key, value) => onChange(setIn(tiers, [index, key], value));
  const add = () => {
    const last = tiers[tiers.length - 1];
    const from = last ? (last.to ?? last.from) + 1 : 1;
    // The new tier is the open-ended last one: the one before it now ends where it began.
    const closed = last && last.to == null ? setIn(tiers, [tiers.length - 1, "to"], from - 1) : tiers;
    onChange([...closed, { from, unit_cents: 0 }]);
  };
  return (
    <fieldset class="sec-tiers">
      <legend class="kern-label">{t("console.builder.fees.tiers")}</legend>
      <p class="kern-hint">{t("console.builder.fees.tiers_hint")}</p>
      <ItemProblems problems={problems} path={`${path}.tiers`} />
      {tiers.map((tier, index) => {
        const here = `${path}.tiers[${index}]`;
        const name = t("console.builder.fees.tier_name", { number: index + 1 });
        return (
          <fieldset class="sec-item" key={index}>
            <legend class="kern-label">{name}</legend>
            <ItemProblems problems={problems} path={here} />
            <div class="sec-row">
              <TextField id={inputIdFor(`${here}.from`)} label={t("console.builder.fees.tier_from")} error={errorAt(problems, `${here}.from`)} value={tier.from ?? ""} inputMode="numeric" onInput={(text) => setTier(index, "from", wholeNumber(text))} />
              <TextField
                id={inputIdFor(`${here}.to`)}
                label={t("console.builder.fees.tier_to")}
                hint={t("console.builder.fees.tier_to_hint")}
                error={errorAt(problems, `${here}.to`)}
                value={tier.to ?? ""}
                inputMode="numeric"
                onInput={(text) => setTier(index, "to", wholeNumber(text))}
              />
              <EuroInput id={inputIdFor(`${here}.unit_cents`)} label={t("console.builder.fees.tier_price")} cents={tier.unit_cents} error={errorAt(problems, `${here}.unit_cents`)} onChange={(cents) => setTier(index, "unit_cents", cents)} />
            </div>
            <LocalizedInput path={`${here}.label`} label={t("console.builder.fees.tier_label")} hint={t("console.builder.fees.tier_label_hint")} value={tier.label} languages={languages} problems={problems} onChange={(value) => setTier(index, "label", value)} />
            <ItemActions name={name} index={index} count={tiers.length} onRemove={tiers.length > 1 ? () => onChange(tiers.filter((_, i) => i !== index)) : undefined} />
          </fieldset>
        );
      })}
      <div>
        <Button variant="secondary" onClick={add}>
          {t("console.builder.fees.add_tier")}
        </Button>
      </div>
    </fieldset>
  );
}

/** The editor of rule ``index`` (at ``fees.rules[index]``). */
export function FeeRule({ rule, index, count, definition, parts, languages, problems, onChange, onMove, onRemove }) {
  const path = `fees.rules[${index}]`;
  const set = (key, value) => onChange(setIn(rule, [key], value));
  const name = pick(rule.label) || rule.id || t("console.builder.fees.rule_number", { number: index + 1 });
  const countable = countableFields(definition);
  const over = countable.find(({ field }) => field.id === rule.over)?.field;
  const conditionProps = { definition, parts, languages, problems };
  return (
    <fieldset class="sec-item">
      <legend class="kern-heading-small">{t("console.builder.fees.rule_legend", { number: index + 1, name })}</legend>
      <ItemProblems problems={problems} path={path} />
      <div class="sec-row">
        <TextField id={inputIdFor(`${path}.id`)} label={t("console.builder.fees.rule_id")} hint={t("console.builder.sections.id_hint")} error={errorAt(problems, `${path}.id`)} value={rule.id ?? ""} autocomplete="off" spellcheck={false} onInput={(text) => set("id", text.trim())} />
        <Select
          id={inputIdFor(`${path}.kind`)}
          label={t("console.builder.fees.rule_kind")}
          error={errorAt(problems, `${path}.kind`)}
          value={rule.kind}
          choices={partChoices(parts.fee_rule_kinds, "console.builder.value.fee_rule_kind", rule.kind)}
          onChange={(kind) => onChange(withKind(rule, kind, definition))}
        />
      </div>
      <p class="kern-hint">{t(`console.builder.fees.kind_explained.${rule.kind === "per_item" || rule.kind === "tiered" ? rule.kind : "fixed"}`)}</p>
      <LocalizedInput path={`${path}.label`} label={t("console.builder.fees.rule_label")} hint={t("console.builder.fees.rule_label_hint")} value={rule.label} languages={languages} problems={problems} onChange={(value) => set("label", value)} />
      {rule.kind !== "tiered" && (
        <EuroInput
          id={inputIdFor(`${path}.amount_cents`)}
          label={rule.kind === "per_item" ? t("console.builder.fees.amount_per_item") : t("console.builder.fees.amount")}
          cents={rule.amount_cents}
          error={errorAt(problems, `${path}.amount_cents`)}
          onChange={(cents) => set("amount_cents", cents)}
        />
      )}
      {rule.kind !== "fixed" && (
        <Select
          id={inputIdFor(`${path}.over`)}
          label={t("console.builder.fees.over")}
          hint={t("console.builder.fees.over_hint")}
          error={errorAt(problems, `${path}.over`)}
          value={rule.over}
          empty={t("console.builder.fees.over_none")}
          choices={countable.map(({ field }) => [field.id, `${fieldName(field)} (${field.id})`]).concat(rule.over && !over ? [[rule.over, rule.over]] : [])}
          onChange={(value) => set("over", value || undefined)}
        />
      )}
      {rule.kind === "tiered" && (
        <Select
          id={inputIdFor(`${path}.mode`)}
          label={t("console.builder.fees.mode")}
          hint={t(`console.builder.fees.mode_hint.${rule.mode === "volume" ? "volume" : "graduated"}`)}
          error={errorAt(problems, `${path}.mode`)}
          value={rule.mode}
          choices={[
            ["graduated", t("console.builder.value.fee_mode.graduated")],
            ["volume", t("console.builder.value.fee_mode.volume")],
          ]}
          onChange={(mode) => onChange(clean({ ...rule, mode, count_where: mode === "volume" ? rule.count_where : undefined }))}
        />
      )}
      {rule.kind === "tiered" && <Tiers rule={rule} path={path} problems={problems} languages={languages} onChange={(tiers) => set("tiers", tiers)} />}
      <ConditionEditor {...conditionProps} path={`${path}.when`} label={t("console.builder.fees.when")} value={rule.when} onChange={(value) => set("when", value)} />
      {rule.kind !== "fixed" && over?.type === "repeat" && (
        <ConditionEditor {...conditionProps} path={`${path}.where`} label={t("console.builder.fees.where")} fieldScope={itemScope(definition, rule.over)} value={rule.where} onChange={(value) => set("where", value)} />
      )}
      {rule.kind === "tiered" && rule.mode === "volume" && over?.type === "repeat" && (
        <ConditionEditor {...conditionProps} path={`${path}.count_where`} label={t("console.builder.fees.count_where")} fieldScope={itemScope(definition, rule.over)} value={rule.count_where} onChange={(value) => set("count_where", value)} />
      )}
      <ItemActions name={t("console.builder.fees.rule_name", { name })} index={index} count={count} onMove={onMove} onRemove={onRemove} listId={inputIdFor("fees.rules")} />
    </fieldset>
  );
}
