// A condition of the definition (visible_if, a fee's when/where, a warning's when)
// edited as its JSON text: the simplest editor that reads and writes every condition
// without loss. Empty means "always".
import { useEffect, useState } from "preact/hooks";
import { TextField } from "../../../components/forms.jsx";
import { t } from "../../../lib/i18n.js";
import { inputIdFor, problemsUnder } from "./paths.js";

const asText = (value) => (value === undefined || value === null ? "" : JSON.stringify(value));

export function ConditionEditor({ path, label, value, onChange, problems }) {
  const [text, setText] = useState(asText(value));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    // Follow changes made elsewhere, never the text being typed.
    if (!invalid && asText(value) !== text.trim()) setText(asText(value));
  }, [value]);
  const messages = [invalid ? t("console.builder.condition.invalid_json") : null, ...problemsUnder(problems, path).map((problem) => problem.message)].filter(Boolean);
  return (
    <TextField
      id={inputIdFor(path)}
      label={label || t("console.builder.condition.label")}
      hint={t("console.builder.condition.hint")}
      error={messages.join(" ") || undefined}
      value={text}
      multiline
      spellcheck={false}
      onInput={(next) => {
        setText(next);
        if (!next.trim()) {
          setInvalid(false);
          onChange(undefined);
          return;
        }
        try {
          const parsed = JSON.parse(next);
          setInvalid(false);
          onChange(parsed);
        } catch {
          setInvalid(true);
        }
      }}
    />
  );
}
