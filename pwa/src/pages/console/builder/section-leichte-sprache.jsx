// The service in Leichte Sprache (``leichte_sprache``), edited as plain text: the first
// line is the title; after a blank line each part is a heading line followed by one
// sentence per line, parts separated by blank lines. The server checks the rules of
// Leichte Sprache when the draft is saved; its problems name the part and sentence.
import { useState } from "preact/hooks";
import { TextField } from "../../../components/forms.jsx";
import { t } from "../../../lib/i18n.js";
import { parseSummary, summaryText } from "./leichte-sprache-text.js";
import { inputIdFor, problemsUnder, setIn } from "./paths.js";
import { SectionFrame } from "./sections-shared.jsx";

/** "Teil 2, Satz 3: …" for a problem at ``leichte_sprache.sections[1].sentences[2]``. */
function located(problem) {
  const match = /sections\[(\d+)\](?:\.(heading)|\.sentences\[(\d+)\])?/.exec(problem.field);
  if (!match) return problem.message;
  const part = Number(match[1]) + 1;
  const where = match[3] !== undefined ? t("console.builder.easy.where_sentence", { part, sentence: Number(match[3]) + 1 }) : t("console.builder.easy.where_part", { part });
  return `${where}: ${problem.message}`;
}

export function LeichteSpracheSection({ definition, onChange, problems, readOnly }) {
  const [text, setText] = useState(() => summaryText(definition.leichte_sprache));
  const errors = problemsUnder(problems, "leichte_sprache").map(located);
  return (
    <SectionFrame titleKey="console.builder.section.easy" introKey="console.builder.easy.intro" readOnly={readOnly}>
      <TextField
        id={inputIdFor("leichte_sprache")}
        label={t("console.builder.easy.label")}
        hint={t("console.builder.easy.hint", { city: "{city}" })}
        error={errors.join(" ") || undefined}
        value={text}
        multiline
        rows={16}
        lang="de"
        readOnly={readOnly}
        onInput={(value) => {
          setText(value);
          onChange(setIn(definition, ["leichte_sprache"], parseSummary(value)));
        }}
      />
    </SectionFrame>
  );
}
