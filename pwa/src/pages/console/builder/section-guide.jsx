// The builder's "Anleitung": the service's guide page ("So beantragen Sie …"). What to
// have at hand beyond what the guide derives by itself, a note per step, an example
// answer for each top-level field entered with the citizen's own field components (as
// the phone preview shows them), and what happens after sending. Problems the server
// reports under ``guide…`` stand at their inputs: an input's id is made from its path.
import { useState } from "preact/hooks";
import { Field } from "../../../components/fields.jsx";
import { Button, TextField } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { useAnnouncer } from "./announcer.jsx";
import {
  CITY_ADDRESS,
  boundsFromToday,
  derivedBefore,
  exampleValue,
  guideSteps,
  hiddenByExamples,
  isCityAddress,
  isRelativeDate,
  strayParts,
  takesNoExample,
  withGuidePart,
} from "./guide-model.js";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, move, problemsAt, problemsUnder } from "./paths.js";
import { fieldReady } from "./phone-preview.jsx";
import { Checkbox, ItemActions, ItemProblems, SectionFrame } from "./sections-shared.jsx";
import "./guide.css";

// The field components' context: no draft to upload to (files get no example anyway).
const GUIDE_CONTEXT = { guide: true };

const fieldLabel = (field) => pick(field?.label) || field?.id || "";

/** Problems under ``guide.examples`` by path, as the field components read their errors. */
function exampleErrors(problems) {
  const errors = {};
  for (const problem of problems || []) {
    if (!problem.field.startsWith("guide.examples.")) continue;
    errors[problem.field] = errors[problem.field] ? `${errors[problem.field]} ${problem.message}` : problem.message;
  }
  return errors;
}

/**
 * Problems under ``path`` that no input here shows: not at one of the ``shown`` paths,
 * nor inside a block ``within`` that shows its own (a repeat item's fields). So a
 * problem at a part the inputs lack (``…dogs[0].colour``) still stands in its block.
 */
function Unshown({ problems, path, shown = [path], within = [] }) {
  const inside = (field, prefix) => field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
  const left = problemsUnder(problems, path).filter((problem) => !shown.includes(problem.field) && !within.some((prefix) => inside(problem.field, prefix)));
  return left.map((problem, index) => (
    <p class="kern-error" key={`${index}-${problem.field}`}>
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
      <span class="kern-body">{problem.message}</span>
    </p>
  ));
}

/** The paths the field component shows a problem at (an address: its parts too). */
function componentPaths(field, path) {
  if (field.type !== "address") return [path];
  const parts = isCityAddress(field) ? ["street", "house_number"] : ["street", "house_number", "postal_code", "city"];
  return [path, ...parts.map((part) => `${path}.${part}`)];
}

function focusSoon(id) {
  setTimeout(() => document.getElementById(id)?.focus());
}

/** "Kein Beispiel" for one field; afterwards the focus goes back to its input. */
function NoExample({ field, present, onClear, focusId }) {
  return (
    <Button
      variant="tertiary"
      disabled={!present}
      onClick={() => {
        onClear();
        focusSoon(focusId);
      }}
    >
      {t("console.builder.guide.no_example")}
      <span class="visually-hidden"> {t("console.builder.guide.for_field", { name: fieldLabel(field) })}</span>
    </Button>
  );
}

/** A sentence under a field the other examples hide (an example there is a problem). */
function HiddenNote({ hidden }) {
  if (!hidden) return null;
  return <p class="kern-body kern-body--small builder-guide-note">{t("console.builder.guide.hidden_by_examples")}</p>;
}

/**
 * A date's example: a day picked as the citizen would, or a distance from the day the
 * guide is shown ("-30y"), which is what a field whose bounds count from today needs.
 */
function DateExample({ field, path, id, value, errors, onChange }) {
  const [relative, setRelative] = useState(isRelativeDate(value) || boundsFromToday(field));
  return (
    <>
      <Checkbox
        id={`${id}-relative`}
        label={t("console.builder.guide.relative_date", { name: fieldLabel(field) })}
        hint={t("console.builder.guide.relative_date_hint")}
        checked={relative}
        onChange={(on) => {
          setRelative(on);
          onChange(undefined);
        }}
      />
      {relative ? (
        <TextField
          id={id}
          label={fieldLabel(field)}
          hint={t("console.builder.guide.relative_date_format")}
          error={errors[path]}
          value={isRelativeDate(value) ? value : typeof value === "string" ? value : ""}
          onInput={(text) => onChange(text.trim() || undefined)}
          spellcheck={false}
          class="kern-form-input__input kern-form-input__input--width-10"
        />
      ) : (
        <Field field={field} path={path} id={id} value={value} errors={errors} onChange={(next) => onChange(exampleValue(field, next))} context={GUIDE_CONTEXT} />
      )}
    </>
  );
}

/** The example of one field, entered as a citizen would answer (not for repeat groups). */
function ExampleInput({ field, path, value, errors, problems, hidden, onChange }) {
  const id = inputIdFor(path);
  if (takesNoExample(field)) {
    return (
      <div class="builder-guide-example" id={id} tabIndex={-1}>
        <p class="kern-body kern-body--bold">{fieldLabel(field)}</p>
        <p class="kern-body">{t(field.type === "file" ? "console.builder.guide.file_no_example" : "console.builder.guide.data_no_example")}</p>
        <Unshown problems={problems} path={path} shown={[]} />
        {value !== undefined && <NoExample field={field} present onClear={() => onChange(undefined)} focusId={id} />}
      </div>
    );
  }
  if (!fieldReady(field, path.includes("["))) {
    return (
      <div class="builder-guide-example" id={id} tabIndex={-1}>
        <p class="kern-body kern-body--bold">{fieldLabel(field)}</p>
        <p class="kern-body">{t("console.builder.guide.field_unfinished")}</p>
        <Unshown problems={problems} path={path} shown={[]} />
        {value !== undefined && <NoExample field={field} present onClear={() => onChange(undefined)} focusId={id} />}
      </div>
    );
  }
  const city = isCityAddress(field);
  const usesCity = city && value === CITY_ADDRESS;
  const focusId = city ? `${id}-city` : id;
  return (
    // With the city's example address there is no address input: the problems list
    // then finds this block by the field's path.
    <div class="builder-guide-example" id={usesCity ? id : undefined} tabIndex={usesCity ? -1 : undefined}>
      {city && (
        <Checkbox
          id={`${id}-city`}
          label={t("console.builder.guide.city_address", { name: fieldLabel(field) })}
          hint={t("console.builder.guide.city_address_hint")}
          error={usesCity ? errors[path] : undefined}
          checked={usesCity}
          onChange={(on) => onChange(on ? CITY_ADDRESS : undefined)}
        />
      )}
      {field.type === "date" && <DateExample field={field} path={path} id={id} value={value} errors={errors} onChange={onChange} />}
      {!usesCity && field.type !== "date" && (
        <Field
          field={field}
          path={path}
          id={id}
          value={value}
          errors={errors}
          onChange={(next) => onChange(exampleValue(field, next))}
          context={GUIDE_CONTEXT}
        />
      )}
      <Unshown problems={problems} path={path} shown={usesCity ? [path] : componentPaths(field, path)} />
      {field.type === "checkbox" && (
        <p class="kern-body kern-body--small builder-guide-note">
          {t(value === true ? "console.builder.guide.checked" : value === false ? "console.builder.guide.unchecked" : "console.builder.guide.none")}
        </p>
      )}
      <HiddenNote hidden={hidden} />
      <div class="sec-actions">
        <NoExample field={field} present={value !== undefined} onClear={() => onChange(undefined)} focusId={focusId} />
      </div>
    </div>
  );
}

/** A repeat group's examples: one or more items, each with the group's own fields. */
function RepeatExamples({ field, path, value, errors, problems, hidden, hiddenItems, onChange, say }) {
  const items = Array.isArray(value) ? value : [];
  const id = inputIdFor(path);
  const itemName = (index) => t("console.builder.guide.item", { number: index + 1 });
  const max = field.max_items || Infinity;
  const setItems = (next) => onChange(next.length ? next : undefined);
  const add = () => {
    setItems([...items, {}]);
    say(t("console.builder.guide.item_added", { name: fieldLabel(field), number: items.length + 1 }));
    const first = (field.fields || []).find((inner) => inner?.id && !takesNoExample(inner));
    focusSoon(first ? inputIdFor(`${path}[${items.length}].${first.id}`) : `${id}-add`);
  };
  if (!fieldReady(field)) {
    return (
      <div class="builder-guide-example" id={id} tabIndex={-1}>
        <p class="kern-body kern-body--bold">{fieldLabel(field)}</p>
        <p class="kern-body">{t("console.builder.guide.field_unfinished")}</p>
      </div>
    );
  }
  return (
    <fieldset class="sec-group builder-guide-repeat" id={id} tabIndex={-1}>
      <legend class="kern-label">{t("console.builder.guide.repeat_legend", { name: fieldLabel(field) })}</legend>
      <Unshown problems={problems} path={path} shown={[]} within={items.map((_, index) => `${path}[${index}]`)} />
      {items.length === 0 && <p class="kern-body">{t("console.builder.guide.no_items")}</p>}
      {items.map((item, index) => {
        const itemPath = `${path}[${index}]`;
        return (
          <fieldset class="sec-item" key={index} id={inputIdFor(itemPath)} tabIndex={-1}>
            <legend class="kern-label">{itemName(index)}</legend>
            <Unshown problems={problems} path={itemPath} shown={[]} within={(field.fields || []).filter((inner) => inner?.id).map((inner) => `${itemPath}.${inner.id}`)} />
            {(field.fields || [])
              .filter((inner) => inner?.id)
              .map((inner) => (
                <ExampleInput
                  key={inner.id}
                  field={inner}
                  path={`${itemPath}.${inner.id}`}
                  value={item?.[inner.id]}
                  errors={errors}
                  problems={problems}
                  hidden={hiddenItems?.[index]?.has(inner.id)}
                  onChange={(next) => {
                    const changed = { ...(item || {}) };
                    if (next === undefined) delete changed[inner.id];
                    else changed[inner.id] = next;
                    setItems(items.map((other, at) => (at === index ? changed : other)));
                  }}
                />
              ))}
            <div class="sec-actions">
              <Button
                variant="secondary"
                id={`${inputIdFor(itemPath)}-remove`}
                onClick={() => {
                  setItems(items.filter((_, at) => at !== index));
                  say(t("console.builder.guide.item_removed", { name: fieldLabel(field), number: index + 1 }));
                  focusSoon(`${id}-add`);
                }}
              >
                {t("console.builder.guide.remove_item", { number: index + 1 })}
                <span class="visually-hidden"> {t("console.builder.guide.for_field", { name: fieldLabel(field) })}</span>
              </Button>
            </div>
          </fieldset>
        );
      })}
      <HiddenNote hidden={hidden} />
      <div class="sec-actions">
        <Button variant="secondary" id={`${id}-add`} onClick={add} disabled={items.length >= max}>
          {t("console.builder.guide.add_item")}
          <span class="visually-hidden"> {t("console.builder.guide.for_field", { name: fieldLabel(field) })}</span>
        </Button>
        <NoExample field={field} present={items.length > 0} onClear={() => onChange(undefined)} focusId={`${id}-add`} />
      </div>
    </fieldset>
  );
}

/** "Was Sie bereithalten sollten": what the guide names by itself, then the admin's list. */
function BeforeList({ definition, languages, problems, change, say }) {
  const before = Array.isArray(definition.guide?.before) ? definition.guide.before : [];
  const derived = derivedBefore(definition);
  const listId = inputIdFor("guide.before");
  const setBefore = (next) => change(["before"], next.length ? next : undefined);
  const name = (index) => t("console.builder.guide.before_item", { number: index + 1 });
  return (
    <section class="kern-stack builder-guide-part" aria-labelledby="guide-before-heading">
      <h3 class="kern-heading-small" id="guide-before-heading">
        {t("console.builder.guide.before_heading")}
      </h3>
      {derived.length ? (
        <div class="builder-guide-derived">
          <p class="kern-body">{t("console.builder.guide.derived_intro")}</p>
          <ul class="kern-list">
            {derived.map((item) => (
              <li class="kern-body" key={item.kind}>
                {t(`console.builder.guide.derived.${item.kind}`, { fields: item.fields.map((label) => `„${pick(label) || label}“`).join(", ") })}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="kern-body builder-guide-derived">{t("console.builder.guide.derived_none")}</p>
      )}
      <ItemProblems problems={problems} path="guide.before" />
      {before.length === 0 && <p class="kern-body">{t("console.builder.guide.before_none")}</p>}
      {before.map((item, index) => (
        <div class="sec-item" key={index}>
          <LocalizedInput
            path={`guide.before[${index}]`}
            label={name(index)}
            value={item}
            languages={languages}
            problems={problems}
            onChange={(value) => setBefore(before.map((other, at) => (at === index ? value || {} : other)))}
          />
          <ItemActions
            name={name(index)}
            index={index}
            count={before.length}
            listId={listId}
            onMove={(from, to) => {
              setBefore(move(before, from, to));
              say(t("console.builder.sections.moved", { name: name(from), position: to + 1, count: before.length }));
            }}
            onRemove={(at) => {
              setBefore(before.filter((_, i) => i !== at));
              say(t("console.builder.guide.before_removed", { name: name(at) }));
              focusSoon(`${listId}-add`);
            }}
          />
        </div>
      ))}
      <div>
        <Button
          variant="secondary"
          id={`${listId}-add`}
          onClick={() => {
            setBefore([...before, {}]);
            say(t("console.builder.guide.before_added", { number: before.length + 1 }));
            focusSoon(inputIdFor(`guide.before[${before.length}].${languages[0]}`));
          }}
        >
          {t("console.builder.guide.before_add")}
        </Button>
      </div>
    </section>
  );
}

/** One step: its note and the example of each of its top-level fields. */
function StepGuide({ step, index, fields, definition, languages, problems, errors, hidden, change, say }) {
  const examples = definition.guide?.examples || {};
  const headingId = `guide-step-${index}-heading`;
  return (
    <section class="kern-stack builder-guide-part guide-step" aria-labelledby={headingId}>
      <h3 class="kern-heading-small" id={headingId}>
        {t("console.builder.guide.step_heading", { number: index + 1, name: pick(step.title) || step.id })}
      </h3>
      <LocalizedInput
        path={`guide.steps.${step.id}`}
        label={t("console.builder.guide.note")}
        hint={t("console.builder.guide.note_hint", { city: "{city}" })}
        value={definition.guide?.steps?.[step.id]}
        languages={languages}
        problems={problems}
        multiline
        onChange={(value) => change(["steps", step.id], value)}
      />
      {fields.length === 0 ? (
        <p class="kern-body">{t("console.builder.guide.no_fields")}</p>
      ) : (
        <fieldset class="sec-plain guide-examples">
          <legend class="kern-label">{t("console.builder.guide.examples_legend", { name: pick(step.title) || step.id })}</legend>
          {fields.map((field) => {
            const path = `guide.examples.${field.id}`;
            const set = (value) => change(["examples", field.id], value);
            return field.type === "repeat" ? (
              <RepeatExamples
                key={field.id}
                field={field}
                path={path}
                value={examples[field.id]}
                errors={errors}
                problems={problems}
                hidden={hidden.top.has(field.id)}
                hiddenItems={hidden.items[field.id]}
                onChange={set}
                say={say}
              />
            ) : (
              <ExampleInput key={field.id} field={field} path={path} value={examples[field.id]} errors={errors} problems={problems} hidden={hidden.top.has(field.id)} onChange={set} />
            );
          })}
        </fieldset>
      )}
    </section>
  );
}

/** Notes and examples whose step or field the form no longer has: shown to be removed. */
function StrayParts({ definition, problems, change }) {
  const stray = strayParts(definition);
  if (!stray.steps.length && !stray.examples.length) return null;
  const rows = [...stray.steps.map((id) => ["steps", id]), ...stray.examples.map((id) => ["examples", id])];
  return (
    <section class="kern-stack builder-guide-part" aria-labelledby="guide-stray-heading">
      <h3 class="kern-heading-small" id="guide-stray-heading">
        {t("console.builder.guide.stray_heading")}
      </h3>
      <p class="kern-body">{t("console.builder.guide.stray_intro")}</p>
      <ul class="kern-list builder-guide-stray">
        {rows.map(([part, id]) => {
          const path = `guide.${part}.${id}`;
          const text = t(`console.builder.guide.stray_${part}`, { id });
          return (
            <li key={path} class="kern-body">
              <span id={inputIdFor(path)} tabIndex={-1}>
                {text}
              </span>
              {problemsAt(problems, path).map((message) => (
                <span class="kern-error builder-guide-stray__problem" key={message}>
                  <span class="kern-body">{message}</span>
                </span>
              ))}{" "}
              <Button variant="tertiary" onClick={() => change([part, id], undefined)}>
                {t("console.builder.sections.remove_short")}
                <span class="visually-hidden"> ({text})</span>
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The builder section for the guide page (signature shared by every section). */
export function GuideSection({ definition, onChange, problems, languages, readOnly }) {
  const [region, say] = useAnnouncer();
  const langs = languages?.length ? languages : ["de", "en"];
  const change = (keys, value) => onChange(withGuidePart(definition, keys, value));
  const errors = exampleErrors(problems);
  const hidden = hiddenByExamples(definition);
  return (
    <SectionFrame titleKey="console.builder.section.guide" introKey="console.builder.guide.intro" readOnly={readOnly}>
      {region}
      <ItemProblems problems={problems} path="guide" />
      <BeforeList definition={definition} languages={langs} problems={problems} change={change} say={say} />
      <ItemProblems problems={problems} path="guide.steps" />
      <ItemProblems problems={problems} path="guide.examples" />
      {guideSteps(definition).map(({ step, index, fields }) => (
        <StepGuide
          key={`${index}-${step.id}`}
          step={step}
          index={index}
          fields={fields}
          definition={definition}
          languages={langs}
          problems={problems}
          errors={errors}
          hidden={hidden}
          change={change}
          say={say}
        />
      ))}
      <section class="kern-stack builder-guide-part" aria-labelledby="guide-after-heading">
        <h3 class="kern-heading-small" id="guide-after-heading">
          {t("console.builder.guide.after_heading")}
        </h3>
        <LocalizedInput
          path="guide.after"
          label={t("console.builder.guide.after")}
          hint={t("console.builder.guide.after_hint")}
          value={definition.guide?.after}
          languages={langs}
          problems={problems}
          multiline
          onChange={(value) => change(["after"], value)}
        />
      </section>
      <StrayParts definition={definition} problems={problems} change={change} />
    </SectionFrame>
  );
}
