// A workflow's transition table as people read it (a template, shown as it is), and the
// hints the editor finds in a table before the server is asked: statuses nobody reaches,
// statuses without a way out, rows naming statuses that do not exist.
import { pick, t } from "../../../lib/i18n.js";
import { textOr } from "./sections-shared.jsx";

/** The actors a transition may name: the catalogue's, else the engine's three. */
export const actorsOf = (parts) => parts?.actors || ["citizen", "staff", "system"];

/** "Sachbearbeitung" for ``staff``. */
export const actorName = (actor) => textOr(`console.builder.value.actor.${actor}`, actor || "–");

/** A status's label in the current language with its id, or the id alone. */
export function statusName(table, id) {
  const status = (table?.statuses || []).find((item) => item?.id === id);
  const label = pick(status?.label);
  return label ? `${label} (${id})` : id || "–";
}

/** "Sachbearbeitung: Eingereicht → Genehmigt". */
export function transitionText(table, row) {
  return t("console.builder.workflow.transition_text", { actor: actorName(row.actor), from: statusName(table, row.from), to: statusName(table, row.to) });
}

/** Problems of a table the editor can see itself (the server names its own as well). */
export function workflowHints(table) {
  if (!table || typeof table !== "object") return [];
  const statuses = (table.statuses || []).filter((status) => status?.id);
  const ids = new Set(statuses.map((status) => status.id));
  const rows = (table.transitions || []).filter(Boolean);
  const hints = [];
  if (table.initial && !ids.has(table.initial)) hints.push(t("console.builder.workflow.hint_initial_unknown", { status: table.initial }));
  if (!statuses.some((status) => status.terminal)) hints.push(t("console.builder.workflow.hint_no_end"));
  rows.forEach((row, index) => {
    for (const end of ["from", "to"]) {
      if (row[end] && !ids.has(row[end])) hints.push(t("console.builder.workflow.hint_row_unknown", { number: index + 1, status: row[end] }));
    }
  });
  const outgoing = new Map(statuses.map((status) => [status.id, []]));
  for (const row of rows) if (outgoing.has(row.from) && ids.has(row.to)) outgoing.get(row.from).push(row.to);
  const reached = new Set();
  const queue = ids.has(table.initial) ? [table.initial] : [];
  while (queue.length) {
    const id = queue.shift();
    if (reached.has(id)) continue;
    reached.add(id);
    queue.push(...outgoing.get(id));
  }
  for (const status of statuses) {
    const name = statusName(table, status.id);
    if (ids.has(table.initial) && !reached.has(status.id)) hints.push(t("console.builder.workflow.hint_unreachable", { status: name }));
    if (!status.terminal && !outgoing.get(status.id).length) hints.push(t("console.builder.workflow.hint_no_way_out", { status: name }));
    if (status.terminal && outgoing.get(status.id).length) hints.push(t("console.builder.workflow.hint_terminal_leaves", { status: name }));
  }
  return hints;
}

/** A table of the workflow's statuses and one of its transitions, read-only. */
export function WorkflowView({ table, languages }) {
  return (
    <>
      <div class="kern-table-responsive sec-table" tabIndex={0} role="region" aria-label={t("console.builder.workflow.statuses_caption")}>
        <table class="kern-table kern-table--small">
          <caption class="sec-caption">{t("console.builder.workflow.statuses_caption")}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">{t("console.builder.workflow.status_id")}</th>
              {languages.map((language) => (
                <th class="kern-table__header" scope="col" key={language}>
                  {t("console.builder.workflow.status_label_in", { language: t(`console.builder.language_${language}`) })}
                </th>
              ))}
              <th class="kern-table__header" scope="col">{t("console.builder.workflow.terminal")}</th>
              <th class="kern-table__header" scope="col">{t("console.builder.workflow.decision")}</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {(table.statuses || []).map((status) => (
              <tr class="kern-table__row" key={status.id}>
                <th class="kern-table__header" scope="row">
                  <code>{status.id}</code>
                  {status.id === table.initial && <span class="sec-tag">{t("console.builder.workflow.is_initial")}</span>}
                  {status.id === table.handover && <span class="sec-tag">{t("console.builder.workflow.is_handover")}</span>}
                </th>
                {languages.map((language) => (
                  <td class="kern-table__cell" key={language}>
                    {status.label?.[language] || "–"}
                  </td>
                ))}
                <td class="kern-table__cell">{status.terminal ? t("console.builder.sections.yes") : t("console.builder.sections.no")}</td>
                <td class="kern-table__cell">{status.decision ? t(`console.builder.value.decision.${status.decision}`) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="kern-table-responsive sec-table" tabIndex={0} role="region" aria-label={t("console.builder.workflow.transitions_caption")}>
        <table class="kern-table kern-table--small">
          <caption class="sec-caption">{t("console.builder.workflow.transitions_caption")}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">{t("console.builder.workflow.from")}</th>
              <th class="kern-table__header" scope="col">{t("console.builder.workflow.to")}</th>
              <th class="kern-table__header" scope="col">{t("console.builder.workflow.actor")}</th>
              <th class="kern-table__header" scope="col">{t("console.builder.workflow.message_required")}</th>
              <th class="kern-table__header" scope="col">{t("console.builder.workflow.notify")}</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {(table.transitions || []).map((row, index) => (
              <tr class="kern-table__row" key={index}>
                <td class="kern-table__cell">{statusName(table, row.from)}</td>
                <td class="kern-table__cell">{statusName(table, row.to)}</td>
                <td class="kern-table__cell">{actorName(row.actor)}</td>
                <td class="kern-table__cell">{row.message_required ? t("console.builder.sections.yes") : t("console.builder.sections.no")}</td>
                <td class="kern-table__cell">{row.notify === false ? t("console.builder.sections.no") : t("console.builder.sections.yes")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
