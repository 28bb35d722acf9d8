// The values a service asks of the clerk at a decision (its definition's
// decision_fields, e.g. the granted amount and period of housing benefit): one input
// per field with the form's own renderers, prefilled with the service's proposal,
// editable. The server checks what is sent and names problems at the field.
import { Field } from "../../components/fields.jsx";
import { t } from "../../lib/i18n.js";
import { decisionInputId } from "./decision-values.js";

/** The inputs; ``errors`` maps an input's id to its message. */
export function DecisionFields({ fields, texts, errors, onChange }) {
  if (!fields?.length) return null;
  return (
    <fieldset class="kern-fieldset" aria-describedby="decision-values-hint">
      <legend class="kern-label">{t("staff_decision.values_legend")}</legend>
      <div class="kern-hint" id="decision-values-hint">
        {fields.some((field) => field.value != null) ? t("staff_decision.values_proposed") : t("staff_decision.values_hint")}
      </div>
      <div class="kern-fieldset__body kern-stack">
        {fields.map((field) => {
          const id = decisionInputId(field.id);
          // Money is typed as euros with a decimal comma: the form's number input.
          const shown = field.type === "money" ? { ...field, type: "number", integer: false } : field;
          return (
            <Field
              key={field.id}
              field={shown}
              path={id}
              id={id}
              value={texts[field.id] ?? ""}
              errors={errors}
              onChange={(value) => onChange(field.id, value ?? "")}
            />
          );
        })}
      </div>
    </fieldset>
  );
}

/** Values a clerk set at a decision, as a history entry shows them. */
export function DecidedValues({ values }) {
  if (!values?.length) return null;
  return (
    <dl class="kern-description-list" aria-label={t("staff_decision.values_legend")}>
      {values.map((row) => (
        <div class="kern-description-list-item" key={row.id}>
          <dt class="kern-description-list-item__key">{row.label}</dt>
          <dd class="kern-description-list-item__value">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
