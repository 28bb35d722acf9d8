// Pieces the console's service screens share: state badges, "when and by whom", and the
// list of problems the loader found (each naming its path in the definition).
import { useEffect, useRef, useState } from "preact/hooks";
import { Badge, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import { navigate } from "../../lib/router.jsx";
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

// A new definition from its minimal template (a service or a survey): the fields,
// posted to ``endpoint``; the draft it creates is built next, in the builder.
// ``textKey`` is where the labels live (`<textKey>.field.<name>`, `<textKey>.create_submit`);
// ``hinted`` names the fields that have a `<name>_hint`.
export function TemplateForm({ fields, endpoint, idPrefix, textKey, hinted }) {
  const [values, setValues] = useState(Object.fromEntries(fields.map((name) => [name, ""])));
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);
  const id = (name) => `${idPrefix}-${name}`;
  const summary = (error?.fieldErrors || []).map((item) => ({ field: id(item.field), message: item.message }));
  const submit = (event) => {
    event.preventDefault();
    run(async () => {
      const created = await api("POST", endpoint, values);
      navigate(editorPagePath(created.service_id, created.version));
    });
  };
  return (
    <form class="services-form" onSubmit={submit} noValidate>
      <ErrorSummary errors={summary} message={error && !summary.length ? error.message : undefined} />
      {fields.map((name) => (
        <TextField
          key={name}
          id={id(name)}
          label={t(`${textKey}.field.${name}`)}
          hint={hinted.includes(name) ? t(`${textKey}.field.${name}_hint`) : undefined}
          value={values[name]}
          onInput={(value) => setValues({ ...values, [name]: value })}
          error={errors[name]}
          autocomplete="off"
          spellcheck={name.startsWith("title") ? undefined : false}
        />
      ))}
      <div>
        <Button type="submit" disabled={busy}>
          {t(`${textKey}.create_submit`)}
        </Button>
      </div>
    </form>
  );
}
