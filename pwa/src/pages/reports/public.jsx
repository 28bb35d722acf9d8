// The public list and map of defect reports: what the moderation released, with the
// street and a rough location, never who reported it.
import { Page } from "../../components/page.jsx";
import { isStaff } from "../../components/require-staff.jsx";
import { LoadError } from "../../components/status.jsx";
import { Loading } from "../../components/page.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { session } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { LazyMap, ReportCard } from "./shared.jsx";

export function ReportsPublicPage() {
  const current = useSignal(session);
  const { data, error } = useResource("/api/reports");
  const config = useResource("/api/reports/config").data;
  return (
    <Page title={t("reports.public.title")}>
      <p class="kern-body">{t("reports.public.intro")}</p>
      <ul class="kern-list">
        <li>
          <Link class="kern-link" href="/meldungen/neu">
            {t("reports.public.new")}
          </Link>
        </li>
        <li>
          <Link class="kern-link" href="/meldungen/meine">
            {t("reports.public.mine")}
          </Link>
        </li>
        {isStaff(current.user) && (
          <li>
            <Link class="kern-link" href="/meldungen/bearbeitung">
              {t("reports.public.staff")}
            </Link>
          </li>
        )}
      </ul>
      <h2 class="kern-heading-medium">{t("reports.public.list_heading")}</h2>
      <p class="kern-body">{t("reports.public.privacy")}</p>
      {error && <LoadError error={error} />}
      {!data && !error && <Loading />}
      {data && config && <LazyMap config={config} points={data} label={t("reports.public.map_label")} />}
      {data && data.length === 0 && <p class="kern-body">{t("reports.public.none")}</p>}
      {data && data.length > 0 && (
        <>
          <p class="kern-body" role="status">
            {t("reports.public.count", { count: data.length })}
          </p>
          <ul class="kern-stack item-list">
            {data.map((report) => (
              <ReportCard key={report.id} report={report} />
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
