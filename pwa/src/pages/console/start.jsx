// The console's start page: what needs attention now.
import { Alert } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { t } from "../../lib/i18n.js";
import { ConsolePage } from "./layout.jsx";

const FIGURES = [
  ["open_feedback", "console.start.open_feedback"],
  ["failed_mails", "console.start.failed_mails"],
  ["failed_pushes", "console.start.failed_pushes"],
  ["draft_services", "console.start.draft_services"],
];

function Overview({ overview }) {
  return (
    <>
      {overview.total === 0 ? (
        <Alert kind="success" title={t("console.start.all_clear")} live={false} />
      ) : (
        <p class="kern-body">{t("console.start.waiting", { count: overview.total })}</p>
      )}
      <ul class="attention-list">
        {FIGURES.map(([name, key]) => (
          <li key={name} class="attention-list__item">
            <span class="attention-list__figure">{overview[name]}</span>
            <span class="kern-body">{t(key)}</span>
          </li>
        ))}
      </ul>
      {overview.service_problems.length > 0 && (
        <section class="kern-stack" aria-labelledby="service-problems-heading">
          <h2 class="kern-heading-medium" id="service-problems-heading">
            {t("console.start.service_problems")}
          </h2>
          <ul class="kern-list">
            {overview.service_problems.map((line) => (
              <li key={line} class="kern-body">
                <code>{line}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export function ConsoleStartPage() {
  return (
    <ConsolePage title={t("console.start.title")}>
      <ConsoleStart />
    </ConsolePage>
  );
}

function ConsoleStart() {
  const { data, error } = useResource("/api/admin/overview");
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  return <Overview overview={data} />;
}
