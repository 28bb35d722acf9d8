// The builder's workflow: one of the shared templates (shown as its table) or the
// service's own table. Choosing "eigener Ablauf" copies the template's table for
// editing; going back to a template replaces the own table after a confirmation.
import { useState } from "preact/hooks";
import { Alert } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { Confirm } from "../city-shared.jsx";
import { inputIdFor, problemsAt, problemsUnder } from "./paths.js";
import { MessagesEditor } from "./messages-editor.jsx";
import { useAnnouncer } from "./announcer.jsx";
import { SectionFrame, workflowTable } from "./sections-shared.jsx";
import { WorkflowEditor } from "./workflow-editor.jsx";
import { WorkflowView, workflowHints } from "./workflow-tables.jsx";

const OWN = "";

export function WorkflowSection({ definition, onChange, problems, parts, languages, readOnly }) {
  const [announcement, announce] = useAnnouncer();
  const [replacing, setReplacing] = useState(null);
  const templates = parts.workflows || [];
  const own = definition.workflow && typeof definition.workflow === "object";
  const chosen = own ? OWN : definition.workflow;
  const table = workflowTable(definition, parts);
  const hints = own ? workflowHints(definition.workflow) : [];
  const choose = (name) => {
    if (name === OWN) {
      // The template's table, copied: editing it never changes the template.
      const copy = table ? JSON.parse(JSON.stringify(table)) : { initial: "submitted", statuses: [], transitions: [] };
      onChange({ ...definition, workflow: copy });
      announce(t("console.builder.workflow.copied"));
    } else if (own) {
      setReplacing(name);
    } else {
      onChange({ ...definition, workflow: name });
    }
  };
  // A template's table is not edited here: every problem in it is shown with the choice.
  const groupError = (own ? problemsAt(problems, "workflow") : problemsUnder(problems, "workflow").map((problem) => problem.message)).join(" ");
  return (
    <SectionFrame titleKey="console.builder.section.workflow" introKey="console.builder.workflow.intro" readOnly={readOnly}>
      {announcement}
      <fieldset class={groupError ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"} id={inputIdFor("workflow")} tabIndex={-1} aria-describedby={groupError ? "sec-workflow-error" : undefined}>
        <legend class="kern-label">{t("console.builder.workflow.choice")}</legend>
        {groupError && (
          <p class="kern-error" id="sec-workflow-error">
            <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
            <span class="kern-body">{groupError}</span>
          </p>
        )}
        <div class="kern-fieldset__body">
          {[...templates.map((item) => [item.name, pick(item.label) || item.name]), [OWN, t("console.builder.workflow.own")]].map(([name, label]) => (
            <div class="kern-form-check" key={name || "own"}>
              <input class="kern-form-check__radio" type="radio" name="sec-workflow-choice" id={`sec-workflow-${name || "own"}`} value={name} checked={chosen === name} onChange={() => choose(name)} />
              <label class="kern-label" for={`sec-workflow-${name || "own"}`}>
                {label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {replacing !== null && (
        <Confirm
          id="sec-workflow-replace"
          question={t("console.builder.workflow.replace_question", { name: pick(templates.find((item) => item.name === replacing)?.label) || replacing })}
          effect={t("console.builder.workflow.replace_effect")}
          confirmLabel={t("console.builder.workflow.replace_confirm")}
          onConfirm={() => {
            onChange({ ...definition, workflow: replacing });
            setReplacing(null);
            announce(t("console.builder.workflow.replaced"));
          }}
          onCancel={() => setReplacing(null)}
        />
      )}
      {!own && !table && <Alert kind="warning" title={t("console.builder.workflow.unknown_template", { name: String(definition.workflow ?? "") })} live={false} />}
      {!own && table && (
        <>
          <p class="kern-body">{t("console.builder.workflow.template_explained")}</p>
          <WorkflowView table={table} languages={languages} />
        </>
      )}
      {own && (
        <>
          {hints.length > 0 && (
            <div class="kern-alert kern-alert--warning" role="status">
              <div class="kern-alert__header">
                <span class="kern-icon kern-icon--warning" aria-hidden="true" />
                <span class="kern-title">{t("console.builder.workflow.hints_title")}</span>
              </div>
              <div class="kern-alert__body">
                <ul class="kern-list">
                  {hints.map((hint) => (
                    <li key={hint}>{hint}</li>
                  ))}
                </ul>
              </div>
            </div>
          )}
          <WorkflowEditor table={definition.workflow} languages={languages} parts={parts} problems={problems} announce={announce} onChange={(next) => onChange({ ...definition, workflow: next })} />
        </>
      )}
      <MessagesEditor definition={definition} table={table} languages={languages} problems={problems} onChange={onChange} />
    </SectionFrame>
  );
}
