// The service's own default messages to the citizen (top-level ``messages``), one per
// status a clerk moves a case to; without one, the workflow's message applies.
import { pick, t } from "../../../lib/i18n.js";
import { LocalizedInput } from "./localized-input.jsx";
import { setIn } from "./paths.js";
import { ItemProblems } from "./sections-shared.jsx";
import { statusName } from "./workflow-tables.jsx";

export function MessagesEditor({ definition, table, languages, problems, onChange }) {
  const messages = definition.messages || {};
  const targets = [...new Set((table?.transitions || []).filter((row) => row?.actor === "staff").map((row) => row.to))];
  // Messages for statuses the table no longer has stay visible, with their problem.
  const ids = [...targets, ...Object.keys(messages).filter((id) => !targets.includes(id))];
  const set = (id, value) => {
    const next = setIn(messages, [id], value);
    onChange(setIn(definition, ["messages"], Object.keys(next).length ? next : undefined));
  };
  return (
    <section class="kern-stack" aria-labelledby="sec-messages-title">
      <h3 class="kern-heading-small" id="sec-messages-title">
        {t("console.builder.workflow.messages_title")}
      </h3>
      <p class="kern-body">{t("console.builder.workflow.messages_intro")}</p>
      <ItemProblems problems={problems} path="messages" />
      {ids.map((id) => {
        const status = (table?.statuses || []).find((item) => item?.id === id);
        const fallback = pick(status?.message);
        return (
          <LocalizedInput
            key={id}
            path={`messages.${id}`}
            label={t("console.builder.workflow.message_for", { status: statusName(table, id) })}
            hint={fallback ? t("console.builder.workflow.message_default", { text: fallback }) : t("console.builder.workflow.message_none")}
            value={messages[id]}
            languages={languages}
            problems={problems}
            multiline
            onChange={(value) => set(id, value)}
          />
        );
      })}
    </section>
  );
}
