// The builder's "Schritte und Felder": the form's steps in order, each with its texts,
// its own condition and its fields; fields are added, edited, removed, reordered and
// moved to another step; a repeat group's fields are edited the same way inside it.
import { useState } from "preact/hooks";
import { Badge, Button, TextField } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { Confirm, SelectField } from "../city-shared.jsx";
import { ConditionEditor, refsOf } from "./condition-editor.jsx";
import { changeType, FieldEditor, typeLabel } from "./field-editor.jsx";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, move, problemsAt, problemsUnder, setIn } from "./paths.js";
import { useAnnouncer } from "./announcer.jsx";
import { ReorderList, useFocusAfterRender } from "./reorder.jsx";
import "./steps.css";

const asList = (value) => (Array.isArray(value) ? value : []);

/** "Schritt „Angaben zum Hund“" – a step as buttons and announcements name it. */
export function stepName(step, index) {
  return t("console.builder.steps.step_named", { name: pick(step?.title) || step?.id || index + 1 });
}

/** "Feld „Name“" – a field as buttons and announcements name it. */
export function fieldName(field, index) {
  return t("console.builder.steps.field_named", { name: pick(field?.label) || field?.id || index + 1 });
}

/** Every field id in use, repeat groups' members included. */
function usedIds(definition) {
  const ids = new Set();
  for (const step of asList(definition.steps)) {
    for (const field of asList(step?.fields)) {
      if (field?.id) ids.add(field.id);
      for (const inner of asList(field?.fields)) if (inner?.id) ids.add(inner.id);
    }
  }
  return ids;
}

/** A free id like ``text_3`` for a new field (the admin names it properly later). */
export function freeId(base, taken) {
  let n = 1;
  while (taken.has(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}

/**
 * The fields a condition at ``steps[stepIndex].fields[fieldIndex]`` may name: the fields
 * before it (the whole form's, not later ones). Inside a repeat group (``innerIndex``):
 * the item's earlier fields by their own id and the form's fields before the group.
 */
export function scopeFor(steps, stepIndex, fieldIndex = null, innerIndex = null) {
  const refs = [];
  asList(steps).forEach((step, s) => {
    asList(step?.fields).forEach((field, f) => {
      const before = s < stepIndex || (s === stepIndex && fieldIndex !== null && f < fieldIndex);
      if (!before) return;
      if (innerIndex !== null) {
        if (field?.type !== "repeat" && field?.id) refs.push(...refsOf(field));
      } else refs.push(...refsOf(field));
    });
  });
  if (innerIndex !== null) {
    const group = asList(steps)[stepIndex]?.fields?.[fieldIndex];
    asList(group?.fields)
      .slice(0, innerIndex)
      .forEach((inner) => refs.push(...refsOf(inner)));
  }
  return refs;
}

/** The type picker and button that add a field at the end of a list. */
function AddField({ id, parts, inRepeat, onAdd }) {
  const types = (parts?.field_types || []).filter((item) => !(inRepeat && item.name === "repeat"));
  const [type, setType] = useState(types[0]?.name || "");
  return (
    <div class="builder-add">
      <SelectField
        id={`${id}-type`}
        label={t("console.builder.steps.new_field_type")}
        value={type}
        options={types.map((item) => [item.name, pick(item.label) || item.name])}
        onChange={setType}
      />
      <Button variant="secondary" id={`${id}-add`} onClick={() => type && onAdd(type)} disabled={!types.length}>
        {t("console.builder.steps.add_field")}
      </Button>
    </div>
  );
}

/** One field in a list: a row with its name, type and buttons; the editor when opened. */
function FieldRow({ field, index, path, controls, ctx }) {
  const { open, toggle, problems, parts, readOnly, steps, stepIndex, innerOf } = ctx;
  const here = problemsUnder(problems, path);
  const isOpen = open(field, path, here.length > 0);
  const name = fieldName(field, index);
  const editorId = `${inputIdFor(path)}-editor`;
  const [target, setTarget] = useState("");
  const otherSteps = innerOf === null ? asList(steps).map((step, at) => [at, step]).filter(([at]) => at !== stepIndex) : [];
  return (
    <div class="builder-fieldrow" id={inputIdFor(path)} tabIndex={-1}>
      <div class="builder-item__head">
        <h5 class="kern-heading-small builder-fieldrow__title">
          {pick(field?.label) || field?.id || t("console.builder.steps.unnamed")}
          <span class="builder-fieldrow__meta">
            {typeLabel(parts, field?.type)}
            {field?.id ? ` · ${field.id}` : ""}
            {field?.required ? ` · ${t("console.builder.steps.required_short")}` : ""}
            {field?.visible_if ? ` · ${t("console.builder.steps.conditional_short")}` : ""}
          </span>
        </h5>
        {here.length > 0 && <Badge kind="danger">{t("console.builder.steps.problems", { count: here.length })}</Badge>}
      </div>
      <div class="builder-item__actions">
        <button
          type="button"
          class="kern-btn kern-btn--secondary"
          id={`${inputIdFor(path)}-toggle`}
          aria-expanded={isOpen ? "true" : "false"}
          aria-controls={isOpen ? editorId : undefined}
          onClick={() => toggle(field, path, !isOpen)}
        >
          <span class="kern-label">
            {isOpen ? t("console.builder.steps.close") : t("console.builder.steps.edit")}
            <span class="visually-hidden"> {name}</span>
          </span>
        </button>
        {controls}
        {!readOnly && otherSteps.length > 0 && (
          <div class="builder-move">
            <SelectField
              id={`${inputIdFor(path)}-target`}
              label={t("console.builder.steps.move_to", { item: name })}
              value={target}
              placeholder={t("console.builder.condition.choose")}
              options={otherSteps.map(([at, step]) => [String(at), stepName(step, at)])}
              onChange={setTarget}
            />
            <Button variant="tertiary" disabled={target === ""} onClick={() => target !== "" && ctx.moveToStep(index, Number(target))}>
              {t("console.builder.steps.move")}
              <span class="visually-hidden"> {name}</span>
            </Button>
          </div>
        )}
        {!readOnly && (
          <Button variant="tertiary" id={`${inputIdFor(path)}-remove`} onClick={() => ctx.removeField(index)}>
            {t("console.builder.steps.remove_field", { item: name })}
          </Button>
        )}
      </div>
      {isOpen && (
        <div id={editorId}>
          <FieldEditor
            field={field || {}}
            path={path}
            onChange={(next) => ctx.changeField(index, next)}
            definition={ctx.definition}
            parts={parts}
            languages={ctx.languages}
            problems={problems}
            fieldScope={innerOf === null ? scopeFor(steps, stepIndex, index) : scopeFor(steps, stepIndex, innerOf, index)}
            inRepeat={innerOf !== null}
            readOnly={readOnly}
            renderFields={(innerPath, innerFields, onInner) => (
              <FieldList
                path={innerPath}
                fields={innerFields}
                onFieldsChange={onInner}
                ctx={{ ...ctx, innerOf: index }}
                label={t("console.builder.steps.group_fields", { name: pick(field?.label) || field?.id || "" })}
              />
            )}
          />
        </div>
      )}
    </div>
  );
}

/** The fields of a step (or of a repeat group): reorder, add, remove, edit, move away. */
function FieldList({ path, fields, onFieldsChange, ctx, label }) {
  const { definition, parts, problems, readOnly, say, focusLater } = ctx;
  const inRepeat = ctx.innerOf !== null;
  const listError = problemsAt(problems, path).join(" ");
  const changeField = (index, next) => {
    const before = fields[index];
    if (before?.id !== next?.id) ctx.rename(before, next, `${path}[${index}]`);
    onFieldsChange(fields.map((field, at) => (at === index ? next : field)));
  };
  const removeField = (index) => {
    const name = fieldName(fields[index], index);
    onFieldsChange(fields.filter((_, at) => at !== index));
    say(t("console.builder.steps.field_removed", { item: name }));
    focusLater(`${inputIdFor(path)}-add`);
  };
  const addField = (type) => {
    const field = changeType({ id: freeId(type, usedIds(definition)), label: {} }, type, parts);
    const at = fields.length;
    onFieldsChange([...fields, field]);
    ctx.toggle(field, `${path}[${at}]`, true);
    say(t("console.builder.steps.field_added", { type: typeLabel(parts, type), position: at + 1 }));
    focusLater(inputIdFor(`${path}[${at}].label.${ctx.languages[0]}`));
  };
  const rowCtx = {
    ...ctx,
    changeField,
    removeField,
    moveToStep: (index, stepIndex) => ctx.moveToStep(ctx.stepIndex, index, stepIndex),
  };
  return (
    <div class="builder-fields" id={inputIdFor(path)} tabIndex={-1}>
      <h4 class="kern-heading-small builder-fields__title">{label}</h4>
      {listError && (
        <p class="kern-error">
          <span class="kern-body">{listError}</span>
        </p>
      )}
      {fields.length === 0 && <p class="kern-body">{t("console.builder.steps.no_fields")}</p>}
      <ReorderList
        items={fields}
        listId={`fields-${path}`}
        label={label}
        itemName={fieldName}
        idFor={(index) => inputIdFor(`${path}[${index}]`)}
        onMove={(from, to) => onFieldsChange(move(fields, from, to))}
        readOnly={readOnly}
        renderItem={(field, index, controls) => <FieldRow field={field} index={index} path={`${path}[${index}]`} controls={controls} ctx={rowCtx} />}
      />
      {!readOnly && <AddField id={inputIdFor(path)} parts={parts} inRepeat={inRepeat} onAdd={addField} />}
    </div>
  );
}

/** One step: id, texts, condition and its fields; removing one with fields asks first. */
function StepItem({ step, index, controls, ctx }) {
  const { definition, parts, problems, languages, readOnly, steps } = ctx;
  const path = `steps[${index}]`;
  const [confirming, setConfirming] = useState(false);
  const fields = asList(step?.fields);
  const name = stepName(step, index);
  const headingId = `${inputIdFor(path)}-heading`;
  const set = (key, value) => ctx.changeStep(index, setIn(step || {}, [key], value));
  const ownProblems = problemsAt(problems, path).join(" ");
  return (
    <section class="builder-step" id={inputIdFor(path)} tabIndex={-1} aria-labelledby={headingId}>
      <div class="builder-item__head">
        <h3 class="kern-heading-medium" id={headingId}>
          {t("console.builder.steps.step_heading", { n: index + 1, name: pick(step?.title) || step?.id || "" })}
        </h3>
        {controls}
      </div>
      {ownProblems && (
        <p class="kern-error">
          <span class="kern-body">{ownProblems}</span>
        </p>
      )}
      <fieldset class="builder-step__texts" disabled={readOnly}>
        <legend class="visually-hidden">{t("console.builder.steps.step_texts", { item: name })}</legend>
        <TextField
          id={inputIdFor(`${path}.id`)}
          label={t("console.builder.steps.step_id")}
          hint={t("console.builder.field.id_hint")}
          error={problemsAt(problems, `${path}.id`).join(" ") || undefined}
          value={step?.id || ""}
          spellcheck={false}
          onInput={(text) => set("id", text || undefined)}
        />
        <LocalizedInput path={`${path}.title`} label={t("console.builder.steps.step_title")} value={step?.title} languages={languages} problems={problems} onChange={(value) => set("title", value)} />
        <LocalizedInput
          path={`${path}.description`}
          label={t("console.builder.steps.step_description")}
          value={step?.description}
          languages={languages}
          problems={problems}
          onChange={(value) => set("description", value)}
          multiline
        />
      </fieldset>
      <ConditionEditor
        path={`${path}.visible_if`}
        value={step?.visible_if}
        onChange={(value) => set("visible_if", value)}
        definition={definition}
        parts={parts}
        languages={languages}
        problems={problems}
        fieldScope={scopeFor(steps, index)}
        label={t("console.builder.steps.step_visible_if", { item: name })}
        emptyText={t("console.builder.steps.step_always_visible")}
        readOnly={readOnly}
      />
      <FieldList
        path={`${path}.fields`}
        fields={fields}
        onFieldsChange={(next) => set("fields", next)}
        ctx={{ ...ctx, stepIndex: index, innerOf: null }}
        label={t("console.builder.steps.fields_of", { item: name })}
      />
      {!readOnly &&
        (confirming ? (
          <Confirm
            id={`${inputIdFor(path)}-confirm`}
            question={t("console.builder.steps.remove_step_question", { item: name, count: fields.length })}
            effect={t("console.builder.steps.remove_step_effect")}
            confirmLabel={t("console.builder.steps.remove_step_confirm")}
            onConfirm={() => {
              setConfirming(false);
              ctx.removeStep(index);
            }}
            onCancel={() => {
              setConfirming(false);
              ctx.focusLater(`${inputIdFor(path)}-remove`);
            }}
          />
        ) : (
          <Button variant="tertiary" id={`${inputIdFor(path)}-remove`} onClick={() => (fields.length ? setConfirming(true) : ctx.removeStep(index))}>
            {t("console.builder.steps.remove_step", { item: name })}
          </Button>
        ))}
    </section>
  );
}

/** The builder section for the form's steps and fields (signature shared by every section). */
export function StepsSection({ definition, onChange, problems, parts, languages, readOnly = false }) {
  const steps = asList(definition.steps);
  const [region, say] = useAnnouncer();
  const focusLater = useFocusAfterRender();
  // Which field editors are open (by field id, or path while a field has no id); a
  // field with problems opens by itself so that the problem list's links find it.
  const [opened, setOpened] = useState({});
  const keyOf = (field, path) => (field?.id ? `id:${field.id}` : `path:${path}`);
  const setSteps = (next) => onChange(setIn(definition, ["steps"], next));
  const ctx = {
    definition,
    parts,
    problems,
    languages: languages?.length ? languages : ["de", "en"],
    readOnly,
    steps,
    say,
    focusLater,
    open: (field, path, hasProblems) => opened[keyOf(field, path)] ?? hasProblems,
    toggle: (field, path, value) => setOpened((before) => ({ ...before, [keyOf(field, path)]: value })),
    rename: (before, after, path) =>
      setOpened((state) => {
        const old = keyOf(before, path);
        if (!(old in state)) return state;
        const next = { ...state, [keyOf(after, path)]: state[old] };
        delete next[old];
        return next;
      }),
    changeStep: (index, step) => setSteps(steps.map((item, at) => (at === index ? step : item))),
    removeStep: (index) => {
      const name = stepName(steps[index], index);
      setSteps(steps.filter((_, at) => at !== index));
      say(t("console.builder.steps.step_removed", { item: name }));
      focusLater("builder-steps-add");
    },
    moveToStep: (fromStep, fieldIndex, toStep) => {
      const field = asList(steps[fromStep]?.fields)[fieldIndex];
      const next = steps.map((step, at) => {
        if (at === fromStep) return { ...step, fields: asList(step.fields).filter((_, f) => f !== fieldIndex) };
        if (at === toStep) return { ...step, fields: [...asList(step.fields), field] };
        return step;
      });
      setSteps(next);
      const position = asList(next[toStep].fields).length;
      say(t("console.builder.steps.field_moved_to_step", { item: fieldName(field, fieldIndex), step: stepName(next[toStep], toStep), position }));
      focusLater(`${inputIdFor(`steps[${toStep}].fields[${position - 1}]`)}-toggle`);
    },
  };
  const addStep = () => {
    const taken = new Set(steps.map((step) => step?.id));
    const at = steps.length;
    setSteps([...steps, { id: freeId("step", taken), title: {}, fields: [] }]);
    say(t("console.builder.steps.step_added", { position: at + 1 }));
    focusLater(inputIdFor(`steps[${at}].title.${ctx.languages[0]}`));
  };
  const topProblems = problemsAt(problems, "steps").join(" ");
  return (
    <div class="builder-steps" id={inputIdFor("steps")} tabIndex={-1}>
      <p class="kern-body">{t("console.builder.steps.intro")}</p>
      {topProblems && (
        <p class="kern-error">
          <span class="kern-body">{topProblems}</span>
        </p>
      )}
      <ReorderList
        items={steps}
        listId="steps"
        label={t("console.builder.steps.list")}
        itemName={stepName}
        idFor={(index) => inputIdFor(`steps[${index}]`)}
        onMove={(from, to) => setSteps(move(steps, from, to))}
        readOnly={readOnly}
        class="builder-reorder--steps"
        renderItem={(step, index, controls) => <StepItem step={step} index={index} controls={controls} ctx={ctx} />}
      />
      {!readOnly && (
        <Button id="builder-steps-add" onClick={addStep}>
          {t("console.builder.steps.add_step")}
        </Button>
      )}
      {region}
    </div>
  );
}
