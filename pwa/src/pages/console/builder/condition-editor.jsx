// The rule editor for conditions (visible_if, a fee's when/where, a warning's when):
// rows "Feld | Vergleich | Wert", combined with "alle (und)" or "mindestens eine
// (oder)", nested groups and "nicht". It writes the definition's own format
// ({field, equals}, {all: [...]}, {not: {...}}) and reads every condition back as it is.
import { Button } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { SelectField } from "../city-shared.jsx";
import { inputIdFor, problemsAt } from "./paths.js";
import "./steps.css";

const GROUP_KEYS = ["all", "any"];

/** Whether ``node`` combines other conditions ({all}, {any}) rather than comparing a field. */
const groupKey = (node) => GROUP_KEYS.find((key) => node && Array.isArray(node[key]));

/**
 * Every field a condition may name: each field by its id, a repeat group as a whole
 * (its number of items) and each field inside a group as ``group.inner``.
 */
export function allFieldRefs(definition) {
  const refs = [];
  for (const step of definition?.steps || []) {
    for (const field of step?.fields || []) refs.push(...refsOf(field));
  }
  return refs;
}

/** The references a condition may use for one field (a repeat group adds its members). */
export function refsOf(field) {
  if (!field || !field.id) return [];
  const refs = [{ ref: field.id, field, label: pick(field.label) || field.id }];
  if (field.type === "repeat") {
    for (const inner of field.fields || []) {
      if (!inner?.id) continue;
      refs.push({ ref: `${field.id}.${inner.id}`, field: inner, group: field, label: `${pick(field.label) || field.id} › ${pick(inner.label) || inner.id}` });
    }
  }
  return refs;
}

/** What kind of value an operator compares with: value, values, boolean, date or number. */
function kindOf(parts, operator) {
  return (parts?.condition_operators || []).find((item) => item.name === operator)?.value || "value";
}

/** The operator of a leaf: its one key besides ``field``. */
function operatorOf(node, parts) {
  const names = (parts?.condition_operators || []).map((item) => item.name);
  return Object.keys(node).find((key) => key !== "field" && (names.includes(key) || !names.length)) || Object.keys(node).find((key) => key !== "field");
}

/** What a field's answer is (``text``, ``number``, ``date``, ``choice``, ``boolean``,
 * ``items`` …), as the parts catalogue says for its type. */
function answerKind(parts, field) {
  return (parts?.field_types || []).find((item) => item.name === field?.type)?.answer_kind;
}

/** The operators that fit a field, exactly as the server's loader accepts them: the
 * parts catalogue lists per type those for the field itself (``operators``) and those for
 * it as ``group.inner``, read across a repeat group's items (``member_operators``). */
function operatorsFor(parts, ref) {
  const all = parts?.condition_operators || [];
  const type = (parts?.field_types || []).find((item) => item.name === ref?.field?.type);
  if (!type) return all;
  const allowed = ref.group ? type.member_operators : type.operators;
  return all.filter((operator) => allowed.includes(operator.name));
}

/** The comparison a new row starts with: a checkbox is ticked or not, a group counts. */
function preferredOperator(fits, ref, parts) {
  const kind = answerKind(parts, ref?.field);
  const wanted = kind === "boolean" ? "boolean" : kind === "items" && !ref.group ? "number" : null;
  return (wanted && fits.find((operator) => operator.value === wanted)) || fits[0];
}

/** A start value for ``operator`` (keeping the current one where it still fits). */
function valueFor(kind, previous) {
  if (kind === "boolean") return typeof previous === "boolean" ? previous : true;
  if (kind === "values") {
    if (Array.isArray(previous)) return previous;
    return previous === undefined || previous === "" || typeof previous === "boolean" ? [] : [previous];
  }
  if (Array.isArray(previous)) return previous[0] ?? "";
  if (kind === "number") return typeof previous === "number" ? previous : undefined;
  if (kind === "date") return typeof previous === "string" ? previous : "";
  return typeof previous === "boolean" ? "" : previous ?? "";
}

/** Text typed for a number becomes a number; anything else stays as typed (the check says why). */
export function numberFrom(text) {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const normalised = trimmed.replace(",", ".");
  return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : trimmed;
}

function ValueInput({ id, kind, fieldRef, value, problems, path, onChange, parts }) {
  const error = problemsAt(problems, path).join(" ") || undefined;
  const field = fieldRef?.field;
  const answer = answerKind(parts, field);
  const choices = answer === "choice" && Array.isArray(field?.options);
  const label = t("console.builder.condition.value");
  if (kind === "boolean" || (kind === "value" && answer === "boolean")) {
    return (
      <SelectField
        id={id}
        label={label}
        error={error}
        value={value === true ? "true" : value === false ? "false" : ""}
        onChange={(text) => onChange(text === "" ? undefined : text === "true")}
        placeholder={t("console.builder.condition.choose")}
        options={[
          ["true", t("console.builder.field.yes")],
          ["false", t("console.builder.field.no")],
        ]}
      />
    );
  }
  if (choices && kind === "value") {
    const options = (field.options || []).filter((option) => option?.value).map((option) => [option.value, pick(option.label) || option.value]);
    if (value && !options.some(([known]) => known === value)) options.push([value, value]);
    return <SelectField id={id} label={label} error={error} value={value ?? ""} onChange={(text) => onChange(text)} placeholder={t("console.builder.condition.choose")} options={options} />;
  }
  if (choices && kind === "values") {
    const chosen = Array.isArray(value) ? value : [];
    const options = (field.options || []).filter((option) => option?.value);
    const unknown = chosen.filter((item) => !options.some((option) => option.value === item));
    return (
      <fieldset class="kern-fieldset builder-cond__values" id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
        <legend class="kern-label">{label}</legend>
        {error && (
          <p class="kern-error" id={`${id}-error`}>
            <span class="kern-body">{error}</span>
          </p>
        )}
        <div class="kern-fieldset__body">
          {[...options.map((option) => [option.value, pick(option.label) || option.value]), ...unknown.map((item) => [item, item])].map(([optionValue, optionLabel]) => (
            <div class="kern-form-check" key={optionValue}>
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={`${id}--${optionValue}`}
                checked={chosen.includes(optionValue)}
                onChange={(event) => onChange(event.currentTarget.checked ? [...chosen, optionValue] : chosen.filter((item) => item !== optionValue))}
              />
              <label class="kern-label" for={`${id}--${optionValue}`}>
                {optionLabel}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    );
  }
  const numeric = kind === "number" || answer === "number";
  const text = Array.isArray(value) ? value.join(", ") : value === undefined || value === null ? "" : String(value);
  const hint = kind === "date" ? t("console.builder.condition.date_hint") : kind === "values" ? t("console.builder.field.list_hint") : undefined;
  const parse = (raw) => {
    if (kind === "values") {
      const items = raw.split(",").map((item) => item.trim()).filter(Boolean);
      return numeric ? items.map((item) => numberFrom(item)) : items;
    }
    if (numeric) return numberFrom(raw);
    return raw;
  };
  return (
    <div class={error ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
      <label class="kern-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-body">{error}</span>
        </p>
      )}
      <input
        class={error ? "kern-form-input__input kern-form-input__input--error" : "kern-form-input__input"}
        id={id}
        type="text"
        inputMode={numeric && kind !== "values" ? "decimal" : undefined}
        value={text}
        aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined}
        aria-invalid={error ? "true" : undefined}
        onInput={(event) => onChange(parse(event.currentTarget.value))}
      />
    </div>
  );
}

function Leaf({ node, path, onChange, parts, problems, refs, negation }) {
  const operator = operatorOf(node, parts);
  const ref = refs.find((item) => item.ref === node.field);
  const available = operatorsFor(parts, ref);
  const operatorOptions = available.map((item) => [item.name, pick(item.label) || item.name]);
  if (operator && !operatorOptions.some(([name]) => name === operator)) operatorOptions.push([operator, pick((parts?.condition_operators || []).find((item) => item.name === operator)?.label) || operator]);
  const fieldOptions = refs.map((item) => [item.ref, `${item.label} (${item.ref})`]);
  if (node.field && !ref) fieldOptions.push([node.field, t("console.builder.condition.unknown_field", { field: node.field })]);
  const kind = kindOf(parts, operator);
  const setField = (nextField) => {
    const nextRef = refs.find((item) => item.ref === nextField);
    const fits = operatorsFor(parts, nextRef);
    const keep = fits.some((item) => item.name === operator);
    const nextOperator = keep ? operator : preferredOperator(fits, nextRef, parts)?.name;
    const next = { field: nextField || undefined };
    if (nextOperator) next[nextOperator] = valueFor(kindOf(parts, nextOperator), keep ? node[operator] : undefined);
    onChange(next);
  };
  const setOperator = (nextOperator) => {
    const next = { field: node.field };
    if (nextOperator) next[nextOperator] = valueFor(kindOf(parts, nextOperator), node[operator]);
    onChange(next);
  };
  const setValue = (value) => {
    const next = { ...node };
    next[operator] = value;
    if (value === undefined) delete next[operator];
    onChange(next);
  };
  return (
    <div class="builder-cond__leaf">
      {negation}
      <SelectField
        id={inputIdFor(`${path}.field`)}
        label={t("console.builder.condition.field")}
        error={problemsAt(problems, `${path}.field`).join(" ") || undefined}
        value={node.field || ""}
        placeholder={t("console.builder.condition.choose")}
        options={fieldOptions}
        onChange={setField}
      />
      <SelectField
        id={inputIdFor(path)}
        label={t("console.builder.condition.operator")}
        error={problemsAt(problems, path).join(" ") || undefined}
        value={operator || ""}
        placeholder={t("console.builder.condition.choose")}
        options={operatorOptions}
        onChange={setOperator}
      />
      {operator && (
        <ValueInput
          id={inputIdFor(`${path}.${operator}`)}
          path={`${path}.${operator}`}
          kind={kind}
          fieldRef={ref}
          parts={parts}
          value={node[operator]}
          problems={problems}
          onChange={setValue}
        />
      )}
    </div>
  );
}

function Group({ node, path, onChange, parts, problems, refs, depth, negation }) {
  const key = groupKey(node);
  const children = node[key];
  const setChild = (index, child) => {
    const next = [...children];
    if (child === undefined) next.splice(index, 1);
    else next[index] = child;
    // A group left with one rule is that rule; an empty one disappears.
    if (next.length === 0) return onChange(undefined);
    if (next.length === 1 && child === undefined) return onChange(next[0]);
    return onChange({ ...node, [key]: next });
  };
  const add = (child) => onChange({ ...node, [key]: [...children, child] });
  const legendId = `${inputIdFor(`${path}.${key}`)}-legend`;
  return (
    <fieldset class={`builder-cond__group builder-cond__group--${depth % 2 ? "odd" : "even"}`} aria-labelledby={legendId}>
      <legend class="kern-label" id={legendId}>
        {t("console.builder.condition.group")}
      </legend>
      {negation}
      <SelectField
        id={inputIdFor(`${path}.${key}`)}
        label={t("console.builder.condition.combine")}
        error={problemsAt(problems, `${path}.${key}`).join(" ") || undefined}
        value={key}
        options={[
          ["all", t("console.builder.condition.all")],
          ["any", t("console.builder.condition.any")],
        ]}
        onChange={(nextKey) => {
          const next = { ...node, [nextKey]: children };
          if (nextKey !== key) delete next[key];
          onChange(next);
        }}
      />
      <ol class="builder-cond__list">
        {children.map((child, index) => (
          <li key={index} class="builder-cond__item">
            <Node
              node={child}
              path={`${path}.${key}[${index}]`}
              onChange={(next) => setChild(index, next)}
              parts={parts}
              problems={problems}
              refs={refs}
              depth={depth + 1}
            />
            <Button variant="tertiary" onClick={() => setChild(index, undefined)}>
              {t("console.builder.condition.remove_row", { n: index + 1 })}
            </Button>
          </li>
        ))}
      </ol>
      <div class="kern-btn-wrapper builder-cond__add">
        <Button variant="secondary" onClick={() => add({ field: "" })}>
          {t("console.builder.condition.add_row")}
        </Button>
        <Button variant="secondary" onClick={() => add({ all: [{ field: "" }] })}>
          {t("console.builder.condition.add_group")}
        </Button>
      </div>
    </fieldset>
  );
}

/** One condition: a comparison or a group, either of them possibly negated ("nicht"). */
function Node({ node, path, onChange, parts, problems, refs, depth = 0 }) {
  if (!node || typeof node !== "object") return null;
  // One "not" is shown as the checkbox of the condition it wraps; the markup stays the
  // same when it is ticked, so focus stays on the checkbox.
  const negated = "not" in node && Object.keys(node).length === 1;
  const inner = negated ? node.not : node;
  const innerPath = negated ? `${path}.not` : path;
  const innerChange = negated ? (next) => onChange(next === undefined ? undefined : { not: next }) : onChange;
  const notId = `${inputIdFor(path)}-negate`;
  const negation = (
    <div class="kern-form-check builder-cond__not">
      <input
        class="kern-form-check__checkbox"
        type="checkbox"
        id={notId}
        checked={negated}
        onChange={(event) => onChange(event.currentTarget.checked ? { not: node } : node.not)}
      />
      <label class="kern-label" for={notId}>
        {t("console.builder.condition.not")}
      </label>
    </div>
  );
  if (inner && typeof inner === "object" && "not" in inner && Object.keys(inner).length === 1) {
    return (
      <div class="builder-cond__negated">
        {negation}
        <Node node={inner} path={innerPath} onChange={innerChange} parts={parts} problems={problems} refs={refs} depth={depth + 1} />
      </div>
    );
  }
  if (groupKey(inner)) return <Group node={inner} path={innerPath} onChange={innerChange} parts={parts} problems={problems} refs={refs} depth={depth} negation={negation} />;
  return <Leaf node={inner || {}} path={innerPath} onChange={innerChange} parts={parts} problems={problems} refs={refs} negation={negation} />;
}

/**
 * Edits the condition at ``path`` of the definition.
 *
 * @param {object} props
 * @param {string} props.path the condition's path ("steps[0].fields[2].visible_if", "fees.rules[1].when")
 * @param {object|undefined} props.value the condition
 * @param {(next: object|undefined) => void} props.onChange
 * @param {object} props.definition the whole definition (for the fields it may name)
 * @param {object} props.parts the parts catalogue (its condition_operators)
 * @param {Array} props.problems the builder's problems
 * @param {Array} [props.fieldScope] the fields it may name ({ref, field, label}); all by default
 * @param {string} [props.label] legend ("Sichtbar nur, wenn …")
 * @param {string} [props.emptyText] what no condition means ("Immer sichtbar.")
 * @param {boolean} [props.readOnly]
 */
export function ConditionEditor({ path, value, onChange, definition, parts, problems, fieldScope, label, emptyText, readOnly = false }) {
  const refs = fieldScope || allFieldRefs(definition);
  const legend = label || t("console.builder.condition.legend");
  // A single comparison shows the problems at its own path at its "Vergleich" select.
  const leaf = value && typeof value === "object" && !groupKey(value) && !("not" in value);
  const here = leaf ? [] : problemsAt(problems, path);
  const legendId = `${inputIdFor(path)}-legend`;
  return (
    <fieldset class="kern-fieldset builder-cond" aria-labelledby={legendId} disabled={readOnly}>
      <legend class="kern-label" id={legendId}>
        {legend}
      </legend>
      {here.length > 0 && (
        <p class="kern-error" id={`${inputIdFor(path)}-error`}>
          <span class="kern-body">{here.join(" ")}</span>
        </p>
      )}
      {value === undefined || value === null ? (
        <div class="builder-cond__empty">
          <p class="kern-body">{emptyText || t("console.builder.condition.none")}</p>
          {!readOnly && (
            <Button variant="secondary" id={inputIdFor(path)} onClick={() => onChange({ field: "" })}>
              {t("console.builder.condition.add")}
            </Button>
          )}
        </div>
      ) : (
        <>
          <Node node={value} path={path} onChange={onChange} parts={parts} problems={problems} refs={refs} />
          {!readOnly && (
            <div class="kern-btn-wrapper builder-cond__add">
              {!groupKey(value) && (
                <Button variant="secondary" onClick={() => onChange({ all: [value, { field: "" }] })}>
                  {t("console.builder.condition.add_more")}
                </Button>
              )}
              <Button variant="tertiary" onClick={() => onChange(undefined)}>
                {t("console.builder.condition.remove_all")}
              </Button>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}
