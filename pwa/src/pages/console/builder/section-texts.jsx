// Every text of a definition in one table: a row per text (where it is, in words), a
// column per language, editable in place, so that a translator fills in English (or a
// later language) in one place. German and English are required; the portal's further
// languages (Turkish, Arabic, Ukrainian …) are optional per text, where German stands
// in, and get their columns on request. The definition is walked generically: any
// object whose keys are all language codes is a text.
import { useState } from "preact/hooks";
import { pick, t } from "../../../lib/i18n.js";
import { LANGUAGES, direction } from "../../../lib/languages.js";
import { inputIdFor, setIn } from "./paths.js";
import { CellInput, Checkbox, SectionFrame, errorAt, pathOf, textOr } from "./sections-shared.jsx";

/** Whether ``value`` is a text: an object of strings keyed by configured languages only. */
function isText(value, languages) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => languages.includes(key) && typeof value[key] === "string");
}

/** Every text below ``value`` as {keys, value}, in the definition's order. */
export function collectTexts(value, languages, keys = [], found = []) {
  if (isText(value, languages)) {
    found.push({ keys, value });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectTexts(item, languages, [...keys, index], found));
  } else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) collectTexts(inner, languages, [...keys, key], found);
  }
  return found;
}

// What an item of a list is called where it sits ("Feld „Name“", "Schritt 2").
const ITEM_NAMES = {
  steps: (item, index) => t("console.builder.texts.where.step", { number: index + 1 }),
  fields: (item) => t("console.builder.texts.where.field", { name: pick(item?.label) || item?.id || "?" }),
  options: (item) => t("console.builder.texts.where.option", { name: item?.value ?? "?" }),
  rules: (item) => t("console.builder.texts.where.rule", { name: item?.id || "?" }),
  tiers: (item, index) => t("console.builder.texts.where.tier", { number: index + 1 }),
  statuses: (item) => t("console.builder.texts.where.status", { name: item?.id || "?" }),
  documents: (item) => t("console.builder.texts.where.document", { name: item?.id || "?" }),
  warnings: (item) => t("console.builder.texts.where.warning", { name: item?.id || "?" }),
  handoff: (item) => t("console.builder.texts.where.handoff", { name: item?.id || "?" }),
  // The guide's "what to have at hand" items.
  before: (item, index) => t("console.builder.texts.where.before", { number: index + 1 }),
};
// Lists named by their items alone.
const LISTS = new Set(Object.keys(ITEM_NAMES));

/** "Schritt 2 › Feld „Name“ › Beschriftung" for the text at ``keys``. */
export function whereText(definition, keys) {
  const parts = [];
  let node = definition;
  keys.forEach((key, index) => {
    const parent = keys[index - 1];
    node = node?.[key];
    if (typeof key === "number") {
      const name = ITEM_NAMES[parent];
      parts.push(name ? name(node, key) : `${parent} ${key + 1}`);
    } else if (!LISTS.has(key)) {
      if (parent === "messages") parts.push(t("console.builder.texts.where.status", { name: key }));
      // The guide's notes are keyed by step id.
      else if (parent === "steps" && keys[index - 2] === "guide") parts.push(t("console.builder.texts.where.guide_step", { name: key }));
      else parts.push(textOr(`console.builder.texts.key.${key}`, key));
    }
  });
  return parts.join(" › ");
}

const missingIn = (text, languages) => languages.some((language) => !text.value[language]);

export function TextsSection({ definition, onChange, problems, languages, readOnly }) {
  // The rows the filter showed when it was switched on stay while they are filled in:
  // a row vanishing under the translator's cursor would lose their place.
  const [onlyMissing, setOnlyMissing] = useState(null);
  const further = LANGUAGES.filter((language) => !languages.includes(language));
  const [showFurther, setShowFurther] = useState(false);
  const columns = showFurther ? [...languages, ...further] : languages;
  const texts = collectTexts(definition, [...languages, ...further]);
  const missing = texts.filter((text) => missingIn(text, languages)).length;
  const shown = onlyMissing ? texts.filter((text) => onlyMissing.has(pathOf(text.keys))) : texts;
  const edit = (keys, language, value, text) => {
    // Emptying the last language keeps an empty text: the row stays and shows its problem.
    const others = Object.keys(text).filter((key) => key !== language && text[key]);
    onChange(setIn(definition, [...keys, language], value || (others.length ? undefined : "")));
  };
  return (
    <SectionFrame titleKey="console.builder.section.texts" introKey="console.builder.texts.intro" readOnly={readOnly}>
      <Checkbox
        id="sec-texts-missing"
        label={t("console.builder.texts.only_missing")}
        hint={t("console.builder.texts.only_missing_hint")}
        checked={onlyMissing !== null}
        onChange={(on) => setOnlyMissing(on ? new Set(texts.filter((text) => missingIn(text, columns)).map((text) => pathOf(text.keys))) : null)}
      />
      {further.length > 0 && (
        <Checkbox
          id="sec-texts-further"
          label={t("console.builder.texts.further", { languages: further.map((language) => t(`console.builder.language_${language}`)).join(", ") })}
          hint={t("console.builder.texts.further_hint")}
          checked={showFurther}
          onChange={setShowFurther}
        />
      )}
      <p class="kern-body" role="status" aria-live="polite">
        {t("console.builder.texts.counts", { shown: shown.length, count: texts.length, missing })}
      </p>
      {shown.length > 0 && (
        <div class="kern-table-responsive sec-table sec-texts" tabIndex={0} role="region" aria-label={t("console.builder.texts.caption")}>
          <table class="kern-table kern-table--small">
            <caption class="visually-hidden">{t("console.builder.texts.caption")}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">{t("console.builder.texts.where_column")}</th>
                {columns.map((language) => (
                  <th class="kern-table__header" scope="col" key={language}>
                    {t(`console.builder.language_${language}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {shown.map((text) => {
                const path = pathOf(text.keys);
                const where = whereText(definition, text.keys);
                // Always a text box (typing never swaps the element and its focus); longer
                // texts get a taller one.
                const longest = Math.max(...Object.values(text.value).map((value) => value.length + 40 * (value.split("\n").length - 1)));
                return (
                  <tr class="kern-table__row" key={path}>
                    <th class="kern-table__header sec-texts__where" scope="row">
                      {where}
                    </th>
                    {columns.map((language) => (
                      <td class={text.value[language] || !languages.includes(language) ? "kern-table__cell" : "kern-table__cell sec-texts__missing"} key={language}>
                        <CellInput
                          id={inputIdFor(`${path}.${language}`)}
                          label={t("console.builder.texts.input_label", { where, language: t(`console.builder.language_${language}`) })}
                          error={[errorAt(problems, `${path}.${language}`), language === languages[0] ? errorAt(problems, path) : undefined].filter(Boolean).join(" ") || undefined}
                          value={text.value[language]}
                          multiline
                          rows={Math.min(8, Math.max(1, Math.ceil(longest / 30)))}
                          onInput={(value) => edit(text.keys, language, value, text.value)}
                          lang={language}
                          dir={direction(language)}
                          placeholder={languages.includes(language) ? undefined : text.value.de}
                        />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </SectionFrame>
  );
}
