// One text of a definition in every configured language ({de: "…", en: "…"}), one input
// per language, each labelled with its language and showing the problems at its path.
import { TextField } from "../../../components/forms.jsx";
import { t } from "../../../lib/i18n.js";
import { inputIdFor, problemsAt, setIn } from "./paths.js";

/**
 * @param {object} props
 * @param {string} props.path path of the text in the definition ("title", "steps[0].title")
 * @param {string} props.label what the text is ("Titel")
 * @param {object|undefined} props.value the text by language
 * @param {string[]} props.languages configured languages, German first
 * @param {Array} props.problems the builder's problems ({field, message})
 * @param {(value: object|undefined) => void} props.onChange
 */
export function LocalizedInput({ path, label, hint, value, languages, problems, onChange, multiline = false }) {
  return (
    <fieldset class="kern-fieldset builder-localized">
      <legend class="kern-label">{label}</legend>
      {hint && <p class="kern-hint">{hint}</p>}
      {languages.map((language) => {
        const here = `${path}.${language}`;
        const errors = [...problemsAt(problems, here), ...(language === languages[0] ? problemsAt(problems, path) : [])];
        return (
          <TextField
            key={language}
            id={inputIdFor(here)}
            label={t(`console.builder.language_${language}`)}
            error={errors.join(" ") || undefined}
            value={(value && value[language]) || ""}
            multiline={multiline}
            onInput={(text) => {
              const next = setIn(value || {}, [language], text || undefined);
              onChange(Object.keys(next).length ? next : undefined);
            }}
          />
        );
      })}
    </fieldset>
  );
}
