// One field of a definition: its id, type, texts in every language, whether it is
// required, what fills it in advance, every option its type has (inputs made from the
// option's schema in the parts catalogue) and when it is shown.
import { useState } from "preact/hooks";
import { Button, TextField } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { SelectField } from "../city-shared.jsx";
import { ConditionEditor, numberFrom } from "./condition-editor.jsx";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, move, problemsAt, setIn } from "./paths.js";
import { ReorderList } from "./reorder.jsx";
import "./steps.css";

// Keys every field may have whatever its type (app/service_definitions/README.md, "Fields").
const COMMON_KEYS = ["id", "type", "label", "hint", "required", "visible_if", "prefill"];

/** The catalogue entry of a field type, or undefined. */
export function typeEntry(parts, name) {
  return (parts?.field_types || []).find((item) => item.name === name);
}

/** A field type's name as people read it. */
export function typeLabel(parts, name) {
  return pick(typeEntry(parts, name)?.label) || name || t("console.builder.field.no_type");
}

/** Prefill sources as {name, label, type}: the catalogue may list names or objects. */
function prefillSources(parts) {
  return (parts?.prefill_sources || []).map((source) => (typeof source === "string" ? { name: source } : source));
}

function sourceFits(source, type) {
  const sourceType = source.type || source.field_type;
  return !sourceType || sourceType === type || (Array.isArray(sourceType) && sourceType.includes(type));
}

/**
 * ``field`` as a field of type ``nextType``: what still applies is kept (id, texts,
 * required, condition, the options both types have); options the new type does not
 * have are dropped; lists the new type needs start empty.
 */
export function changeType(field, nextType, parts) {
  const entry = typeEntry(parts, nextType);
  const own = (entry?.options || []).map((option) => option.name);
  const allowed = new Set([...COMMON_KEYS, ...own]);
  const next = {};
  for (const [key, value] of Object.entries(field)) if (allowed.has(key)) next[key] = value;
  next.type = nextType;
  if (next.prefill) {
    const source = prefillSources(parts).find((item) => item.name === next.prefill);
    if (!source || !sourceFits(source, nextType)) delete next.prefill;
  }
  for (const name of entry?.required_options || []) {
    const schema = (entry.options || []).find((option) => option.name === name)?.schema || {};
    if (next[name] === undefined && schema.type === "array") next[name] = [];
  }
  return next;
}

/** What input an option's schema needs. */
export function optionKind(name, schema = {}) {
  if (name === "options") return "choices";
  if (name === "fields") return "fields";
  const ref = schema.$ref || "";
  const isText = ref.endsWith("/text") || (schema.type === "object" && schema.properties && "de" in schema.properties);
  if (isText) return "localized";
  if (ref.endsWith("/message") || Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) return "message";
  if (ref.endsWith("/date_bound") || /today/.test(schema.pattern || "")) return "date";
  if (Array.isArray(schema.enum)) return "enum";
  if (schema.type === "boolean") return "boolean";
  if (schema.type === "integer") return "integer";
  if (schema.type === "number") return "number";
  if (schema.type === "array") return "list";
  if (schema.type === "string") return "string";
  return "json";
}

/** A label from the console's catalogue, or ``fallback`` when it has none. */
function labelOr(key, fallback, params) {
  const text = t(key, params);
  return text === key ? fallback : text;
}

function boundsHint(schema) {
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) return t("console.builder.field.bounds_both", { min, max });
  if (min !== undefined) return t("console.builder.field.bounds_min", { min });
  if (max !== undefined) return t("console.builder.field.bounds_max", { max });
  return undefined;
}

/** A list of short texts typed with commas between them ("image/png, application/pdf"). */
function ListInput({ id, label, hint, error, value, onChange }) {
  const joined = Array.isArray(value) ? value.join(", ") : "";
  // What is typed stays as typed ("image/png, ") until it means something else.
  const [draft, setDraft] = useState(joined);
  const parsed = (text) => text.split(/[,\s]+/).map((item) => item.trim()).filter(Boolean);
  const shown = parsed(draft).join(", ") === joined ? draft : joined;
  return (
    <TextField
      id={id}
      label={label}
      hint={hint}
      error={error}
      value={shown}
      onInput={(text) => {
        setDraft(text);
        const items = parsed(text);
        onChange(items.length ? items : undefined);
      }}
    />
  );
}

/** A message: a catalogue key ("validation.…") or a text in every language. */
function MessageInput({ id, path, label, value, languages, problems, onChange }) {
  const [asKey, setAsKey] = useState(typeof value === "string");
  return (
    <fieldset class="kern-fieldset builder-field__message">
      <legend class="kern-label">{label}</legend>
      <div class="kern-form-check">
        <input class="kern-form-check__checkbox" type="checkbox" id={`${id}-as-key`} checked={asKey} onChange={(event) => setAsKey(event.currentTarget.checked)} />
        <label class="kern-label" for={`${id}-as-key`}>
          {t("console.builder.field.message_as_key")}
        </label>
      </div>
      {asKey ? (
        <TextField
          id={id}
          label={t("console.builder.field.message_key")}
          hint={t("console.builder.field.message_key_hint")}
          error={problemsAt(problems, path).join(" ") || undefined}
          value={typeof value === "string" ? value : ""}
          onInput={(text) => onChange(text || undefined)}
        />
      ) : (
        <LocalizedInput
          path={path}
          label={t("console.builder.field.message_text")}
          value={value && typeof value === "object" ? value : undefined}
          languages={languages}
          problems={problems}
          onChange={onChange}
        />
      )}
    </fieldset>
  );
}

/** The input for one option of a field type, made from the option's schema. */
function OptionInput({ name, schema, path, value, languages, problems, onChange }) {
  const id = inputIdFor(path);
  const label = labelOr(`console.builder.option.${name}`, name);
  const error = problemsAt(problems, path).join(" ") || undefined;
  const kind = optionKind(name, schema);
  switch (kind) {
    case "localized":
      return <LocalizedInput path={path} label={label} hint={labelOr(`console.builder.option_hint.${name}`, undefined)} value={value} languages={languages} problems={problems} onChange={onChange} />;
    case "message":
      return <MessageInput id={id} path={path} label={label} value={value} languages={languages} problems={problems} onChange={onChange} />;
    case "enum":
      return (
        <SelectField
          id={id}
          label={label}
          error={error}
          value={value ?? ""}
          placeholder={t("console.builder.field.not_set")}
          options={schema.enum.map((item) => [String(item), labelOr(`console.builder.enum.${name}.${item}`, String(item))])}
          onChange={(text) => onChange(text === "" ? undefined : schema.enum.find((item) => String(item) === text))}
        />
      );
    case "boolean":
      return (
        <SelectField
          id={id}
          label={label}
          error={error}
          value={value === true ? "true" : value === false ? "false" : ""}
          placeholder={t("console.builder.field.not_set")}
          options={[
            ["true", t("console.builder.field.yes")],
            ["false", t("console.builder.field.no")],
          ]}
          onChange={(text) => onChange(text === "" ? undefined : text === "true")}
        />
      );
    case "integer":
    case "number":
      return (
        <TextField
          id={id}
          label={label}
          hint={[labelOr(`console.builder.option_hint.${name}`, ""), boundsHint(schema)].filter(Boolean).join(" ") || undefined}
          error={error}
          inputMode={kind === "integer" ? "numeric" : "decimal"}
          value={value === undefined || value === null ? "" : String(value)}
          onInput={(text) => onChange(numberFrom(text))}
        />
      );
    case "date":
      return <TextField id={id} label={label} hint={t("console.builder.field.date_hint")} error={error} value={value ?? ""} onInput={(text) => onChange(text.trim() || undefined)} />;
    case "list":
      return (
        <ListInput
          id={id}
          label={label}
          hint={[labelOr(`console.builder.option_hint.${name}`, ""), t("console.builder.field.list_hint")].filter(Boolean).join(" ")}
          error={error}
          value={value}
          onChange={onChange}
        />
      );
    case "string":
      return (
        <TextField
          id={id}
          label={label}
          hint={labelOr(`console.builder.option_hint.${name}`, undefined)}
          error={error}
          value={value ?? ""}
          onInput={(text) => onChange(text === "" ? undefined : text)}
        />
      );
    default:
      return <JsonInput id={id} label={label} error={error} value={value} onChange={onChange} />;
  }
}

/** Anything the other inputs cannot show, as JSON text (kept as typed until it parses). */
function JsonInput({ id, label, error, value, onChange }) {
  const [text, setText] = useState(value === undefined ? "" : JSON.stringify(value));
  const [invalid, setInvalid] = useState(false);
  return (
    <TextField
      id={id}
      label={label}
      hint={t("console.builder.field.json_hint")}
      error={error || (invalid ? t("console.builder.field.json_invalid") : undefined)}
      value={text}
      onInput={(next) => {
        setText(next);
        if (!next.trim()) {
          setInvalid(false);
          return onChange(undefined);
        }
        try {
          onChange(JSON.parse(next));
          setInvalid(false);
        } catch {
          setInvalid(true);
        }
      }}
    />
  );
}

/** The choices of a select or radio field: value, label, hint; add, remove, reorder. */
function ChoiceOptions({ path, options, languages, problems, onChange, readOnly, fieldName }) {
  const list = Array.isArray(options) ? options : [];
  const name = (option, index) => t("console.builder.choice.named", { name: pick(option?.label) || option?.value || index + 1 });
  const set = (index, key, value) => onChange(setIn(list, [index, key], value));
  const listError = problemsAt(problems, `${path}`).join(" ");
  return (
    <fieldset class="kern-fieldset builder-field__choices" id={inputIdFor(path)} tabIndex={-1} disabled={readOnly}>
      <legend class="kern-label">{t("console.builder.choice.legend", { field: fieldName })}</legend>
      {listError && (
        <p class="kern-error">
          <span class="kern-body">{listError}</span>
        </p>
      )}
      <ReorderList
        items={list}
        listId={`choices-${path}`}
        label={t("console.builder.choice.list", { field: fieldName })}
        itemName={name}
        idFor={(index) => inputIdFor(`${path}[${index}]`)}
        onMove={(from, to) => onChange(move(list, from, to))}
        readOnly={readOnly}
        renderItem={(option, index, controls) => {
          const here = `${path}[${index}]`;
          return (
            <div class="builder-choice">
              <div class="builder-item__head">
                <span class="kern-body kern-body--bold">{name(option, index)}</span>
                {controls}
              </div>
              <TextField
                id={inputIdFor(`${here}.value`)}
                label={t("console.builder.choice.value")}
                hint={t("console.builder.choice.value_hint")}
                error={problemsAt(problems, `${here}.value`).join(" ") || problemsAt(problems, here).join(" ") || undefined}
                value={option?.value ?? ""}
                onInput={(text) => set(index, "value", text)}
              />
              <LocalizedInput path={`${here}.label`} label={t("console.builder.choice.label")} value={option?.label} languages={languages} problems={problems} onChange={(value) => set(index, "label", value)} />
              <LocalizedInput path={`${here}.hint`} label={t("console.builder.choice.hint")} value={option?.hint} languages={languages} problems={problems} onChange={(value) => set(index, "hint", value)} />
              {!readOnly && (
                <Button variant="tertiary" onClick={() => onChange(list.filter((_, at) => at !== index))}>
                  {t("console.builder.choice.remove", { name: name(option, index) })}
                </Button>
              )}
            </div>
          );
        }}
      />
      {!readOnly && (
        <Button variant="secondary" onClick={() => onChange([...list, { value: `option_${list.length + 1}`, label: {} }])}>
          {t("console.builder.choice.add")}
        </Button>
      )}
    </fieldset>
  );
}

/**
 * Edits one field.
 *
 * @param {object} props
 * @param {object} props.field the field
 * @param {string} props.path its path ("steps[1].fields[0]")
 * @param {(next: object) => void} props.onChange
 * @param {object} props.definition the whole definition
 * @param {object} props.parts the parts catalogue
 * @param {string[]} props.languages
 * @param {Array} props.problems
 * @param {Array} props.fieldScope the fields its condition may name
 * @param {boolean} [props.inRepeat] inside a repeat group (no repeat group here)
 * @param {(path: string, fields: Array, onChange: Function) => any} props.renderFields the
 *   inner fields of a repeat group, edited like a step's
 * @param {boolean} [props.readOnly]
 */
export function FieldEditor({ field, path, onChange, definition, parts, languages, problems, fieldScope, inRepeat = false, renderFields, readOnly = false }) {
  const set = (key, value) => onChange(setIn(field, [key], value));
  const entry = typeEntry(parts, field.type);
  const types = (parts?.field_types || []).filter((item) => !(inRepeat && item.name === "repeat"));
  const typeOptions = types.map((item) => [item.name, pick(item.label) || item.name]);
  if (field.type && !entry) typeOptions.push([field.type, field.type]);
  const sources = prefillSources(parts).filter((source) => sourceFits(source, field.type));
  const name = pick(field.label) || field.id || "";
  const options = (entry?.options || []).filter((option) => option.name !== "options" && option.name !== "fields");
  return (
    <div class="builder-field">
      <fieldset class="builder-field__body" disabled={readOnly}>
        <legend class="visually-hidden">{t("console.builder.field.legend", { name })}</legend>
        <div class="builder-field__row">
          <TextField
            id={inputIdFor(`${path}.id`)}
            label={t("console.builder.field.id")}
            hint={t("console.builder.field.id_hint")}
            error={problemsAt(problems, `${path}.id`).join(" ") || undefined}
            value={field.id || ""}
            spellcheck={false}
            onInput={(text) => set("id", text || undefined)}
          />
          <SelectField
            id={inputIdFor(`${path}.type`)}
            label={t("console.builder.field.type")}
            hint={t("console.builder.field.type_hint")}
            error={problemsAt(problems, `${path}.type`).join(" ") || undefined}
            value={field.type || ""}
            placeholder={field.type ? undefined : t("console.builder.condition.choose")}
            options={typeOptions}
            onChange={(next) => next && onChange(changeType(field, next, parts))}
          />
        </div>
        <LocalizedInput path={`${path}.label`} label={t("console.builder.field.label")} value={field.label} languages={languages} problems={problems} onChange={(value) => set("label", value)} />
        <LocalizedInput path={`${path}.hint`} label={t("console.builder.field.hint")} value={field.hint} languages={languages} problems={problems} onChange={(value) => set("hint", value)} multiline />
        {field.type !== "repeat" && (
          <div class="kern-form-check">
            <input
              class="kern-form-check__checkbox"
              type="checkbox"
              id={inputIdFor(`${path}.required`)}
              checked={field.required === true}
              onChange={(event) => set("required", event.currentTarget.checked ? true : undefined)}
            />
            <label class="kern-label" for={inputIdFor(`${path}.required`)}>
              {field.type === "checkbox" ? t("console.builder.field.required_checkbox") : t("console.builder.field.required")}
            </label>
          </div>
        )}
        {field.type !== "repeat" && (sources.length > 0 || field.prefill) && (
          <SelectField
            id={inputIdFor(`${path}.prefill`)}
            label={t("console.builder.field.prefill")}
            hint={t("console.builder.field.prefill_hint")}
            error={problemsAt(problems, `${path}.prefill`).join(" ") || undefined}
            value={field.prefill || ""}
            placeholder={t("console.builder.field.no_prefill")}
            options={[
              ...sources.map((source) => [source.name, pick(source.label) || labelOr(`console.builder.prefill.${source.name}`, source.name)]),
              ...(field.prefill && !sources.some((source) => source.name === field.prefill) ? [[field.prefill, field.prefill]] : []),
            ]}
            onChange={(next) => set("prefill", next || undefined)}
          />
        )}
        {options.length > 0 && (
          <fieldset class="kern-fieldset builder-field__options">
            <legend class="kern-label">{t("console.builder.field.options", { type: typeLabel(parts, field.type) })}</legend>
            {options.map((option) => (
              <OptionInput
                key={`${field.type}-${option.name}`}
                name={option.name}
                schema={option.schema}
                path={`${path}.${option.name}`}
                value={field[option.name]}
                languages={languages}
                problems={problems}
                onChange={(value) => set(option.name, value)}
              />
            ))}
          </fieldset>
        )}
      </fieldset>
      {(entry?.options || []).some((option) => option.name === "options") && (
        <ChoiceOptions path={`${path}.options`} options={field.options} languages={languages} problems={problems} readOnly={readOnly} fieldName={name} onChange={(value) => set("options", value)} />
      )}
      {field.type === "repeat" && renderFields && renderFields(`${path}.fields`, Array.isArray(field.fields) ? field.fields : [], (value) => set("fields", value))}
      <ConditionEditor
        path={`${path}.visible_if`}
        value={field.visible_if}
        onChange={(value) => set("visible_if", value)}
        definition={definition}
        parts={parts}
        languages={languages}
        problems={problems}
        fieldScope={fieldScope}
        label={t("console.builder.field.visible_if", { name })}
        emptyText={t("console.builder.field.always_visible")}
        readOnly={readOnly}
      />
    </div>
  );
}
