// The builder's rules: registered checks run at submission, the automatic decision
// (rule set and the status it sets), non-blocking warnings, and the options registered
// plugins read (their field mapping).
import { pick, t } from "../../../lib/i18n.js";
import { inputIdFor, problemsAt, setIn } from "./paths.js";
import { PluginOptionsEditor } from "./plugin-options-editor.jsx";
import { useAnnouncer } from "./announcer.jsx";
import { Checkbox, ItemProblems, Select, SectionFrame, errorAt, partChoices, partEntry, statusChoices, workflowTable } from "./sections-shared.jsx";
import { WarningsEditor } from "./warnings-editor.jsx";

function Checks({ definition, parts, problems, onChange }) {
  const chosen = definition.checks || [];
  const registered = (parts.checks || []).map((item) => (typeof item === "string" ? { name: item } : item));
  // A check the definition names that is not registered stays visible with its problem.
  const unknown = chosen.filter((name) => !registered.some((item) => item.name === name)).map((name) => ({ name }));
  const toggle = (name, on) => {
    const next = on ? [...chosen, name] : chosen.filter((item) => item !== name);
    onChange(setIn(definition, ["checks"], next.length ? next : undefined));
  };
  return (
    <fieldset class="sec-group" id={inputIdFor("checks")} tabIndex={-1}>
      <legend class="kern-heading-small">{t("console.builder.rules.checks_title")}</legend>
      <p class="kern-hint">{t("console.builder.rules.checks_intro")}</p>
      {problemsAt(problems, "checks").map((message) => (
        <p class="kern-error" key={message}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{message}</span>
        </p>
      ))}
      {registered.length + unknown.length === 0 && <p class="kern-body">{t("console.builder.rules.checks_none")}</p>}
      {[...registered, ...unknown].map((item) => {
        const at = chosen.indexOf(item.name);
        return (
          <Checkbox
            key={item.name}
            id={at >= 0 ? inputIdFor(`checks[${at}]`) : `sec-check-${item.name}`}
            label={pick(item.label) || item.name}
            hint={pick(item.description) || undefined}
            error={at >= 0 ? errorAt(problems, `checks[${at}]`) : undefined}
            checked={at >= 0}
            onChange={(on) => toggle(item.name, on)}
          />
        );
      })}
    </fieldset>
  );
}

function AutoDecision({ definition, parts, problems, onChange }) {
  const auto = definition.auto_decision || { enabled: false };
  const set = (key, value) => onChange(setIn(definition, ["auto_decision", key], value));
  const ruleSet = partEntry(parts.decision_rule_sets, auto.rule_set);
  const statuses = statusChoices(definition, parts);
  return (
    <fieldset class="sec-group">
      <legend class="kern-heading-small">{t("console.builder.rules.auto_title")}</legend>
      <ItemProblems problems={problems} path="auto_decision" />
      <Checkbox
        id={inputIdFor("auto_decision.enabled")}
        label={t("console.builder.rules.auto_enabled")}
        hint={t("console.builder.rules.auto_enabled_hint")}
        error={errorAt(problems, "auto_decision.enabled")}
        checked={auto.enabled}
        onChange={(enabled) => {
          // Switching on starts from the catalogue's first rule set and the first
          // positive decision of the workflow; the admin changes either below.
          const positive = (workflowTable(definition, parts)?.statuses || []).find((status) => status?.decision === "positive")?.id;
          const next = enabled
            ? { ...auto, enabled, rule_set: auto.rule_set ?? partChoices(parts.decision_rule_sets)[0]?.[0], status: auto.status ?? positive }
            : { ...auto, enabled };
          onChange(setIn(definition, ["auto_decision"], next));
        }}
      />
      {auto.enabled ? (
        <>
          <Select
            id={inputIdFor("auto_decision.rule_set")}
            label={t("console.builder.rules.auto_rule_set")}
            hint={ruleSet?.description ? pick(ruleSet.description) : undefined}
            error={errorAt(problems, "auto_decision.rule_set")}
            value={auto.rule_set ?? ""}
            empty={t("console.builder.rules.auto_rule_set_choose")}
            choices={partChoices(parts.decision_rule_sets, null, auto.rule_set)}
            onChange={(value) => set("rule_set", value || null)}
          />
          <Select
            id={inputIdFor("auto_decision.status")}
            label={t("console.builder.rules.auto_status")}
            hint={t("console.builder.rules.auto_status_hint")}
            error={errorAt(problems, "auto_decision.status")}
            value={auto.status}
            empty={t("console.builder.workflow.choose_status")}
            choices={statuses.concat(auto.status && !statuses.some(([id]) => id === auto.status) ? [[auto.status, auto.status]] : [])}
            onChange={(value) => set("status", value || undefined)}
          />
        </>
      ) : (
        <p class="kern-body sec-why">{t("console.builder.rules.auto_off")}</p>
      )}
    </fieldset>
  );
}

export function RulesSection({ definition, onChange, problems, parts, languages, readOnly }) {
  const [announcement, announce] = useAnnouncer();
  const props = { definition, parts, problems, onChange };
  return (
    <SectionFrame titleKey="console.builder.section.rules" introKey="console.builder.rules.intro" readOnly={readOnly}>
      {announcement}
      <Checks {...props} />
      <AutoDecision {...props} />
      <WarningsEditor {...props} languages={languages} announce={announce} />
      <PluginOptionsEditor {...props} announce={announce} />
    </SectionFrame>
  );
}
