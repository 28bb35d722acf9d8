// The builder's hand-off targets: the specialist systems a service's applications are
// handed to (by a registered backend), at which moment, under which label, with the
// backend's settings. The loader checks the settings on every save; its problems are
// shown at the setting's input, or above the settings when they concern them as a whole.
import { Button, TextField } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { useAnnouncer } from "./announcer.jsx";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, move, problemsUnder, setIn } from "./paths.js";
import { BACKEND_SETTINGS, MOMENTS, settingsFor, webhookSecretVariable } from "./handoff-settings.js";
import { ItemActions, ItemProblems, Select, SectionFrame, errorAt, freshId, partChoices, partEntry, textOr } from "./sections-shared.jsx";

function SettingInput({ path, backend, item, value, problems, onChange }) {
  const here = `${path}.${item.key}`;
  const base = `console.builder.handoff.setting.${backend}.${item.key}`;
  const hint =
    backend === "webhook" && item.key === "secret" && value ? t("console.builder.handoff.secret_variable", { variable: webhookSecretVariable(value) }) : t(`${base}_hint`);
  return (
    <TextField
      id={inputIdFor(here)}
      label={item.required ? t(base) : t("console.builder.handoff.optional", { label: t(base) })}
      hint={hint}
      error={errorAt(problems, here)}
      type={item.type === "email" ? "email" : "text"}
      inputMode={item.type === "url" ? "url" : undefined}
      value={typeof value === "string" ? value : value == null ? "" : String(value)}
      autocomplete="off"
      spellcheck={false}
      onInput={(text) => onChange(text.trim() || undefined)}
    />
  );
}

// A city's own backend: its settings as one JSON object; what does not read as JSON is
// kept as typed, so the loader names the problem at the field.
function JsonSettings({ path, value, problems, onChange }) {
  const text = typeof value === "string" ? value : JSON.stringify(value || {}, null, 2);
  return (
    <TextField
      id={inputIdFor(path)}
      label={t("console.builder.handoff.settings_json")}
      hint={t("console.builder.handoff.settings_json_hint")}
      error={errorAt(problems, path)}
      multiline
      spellcheck={false}
      value={text}
      onInput={(typed) => {
        try {
          onChange(JSON.parse(typed || "{}"));
        } catch {
          onChange(typed);
        }
      }}
    />
  );
}

function TargetEditor({ target, index, count, parts, languages, problems, onChange, onMove, onRemove }) {
  const path = `handoff[${index}]`;
  const set = (key, value) => onChange(setIn(target, [key], value));
  const name = pick(target.label) || target.id || t("console.builder.handoff.number", { number: index + 1 });
  const backend = partEntry(parts.handoff_backends, target.backend);
  const known = BACKEND_SETTINGS[target.backend];
  const settings = target.settings && typeof target.settings === "object" ? target.settings : {};
  const settingsPath = `${path}.settings`;
  const setSetting = (key, value) => set("settings", setIn(settings, [key], value));
  return (
    <fieldset class="sec-item">
      <legend class="kern-heading-small">{t("console.builder.handoff.legend", { number: index + 1, name })}</legend>
      <ItemProblems problems={problems} path={path} />
      <div class="sec-row">
        <TextField
          id={inputIdFor(`${path}.id`)}
          label={t("console.builder.handoff.id")}
          hint={t("console.builder.handoff.id_hint")}
          error={errorAt(problems, `${path}.id`)}
          value={target.id ?? ""}
          autocomplete="off"
          spellcheck={false}
          onInput={(text) => set("id", text.trim())}
        />
        <Select
          id={inputIdFor(`${path}.on`)}
          label={t("console.builder.handoff.on")}
          hint={target.on ? textOr(`console.builder.handoff.on_hint.${target.on}`, undefined) : undefined}
          error={errorAt(problems, `${path}.on`)}
          value={target.on}
          empty={t("console.builder.handoff.choose_on")}
          choices={partChoices(parts.handoff_moments || MOMENTS, "console.builder.value.handoff_moment", target.on)}
          onChange={(value) => set("on", value || undefined)}
        />
      </div>
      <Select
        id={inputIdFor(`${path}.backend`)}
        label={t("console.builder.handoff.backend")}
        hint={backend?.description ? pick(backend.description) : t("console.builder.handoff.backend_hint")}
        error={errorAt(problems, `${path}.backend`)}
        value={target.backend}
        empty={t("console.builder.handoff.choose_backend")}
        choices={partChoices(parts.handoff_backends, null, target.backend)}
        onChange={(value) => onChange({ ...target, backend: value || undefined, settings: settingsFor(value, settings) })}
      />
      <LocalizedInput path={`${path}.label`} label={t("console.builder.handoff.label")} hint={t("console.builder.handoff.label_hint")} value={target.label} languages={languages} problems={problems} onChange={(value) => set("label", value)} />
      {target.backend && (
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t("console.builder.handoff.settings", { backend: backend ? pick(backend.label) : target.backend })}</legend>
          {known ? (
            <>
              {/* Problems of the settings as a whole, and of keys no input here edits. */}
              <ItemProblems
                problems={problemsUnder(problems, settingsPath)
                  .filter((problem) => !known.some((item) => problem.field === `${settingsPath}.${item.key}`))
                  .map((problem) => ({ ...problem, field: settingsPath }))}
                path={settingsPath}
              />
              <div class="kern-fieldset__body kern-stack">
                {known.map((item) => (
                  <SettingInput key={item.key} path={settingsPath} backend={target.backend} item={item} value={settings[item.key]} problems={problems} onChange={(value) => setSetting(item.key, value)} />
                ))}
              </div>
            </>
          ) : (
            <JsonSettings path={settingsPath} value={target.settings} problems={problemsUnder(problems, settingsPath).map((problem) => ({ ...problem, field: settingsPath }))} onChange={(value) => set("settings", value)} />
          )}
        </fieldset>
      )}
      <ItemActions name={t("console.builder.handoff.name", { name })} index={index} count={count} onMove={onMove} onRemove={onRemove} listId={inputIdFor("handoff")} />
    </fieldset>
  );
}

export function HandoffSection({ definition, onChange, problems, parts, languages, readOnly }) {
  const [announcement, announce] = useAnnouncer();
  const targets = Array.isArray(definition.handoff) ? definition.handoff : [];
  const setTargets = (next) => onChange(setIn(definition, ["handoff"], next.length ? next : undefined));
  const nameOf = (target) => pick(target.label) || target.id;
  const add = () => {
    const id = freshId("target", targets.map((target) => target.id));
    const backend = partChoices(parts.handoff_backends)[0]?.[0];
    setTargets([...targets, { id, backend, on: "submitted", label: undefined, settings: {} }]);
    announce(t("console.builder.handoff.added", { number: targets.length + 1 }));
    setTimeout(() => document.getElementById(inputIdFor(`handoff[${targets.length}].id`))?.focus());
  };
  return (
    <SectionFrame titleKey="console.builder.section.handoff" introKey="console.builder.handoff.intro" readOnly={readOnly}>
      {announcement}
      <ItemProblems problems={problems} path="handoff" />
      {targets.length === 0 && <p class="kern-body">{t("console.builder.handoff.none")}</p>}
      {targets.map((item, index) => (
        <TargetEditor
          key={index}
          target={item || {}}
          index={index}
          count={targets.length}
          parts={parts}
          languages={languages}
          problems={problems}
          onChange={(next) => setTargets(setIn(targets, [index], next))}
          onMove={(from, to) => {
            setTargets(move(targets, from, to));
            announce(t("console.builder.sections.moved", { name: nameOf(targets[from]), position: to + 1, count: targets.length }));
          }}
          onRemove={(at) => {
            setTargets(targets.filter((_, i) => i !== at));
            announce(t("console.builder.handoff.removed", { name: nameOf(targets[at]) }));
          }}
        />
      ))}
      <div>
        <Button variant="secondary" onClick={add}>
          {t("console.builder.handoff.add")}
        </Button>
      </div>
    </SectionFrame>
  );
}
