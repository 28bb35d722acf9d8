// Fees from the definition's rules, on the device, so the check page shows the amount
// offline too. Mirrors the server's rules (fixed, per_item, tiered volume/graduated);
// the server computes the binding amount again on submission.
import { evaluate } from "./conditions.js";
import { formState } from "./pages.js";
import { cityToday } from "./dates.js";

function count(definition, rule, values, where, today) {
  const value = values[rule.over];
  const over = findField(definition, rule.over);
  if (over?.type === "number") return Number.isInteger(value) && value > 0 ? value : 0;
  const items = Array.isArray(value) ? value.filter((item) => item && typeof item === "object") : [];
  return items.filter((item) => evaluate(where, (name) => (name in item ? item[name] : values[name]), today)).length;
}

function findField(definition, id) {
  for (const step of definition.steps) {
    for (const field of step.fields) {
      if (field.id === id) return field;
      for (const member of field.fields || []) if (member.id === id) return member;
    }
  }
  return null;
}

const line = (rule, label, quantity, unit) => ({ rule: rule.id, label, quantity, unit_cents: unit, amount_cents: quantity * unit });

export function computeFees(definition, answers, today = cityToday()) {
  const fees = definition.fees;
  if (!fees) return { lines: [], total_cents: 0, period: "once" };
  const { values } = formState(definition, answers, today);
  const lines = [];
  for (const rule of fees.rules) {
    if (!evaluate(rule.when, (name) => values[name], today)) continue;
    if (rule.kind === "fixed") {
      lines.push(line(rule, rule.label, 1, rule.amount_cents));
    } else if (rule.kind === "per_item") {
      const billed = count(definition, rule, values, rule.where, today);
      if (billed) lines.push(line(rule, rule.label, billed, rule.amount_cents));
    } else {
      const billed = count(definition, rule, values, rule.where, today);
      if (!billed) continue;
      if (rule.mode === "volume") {
        const counted = Math.max(count(definition, rule, values, rule.count_where, today), 1);
        const tier = rule.tiers.find((t) => t.from <= counted && counted <= (t.to ?? counted));
        lines.push(line(rule, tier.label || rule.label, billed, tier.unit_cents));
      } else {
        for (const tier of rule.tiers) {
          const units = Math.min(billed, tier.to ?? billed) - tier.from + 1;
          if (units > 0) lines.push(line(rule, tier.label || rule.label, units, tier.unit_cents));
        }
      }
    }
  }
  return { lines, total_cents: lines.reduce((sum, l) => sum + l.amount_cents, 0), period: fees.period };
}

/** Non-blocking hints of the definition that apply to these answers (e.g. late registration). */
export function activeWarnings(definition, answers, today = cityToday()) {
  const { values } = formState(definition, answers, today);
  const found = [];
  for (const warning of definition.warnings || []) {
    const group = definition.steps.flatMap((s) => s.fields).find((f) => f.type === "repeat" && f.fields.some((m) => m.id === warning.field));
    if (!group) {
      if (warning.field in values && evaluate(warning.when, (name) => values[name], today)) found.push({ warning, path: warning.field });
      continue;
    }
    (values[group.id] || []).forEach((item, index) => {
      const lookup = (name) => (name in item ? item[name] : values[name]);
      if (warning.field in item && evaluate(warning.when, lookup, today)) found.push({ warning, path: `${group.id}[${index}].${warning.field}` });
    });
  }
  return found;
}
