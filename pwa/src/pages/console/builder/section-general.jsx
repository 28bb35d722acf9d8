// The builder's general data of a service: title and description, LeiKa key, category,
// area, trust level (with its note), residents only, processing target. Id and version
// are shown, not edited: they name the record being edited.
import { TextField } from "../../../components/forms.jsx";
import { t } from "../../../lib/i18n.js";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, setIn } from "./paths.js";
import { Checkbox, ItemProblems, Select, SectionFrame, errorAt, partChoices, wholeNumber } from "./sections-shared.jsx";

export function GeneralSection({ definition, onChange, problems, parts, languages, readOnly }) {
  const set = (keys, value) => onChange(setIn(definition, keys, value));
  const needsNote = definition.trust_level !== "basic" || definition.trust_note !== undefined;
  const categoryList = `${inputIdFor("category")}-known`;
  const targetDays = definition.processing?.target_days;
  return (
    <SectionFrame titleKey="console.builder.section.general" introKey="console.builder.general.intro" readOnly={readOnly}>
      <dl class="kern-description-list sec-facts">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("console.builder.general.id")}</dt>
          <dd class="kern-description-list-item__value">
            <code>{definition.id}</code>
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("console.builder.general.version")}</dt>
          <dd class="kern-description-list-item__value">{definition.version}</dd>
        </div>
      </dl>
      <ItemProblems problems={problems} path="id" />
      <ItemProblems problems={problems} path="version" />
      <LocalizedInput path="title" label={t("console.builder.general.service_title")} value={definition.title} languages={languages} problems={problems} onChange={(value) => set(["title"], value)} />
      <LocalizedInput
        path="description"
        label={t("console.builder.general.description")}
        hint={t("console.builder.general.description_hint")}
        value={definition.description}
        languages={languages}
        problems={problems}
        multiline
        onChange={(value) => set(["description"], value)}
      />
      <TextField
        id={inputIdFor("leika")}
        label={t("console.builder.general.leika")}
        hint={t("console.builder.general.leika_hint")}
        error={errorAt(problems, "leika")}
        value={definition.leika ?? ""}
        inputMode="numeric"
        autocomplete="off"
        spellcheck={false}
        onInput={(text) => set(["leika"], text.trim() ? text.trim() : null)}
      />
      <TextField
        id={inputIdFor("category")}
        label={t("console.builder.general.category")}
        hint={t("console.builder.general.category_hint")}
        error={errorAt(problems, "category")}
        value={definition.category ?? ""}
        list={categoryList}
        autocomplete="off"
        spellcheck={false}
        onInput={(text) => set(["category"], text.trim() || undefined)}
      />
      <datalist id={categoryList}>
        {(parts.categories || []).map((category) => (
          <option key={category} value={category} />
        ))}
      </datalist>
      <Select
        id={inputIdFor("area")}
        label={t("console.builder.general.area")}
        hint={t("console.builder.general.area_hint")}
        error={errorAt(problems, "area")}
        value={definition.area}
        empty={t("console.builder.general.area_none")}
        choices={partChoices(parts.areas, null, definition.area)}
        onChange={(value) => set(["area"], value || undefined)}
      />
      <Select
        id={inputIdFor("trust_level")}
        label={t("console.builder.general.trust_level")}
        hint={t("console.builder.general.trust_level_hint")}
        error={errorAt(problems, "trust_level")}
        value={definition.trust_level}
        choices={partChoices(parts.trust_levels, "console.builder.value.trust_level", definition.trust_level)}
        onChange={(value) => {
          // A basic service has nothing to explain; an empty note would only be a problem.
          const next = setIn(definition, ["trust_level"], value);
          onChange(value === "high" ? next : setIn(next, ["trust_note"], undefined));
        }}
      />
      {needsNote ? (
        <LocalizedInput
          path="trust_note"
          label={t("console.builder.general.trust_note")}
          hint={t("console.builder.general.trust_note_hint")}
          value={definition.trust_note}
          languages={languages}
          problems={problems}
          multiline
          onChange={(value) => set(["trust_note"], value)}
        />
      ) : (
        <p class="kern-body sec-why">{t("console.builder.general.trust_note_not_needed")}</p>
      )}
      <Checkbox
        id={inputIdFor("residence")}
        label={t("console.builder.general.residence")}
        hint={t("console.builder.general.residence_hint")}
        error={errorAt(problems, "residence")}
        checked={definition.residence === "city"}
        onChange={(checked) => set(["residence"], checked ? "city" : undefined)}
      />
      {/* A survey is answered, not processed: it has no processing target. */}
      {definition.kind !== "survey" && <TextField
        id={inputIdFor("processing.target_days")}
        label={t("console.builder.general.target_days")}
        hint={t("console.builder.general.target_days_hint")}
        error={[errorAt(problems, "processing.target_days"), errorAt(problems, "processing")].filter(Boolean).join(" ") || undefined}
        value={targetDays ?? ""}
        inputMode="numeric"
        autocomplete="off"
        onInput={(text) => {
          const days = wholeNumber(text);
          set(["processing"], days === undefined ? undefined : { ...(definition.processing || {}), target_days: days });
        }}
      />}
    </SectionFrame>
  );
}
