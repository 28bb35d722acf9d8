// Options for registered plugins (``plugin_options``): for each plugin, which field of
// this form it reads under each of its own names (the parking plugin's "plate" → the
// form's "plate" field).
import { useState } from "preact/hooks";
import { Button } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { inputIdFor, setIn } from "./paths.js";
import { CellInput, ItemProblems, RemoveInRow, Select, errorAt, fieldName, formFields } from "./sections-shared.jsx";

/** Every plugin the catalogue knows (checks, rule sets, document generators) as
 * [name, label] choices, each name once. */
function pluginChoices(parts) {
  const found = new Map();
  for (const list of [parts.checks, parts.decision_rule_sets, parts.document_generators]) {
    for (const item of list || []) {
      const name = typeof item === "string" ? item : item.name;
      const label = typeof item === "string" ? "" : pick(item.label);
      if (!found.has(name)) found.set(name, label && label !== name ? `${label} (${name})` : name);
    }
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function PluginFields({ name, options, definition, problems, onChange, announce }) {
  const base = `plugin_options.${name}`;
  const mapping = options?.fields || {};
  const roles = Object.keys(mapping);
  const [role, setRole] = useState("");
  const fieldChoices = formFields(definition).map(({ field, group }) => [field.id, group ? `${fieldName(group)} › ${fieldName(field)} (${field.id})` : `${fieldName(field)} (${field.id})`]);
  const setMapping = (next) => onChange(setIn(options || {}, ["fields"], next));
  const addRole = () => {
    const clean = role.trim();
    if (!clean || clean in mapping) return;
    // The plugin's name for a field is often the form's own id: start with it if it exists.
    setMapping({ ...mapping, [clean]: fieldChoices.some(([id]) => id === clean) ? clean : "" });
    setRole("");
    announce(t("console.builder.rules.plugin_role_added", { role: clean }));
  };
  return (
    <fieldset class="sec-item">
      <legend class="kern-heading-small">{t("console.builder.rules.plugin_legend", { name })}</legend>
      <ItemProblems problems={problems} path={base} />
      {roles.length > 0 && (
        <div class="kern-table-responsive sec-table" tabIndex={0} role="region" aria-label={t("console.builder.rules.plugin_caption", { name })}>
          <table class="kern-table kern-table--small">
            <caption class="visually-hidden">{t("console.builder.rules.plugin_caption", { name })}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">{t("console.builder.rules.plugin_role")}</th>
                <th class="kern-table__header" scope="col">{t("console.builder.rules.plugin_field")}</th>
                <th class="kern-table__header" scope="col">{t("console.builder.sections.actions")}</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {roles.map((item) => {
                const path = `${base}.fields.${item}`;
                const known = fieldChoices.some(([id]) => id === mapping[item]);
                return (
                  <tr class="kern-table__row" key={item}>
                    <th class="kern-table__header" scope="row">
                      <code>{item}</code>
                    </th>
                    <td class="kern-table__cell">
                      <Select
                        id={inputIdFor(path)}
                        label={t("console.builder.rules.plugin_field_of", { role: item })}
                        hiddenLabel
                        error={errorAt(problems, path)}
                        value={mapping[item]}
                        empty={t("console.builder.rules.choose_field")}
                        choices={fieldChoices.concat(mapping[item] && !known ? [[mapping[item], mapping[item]]] : [])}
                        onChange={(value) => setMapping({ ...mapping, [item]: value })}
                      />
                    </td>
                    <td class="kern-table__cell">
                      <RemoveInRow
                        name={t("console.builder.rules.plugin_role_named", { role: item })}
                        onClick={() => {
                          const { [item]: _, ...rest } = mapping;
                          setMapping(rest);
                          announce(t("console.builder.rules.plugin_role_removed", { role: item }));
                        }}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div class="sec-row sec-row--end">
        <CellInput id={`sec-plugin-${name}-role`} label={t("console.builder.rules.plugin_new_role", { name })} value={role} autocomplete="off" spellcheck={false} placeholder={t("console.builder.rules.plugin_new_role_placeholder")} onInput={setRole} />
        <Button variant="secondary" onClick={addRole}>
          {t("console.builder.rules.plugin_role_add")}
        </Button>
      </div>
      <div>
        <Button
          variant="tertiary"
          onClick={() => {
            onChange(undefined);
            announce(t("console.builder.rules.plugin_removed", { name }));
          }}
        >
          {t("console.builder.rules.plugin_remove", { name })}
        </Button>
      </div>
    </fieldset>
  );
}

export function PluginOptionsEditor({ definition, parts, problems, onChange, announce }) {
  const options = definition.plugin_options || {};
  const choices = pluginChoices(parts).filter(([name]) => !(name in options));
  const [adding, setAdding] = useState("");
  const setOptions = (name, value) => {
    const next = setIn(options, [name], value);
    onChange(setIn(definition, ["plugin_options"], Object.keys(next).length ? next : undefined));
  };
  return (
    <section class="kern-stack" aria-labelledby="sec-plugins-title">
      <h3 class="kern-heading-small" id="sec-plugins-title">
        {t("console.builder.rules.plugins_title")}
      </h3>
      <p class="kern-body">{t("console.builder.rules.plugins_intro")}</p>
      <ItemProblems problems={problems} path="plugin_options" />
      {Object.entries(options).map(([name, value]) => (
        <PluginFields key={name} name={name} options={value} definition={definition} problems={problems} announce={announce} onChange={(next) => setOptions(name, next)} />
      ))}
      {choices.length > 0 && (
        <div class="sec-row sec-row--end">
          <Select id="sec-plugin-add" label={t("console.builder.rules.plugin_choose")} value={adding} empty={t("console.builder.rules.plugin_choose_empty")} choices={choices} onChange={setAdding} />
          <Button
            variant="secondary"
            disabled={!adding}
            onClick={() => {
              setOptions(adding, { fields: {} });
              announce(t("console.builder.rules.plugin_added", { name: adding }));
              setAdding("");
            }}
          >
            {t("console.builder.rules.plugin_add")}
          </Button>
        </div>
      )}
    </section>
  );
}
