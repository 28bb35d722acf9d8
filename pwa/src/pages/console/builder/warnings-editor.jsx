// Non-blocking hints of a form (warnings): which field they stand at, when they show
// (rule editor) and what they say: a text in every language, or a catalogue key that
// the portal's own messages use ("validation.warning.late_registration").
import { Button, TextField } from "../../../components/forms.jsx";
import { t } from "../../../lib/i18n.js";
import { ConditionEditor } from "./condition-editor.jsx";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, setIn } from "./paths.js";
import { ItemActions, ItemProblems, Select, errorAt, fieldName, formFields, freshId, itemScope } from "./sections-shared.jsx";

function WarningEditor({ warning, index, count, definition, parts, languages, problems, onChange, onRemove }) {
  const path = `warnings[${index}]`;
  const set = (key, value) => onChange(setIn(warning, [key], value));
  const name = warning.id || t("console.builder.rules.warning_number", { number: index + 1 });
  const fields = formFields(definition).filter(({ field }) => field.type !== "repeat");
  const known = fields.some(({ field }) => field.id === warning.field);
  const group = formFields(definition).find(({ field }) => field.id === warning.field)?.group;
  const keyed = typeof warning.message === "string";
  return (
    <fieldset class="sec-item">
      <legend class="kern-heading-small">{t("console.builder.rules.warning_legend", { number: index + 1, name })}</legend>
      <ItemProblems problems={problems} path={path} />
      <div class="sec-row">
        <TextField id={inputIdFor(`${path}.id`)} label={t("console.builder.rules.warning_id")} hint={t("console.builder.sections.id_hint")} error={errorAt(problems, `${path}.id`)} value={warning.id ?? ""} autocomplete="off" spellcheck={false} onInput={(text) => set("id", text.trim())} />
        <Select
          id={inputIdFor(`${path}.field`)}
          label={t("console.builder.rules.warning_field")}
          hint={t("console.builder.rules.warning_field_hint")}
          error={errorAt(problems, `${path}.field`)}
          value={warning.field}
          empty={t("console.builder.rules.choose_field")}
          choices={fields.map(({ field, group: inside }) => [field.id, inside ? `${fieldName(inside)} › ${fieldName(field)} (${field.id})` : `${fieldName(field)} (${field.id})`]).concat(warning.field && !known ? [[warning.field, warning.field]] : [])}
          onChange={(value) => set("field", value || undefined)}
        />
      </div>
      <ConditionEditor definition={definition} parts={parts} languages={languages} problems={problems} path={`${path}.when`} label={t("console.builder.rules.warning_when")} fieldScope={itemScope(definition, group?.id)} value={warning.when} onChange={(value) => set("when", value)} />
      {keyed ? (
        <div class="kern-stack">
          <TextField id={inputIdFor(`${path}.message`)} label={t("console.builder.rules.warning_key")} hint={t("console.builder.rules.warning_key_hint")} error={errorAt(problems, `${path}.message`)} value={warning.message} autocomplete="off" spellcheck={false} onInput={(text) => set("message", text.trim())} />
          <div>
            <Button variant="tertiary" onClick={() => set("message", undefined)}>
              {t("console.builder.rules.warning_own_text", { name })}
            </Button>
          </div>
        </div>
      ) : (
        <LocalizedInput path={`${path}.message`} label={t("console.builder.rules.warning_message")} value={warning.message} languages={languages} problems={problems} multiline onChange={(value) => set("message", value)} />
      )}
      <ItemActions name={t("console.builder.rules.warning_name", { name })} index={index} count={count} onRemove={onRemove} />
    </fieldset>
  );
}

export function WarningsEditor({ definition, parts, languages, problems, onChange, announce }) {
  const warnings = definition.warnings || [];
  const setWarnings = (next) => onChange(setIn(definition, ["warnings"], next.length ? next : undefined));
  return (
    <section class="kern-stack" aria-labelledby="sec-warnings-title">
      <h3 class="kern-heading-small" id="sec-warnings-title">
        {t("console.builder.rules.warnings_title")}
      </h3>
      <p class="kern-body">{t("console.builder.rules.warnings_intro")}</p>
      <ItemProblems problems={problems} path="warnings" />
      {warnings.map((warning, index) => (
        <WarningEditor
          key={index}
          warning={warning}
          index={index}
          count={warnings.length}
          definition={definition}
          parts={parts}
          languages={languages}
          problems={problems}
          onChange={(next) => setWarnings(setIn(warnings, [index], next))}
          onRemove={(at) => {
            setWarnings(warnings.filter((_, i) => i !== at));
            announce(t("console.builder.rules.warning_removed", { name: warnings[at].id }));
          }}
        />
      ))}
      <div>
        <Button
          variant="secondary"
          onClick={() => {
            const id = freshId("warning", warnings.map((warning) => warning.id));
            setWarnings([...warnings, { id, field: undefined, when: undefined, message: undefined }]);
            announce(t("console.builder.rules.warning_added", { name: id }));
          }}
        >
          {t("console.builder.rules.warning_add")}
        </Button>
      </div>
    </section>
  );
}
