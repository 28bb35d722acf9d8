// Pieces the console's service screens share: state badges, "when and by whom", and the
// list of problems the loader found (each naming its path in the definition).
import { useEffect, useRef } from "preact/hooks";
import { Badge } from "../../components/forms.jsx";
import { formatDateTime, t } from "../../lib/i18n.js";
import "./services.css";

const STATE_KINDS = { draft: "warning", published: "success", retired: "info" };

/** A version's state as a badge with its word (never colour alone). */
export function StateBadge({ state }) {
  return <Badge kind={STATE_KINDS[state] || "info"}>{t(`console.services.state.${state}`)}</Badge>;
}

/** "05.12.2026, 10:40 von admin@…" (or the portal itself, for built-in versions). */
export function when(entry) {
  if (!entry) return "–";
  const at = formatDateTime(entry.at);
  return entry.by ? t("console.services.when_by", { when: at, by: entry.by }) : t("console.services.when_portal", { when: at });
}

/** A table cell's worth of ``when``: the time, and who below it. */
export function WhenCell({ entry }) {
  if (!entry) return <td class="kern-table__cell">–</td>;
  return (
    <td class="kern-table__cell">
      <span class="services-when">{formatDateTime(entry.at)}</span>
      <span class="services-by">{entry.by ? t("console.services.by", { by: entry.by }) : t("console.services.by_portal")}</span>
    </td>
  );
}

/** The loader's problems, one per line with its path; takes focus when shown. */
export function ProblemList({ title, problems }) {
  const ref = useRef(null);
  useEffect(() => {
    if (problems?.length) ref.current?.focus();
  }, [problems]);
  if (!problems?.length) return null;
  return (
    <div class="kern-alert kern-alert--danger" role="alert" tabIndex={-1} ref={ref}>
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true" />
        <span class="kern-title">{title}</span>
      </div>
      <div class="kern-alert__body">
        <p class="kern-body">{t("console.services.problems_intro", { count: problems.length })}</p>
        <ul class="kern-list services-problems">
          {problems.map((problem, index) => (
            <li key={`${problem.field}-${index}`} class="kern-body">
              <code>{problem.field}</code>
              <span>{problem.message.startsWith(problem.field) ? problem.message.slice(problem.field.length).replace(/^:\s*/, "") : problem.message}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** The path of a service's page in the console. */
export const servicePath = (serviceId) => `/verwaltung/dienste/${encodeURIComponent(serviceId)}`;

/** The builder's address for a version of a service, optionally at one of its sections. */
export const editorPagePath = (serviceId, version, section) =>
  `${servicePath(serviceId)}/v/${version}/bearbeiten${section ? `?teil=${section}` : ""}`;
