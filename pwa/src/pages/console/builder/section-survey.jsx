// The builder's survey section (definitions of kind survey): whether answering needs an
// account, one answer per account or per device, the start page's notice, and the
// days the survey takes answers.
import { TextField } from "../../../components/forms.jsx";
import { t } from "../../../lib/i18n.js";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, setIn } from "./paths.js";
import { Checkbox, ItemProblems, SectionFrame, Select, errorAt } from "./sections-shared.jsx";

export function SurveySection({ definition, onChange, problems, languages, readOnly }) {
  const block = definition.survey || {};
  const set = (key, value) => {
    const next = { ...block };
    if (value === undefined || value === "") delete next[key];
    else next[key] = value;
    onChange(setIn(definition, ["survey"], next));
  };
  return (
    <SectionFrame titleKey="console.builder.section.survey" introKey="console.builder.survey.intro" readOnly={readOnly}>
      <ItemProblems problems={problems} path="survey" />
      <Checkbox
        id={inputIdFor("survey.anonymous")}
        label={t("console.builder.survey.anonymous")}
        hint={t("console.builder.survey.anonymous_hint")}
        error={errorAt(problems, "survey.anonymous")}
        checked={block.anonymous}
        onChange={(checked) => {
          // Without sign-in only the device can be counted.
          const next = { ...block, anonymous: checked };
          if (checked) next.one_answer_per = "device";
          onChange(setIn(definition, ["survey"], next));
        }}
      />
      <Select
        id={inputIdFor("survey.one_answer_per")}
        label={t("console.builder.survey.per")}
        error={errorAt(problems, "survey.one_answer_per")}
        value={block.one_answer_per || ""}
        onChange={(value) => set("one_answer_per", value)}
        choices={[
          ["device", t("console.builder.survey.per_device")],
          ["account", t("console.builder.survey.per_account")],
        ]}
      />
      <LocalizedInput
        path="survey.banner"
        label={t("console.builder.survey.banner")}
        hint={t("console.builder.survey.banner_hint")}
        value={block.banner}
        languages={languages}
        problems={problems}
        onChange={(value) => set("banner", value)}
      />
      {["opens", "closes"].map((key) => (
        <TextField
          key={key}
          id={inputIdFor(`survey.${key}`)}
          type="date"
          label={t(`console.builder.survey.${key}`)}
          error={errorAt(problems, `survey.${key}`)}
          value={block[key] || ""}
          onInput={(value) => set(key, value)}
        />
      ))}
    </SectionFrame>
  );
}
