// The builder's retention of a service: how many days untouched drafts and closed
// applications are kept before the daily job deletes them (docs/retention.md). Empty
// means the default for the kind of service, which the hint names.
import { TextField } from "../../../components/forms.jsx";
import { t } from "../../../lib/i18n.js";
import { inputIdFor, setIn } from "./paths.js";
import { ItemProblems, SectionFrame, errorAt, wholeNumber } from "./sections-shared.jsx";

// The defaults of app/retention/rules.py: a yearly fee marks a municipal tax.
export function retentionDefaults(definition) {
  return { drafts_days: 90, closed_days: definition.fees?.period === "yearly" ? 3650 : 1095 };
}

/** ``retention`` with ``key`` set to ``value`` (empty: the key goes; nothing left: undefined). */
export function withPeriod(retention, key, value) {
  const next = { ...(retention || {}) };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return Object.keys(next).length ? next : undefined;
}

export function RetentionSection({ definition, onChange, problems, readOnly }) {
  const defaults = retentionDefaults(definition);
  const retention = definition.retention || {};
  const field = (key) => {
    const path = `retention.${key}`;
    return (
      <TextField
        id={inputIdFor(path)}
        label={t(`console.builder.retention.${key}`)}
        hint={t(`console.builder.retention.${key}_hint`, { days: defaults[key] })}
        error={errorAt(problems, path)}
        value={retention[key] ?? ""}
        inputMode="numeric"
        autocomplete="off"
        onInput={(text) => onChange(setIn(definition, ["retention"], withPeriod(definition.retention, key, wholeNumber(text))))}
      />
    );
  };
  return (
    <SectionFrame titleKey="console.builder.section.retention" introKey="console.builder.retention.intro" readOnly={readOnly}>
      <ItemProblems problems={problems} path="retention" />
      {field("drafts_days")}
      {field("closed_days")}
      <p class="kern-body sec-why">{t("console.builder.retention.holds")}</p>
    </SectionFrame>
  );
}
