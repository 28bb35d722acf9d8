// A service's own workflow as an editable table: the statuses (id, label in every
// language, end status, decision) and the transitions (from, to, who, message needed,
// citizen notified), the initial status and where an automatic decision hands over.
import { Button } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { inputIdFor, setIn } from "./paths.js";
import { CellInput, ItemProblems, RemoveInRow, Select, errorAt, freshId } from "./sections-shared.jsx";
import { actorName, actorsOf, statusName, transitionText } from "./workflow-tables.jsx";

const DECISIONS = ["positive", "negative"];

function CellCheckbox({ id, label, checked, error, onChange }) {
  return (
    <div class="kern-form-check sec-cell-check">
      <input
        class={error ? "kern-form-check__checkbox kern-form-check__checkbox--error" : "kern-form-check__checkbox"}
        type="checkbox"
        id={id}
        checked={Boolean(checked)}
        aria-invalid={error ? "true" : undefined}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <label class="kern-label" for={id}>
        <span class="visually-hidden">{label}</span>
      </label>
      {error && <p class="kern-error">{error}</p>}
    </div>
  );
}

function Head({ labels }) {
  return (
    <thead class="kern-table__head">
      <tr class="kern-table__row">
        {labels.map((label) => (
          <th class="kern-table__header" scope="col" key={label}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function WorkflowEditor({ table, languages, parts, problems, onChange, announce }) {
  const statuses = table.statuses || [];
  const transitions = table.transitions || [];
  const set = (keys, value) => onChange(setIn(table, keys, value));
  const choices = statuses.filter((status) => status?.id).map((status) => [status.id, statusName(table, status.id)]);
  const addStatus = () => {
    const id = freshId("status", statuses.map((status) => status.id));
    set(["statuses"], [...statuses, { id, label: undefined }]);
    announce(t("console.builder.workflow.status_added", { status: id }));
    setTimeout(() => document.getElementById(inputIdFor(`workflow.statuses[${statuses.length}].id`))?.focus());
  };
  const removeStatus = (index) => {
    const id = statuses[index].id;
    // Rows naming the status would only point nowhere.
    const rows = transitions.filter((row) => row.from !== id && row.to !== id);
    onChange({ ...table, statuses: statuses.filter((_, i) => i !== index), transitions: rows });
    announce(t("console.builder.workflow.status_removed", { status: id, count: transitions.length - rows.length }));
  };
  const addTransition = () => {
    const from = table.initial || statuses[0]?.id;
    const to = statuses.find((status) => status.id !== from)?.id;
    set(["transitions"], [...transitions, { from, to, actor: "staff" }]);
    announce(t("console.builder.workflow.transition_added", { number: transitions.length + 1 }));
  };
  const removeTransition = (index) => {
    set(["transitions"], transitions.filter((_, i) => i !== index));
    announce(t("console.builder.workflow.transition_removed", { number: index + 1 }));
  };
  return (
    <div class="kern-stack">
      <div class="sec-row">
        <Select id={inputIdFor("workflow.initial")} label={t("console.builder.workflow.initial")} hint={t("console.builder.workflow.initial_hint")} error={errorAt(problems, "workflow.initial")} value={table.initial} choices={choices} empty={t("console.builder.workflow.choose_status")} onChange={(value) => set(["initial"], value)} />
        <Select
          id={inputIdFor("workflow.handover")}
          label={t("console.builder.workflow.handover")}
          hint={t("console.builder.workflow.handover_hint")}
          error={errorAt(problems, "workflow.handover")}
          value={table.handover}
          choices={choices}
          empty={t("console.builder.workflow.handover_none")}
          onChange={(value) => set(["handover"], value || undefined)}
        />
      </div>
      <ItemProblems problems={problems} path="workflow.statuses" />
      <div class="kern-table-responsive sec-table" tabIndex={0} role="region" aria-label={t("console.builder.workflow.statuses_caption")}>
        <table class="kern-table kern-table--small">
          <caption class="sec-caption">{t("console.builder.workflow.statuses_caption")}</caption>
          <Head
            labels={[
              t("console.builder.workflow.status_id"),
              ...languages.map((language) => t("console.builder.workflow.status_label_in", { language: t(`console.builder.language_${language}`) })),
              t("console.builder.workflow.terminal"),
              t("console.builder.workflow.decision"),
              t("console.builder.sections.actions"),
            ]}
          />
          <tbody class="kern-table__body">
            {statuses.map((status, index) => {
              const path = `workflow.statuses[${index}]`;
              const name = pick(status.label) || status.id || t("console.builder.workflow.status_number", { number: index + 1 });
              return (
                <tr class="kern-table__row" key={index}>
                  <td class="kern-table__cell">
                    <ItemProblems problems={problems} path={path} />
                    <CellInput id={inputIdFor(`${path}.id`)} label={t("console.builder.workflow.status_id_of", { number: index + 1 })} error={errorAt(problems, `${path}.id`)} value={status.id} autocomplete="off" spellcheck={false} onInput={(text) => set(["statuses", index, "id"], text.trim())} />
                  </td>
                  {languages.map((language) => (
                    <td class="kern-table__cell" key={language}>
                      <CellInput
                        id={inputIdFor(`${path}.label.${language}`)}
                        label={t("console.builder.workflow.status_label_of", { number: index + 1, language: t(`console.builder.language_${language}`) })}
                        error={[errorAt(problems, `${path}.label.${language}`), language === languages[0] ? errorAt(problems, `${path}.label`) : undefined].filter(Boolean).join(" ") || undefined}
                        value={status.label?.[language]}
                        onInput={(text) => {
                          const label = setIn(status.label || {}, [language], text || undefined);
                          set(["statuses", index, "label"], Object.keys(label).length ? label : undefined);
                        }}
                      />
                    </td>
                  ))}
                  <td class="kern-table__cell">
                    <CellCheckbox id={inputIdFor(`${path}.terminal`)} label={t("console.builder.workflow.terminal_of", { name })} checked={status.terminal} error={errorAt(problems, `${path}.terminal`)} onChange={(checked) => set(["statuses", index, "terminal"], checked || undefined)} />
                  </td>
                  <td class="kern-table__cell">
                    <Select
                      id={inputIdFor(`${path}.decision`)}
                      label={t("console.builder.workflow.decision_of", { name })}
                      hiddenLabel
                      error={errorAt(problems, `${path}.decision`)}
                      value={status.decision}
                      empty={t("console.builder.value.decision.none")}
                      choices={DECISIONS.map((decision) => [decision, t(`console.builder.value.decision.${decision}`)])}
                      onChange={(value) => set(["statuses", index, "decision"], value || undefined)}
                    />
                  </td>
                  <td class="kern-table__cell">
                    <RemoveInRow name={t("console.builder.workflow.status_named", { name })} onClick={() => removeStatus(index)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div>
        <Button variant="secondary" onClick={addStatus}>
          {t("console.builder.workflow.add_status")}
        </Button>
      </div>
      <ItemProblems problems={problems} path="workflow.transitions" />
      <div class="kern-table-responsive sec-table" tabIndex={0} role="region" aria-label={t("console.builder.workflow.transitions_caption")}>
        <table class="kern-table kern-table--small">
          <caption class="sec-caption">{t("console.builder.workflow.transitions_caption")}</caption>
          <Head
            labels={[
              t("console.builder.workflow.from"),
              t("console.builder.workflow.to"),
              t("console.builder.workflow.actor"),
              t("console.builder.workflow.message_required"),
              t("console.builder.workflow.notify"),
              t("console.builder.sections.actions"),
            ]}
          />
          <tbody class="kern-table__body">
            {transitions.map((row, index) => {
              const path = `workflow.transitions[${index}]`;
              const text = transitionText(table, row);
              const cell = (key, label, current) => (
                <Select
                  id={inputIdFor(`${path}.${key}`)}
                  label={label}
                  hiddenLabel
                  error={errorAt(problems, `${path}.${key}`)}
                  value={current}
                  choices={key === "actor" ? actorsOf(parts).map((actor) => [actor, actorName(actor)]) : choices.concat(current && !choices.some(([id]) => id === current) ? [[current, current]] : [])}
                  onChange={(value) => set(["transitions", index, key], value)}
                />
              );
              return (
                <tr class="kern-table__row" key={index}>
                  <td class="kern-table__cell">
                    <ItemProblems problems={problems} path={path} />
                    {cell("from", t("console.builder.workflow.from_of", { number: index + 1 }), row.from)}
                  </td>
                  <td class="kern-table__cell">{cell("to", t("console.builder.workflow.to_of", { number: index + 1 }), row.to)}</td>
                  <td class="kern-table__cell">{cell("actor", t("console.builder.workflow.actor_of", { number: index + 1 }), row.actor)}</td>
                  <td class="kern-table__cell">
                    <CellCheckbox id={inputIdFor(`${path}.message_required`)} label={t("console.builder.workflow.message_required_of", { text })} checked={row.message_required} error={errorAt(problems, `${path}.message_required`)} onChange={(checked) => set(["transitions", index, "message_required"], checked || undefined)} />
                  </td>
                  <td class="kern-table__cell">
                    <CellCheckbox id={inputIdFor(`${path}.notify`)} label={t("console.builder.workflow.notify_of", { text })} checked={row.notify !== false} error={errorAt(problems, `${path}.notify`)} onChange={(checked) => set(["transitions", index, "notify"], checked ? undefined : false)} />
                  </td>
                  <td class="kern-table__cell">
                    <RemoveInRow name={text} onClick={() => removeTransition(index)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div>
        <Button variant="secondary" onClick={addTransition}>
          {t("console.builder.workflow.add_transition")}
        </Button>
      </div>
    </div>
  );
}
