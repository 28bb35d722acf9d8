// An anonymous reporter's report, opened with the link from their mail.
import { Loading, Page } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { t } from "../../lib/i18n.js";
import { History } from "./mine.jsx";
import { ReportCard } from "./shared.jsx";

export function ReportTrackPage({ token }) {
  const { data, error } = useResource(`/api/reports/track/${encodeURIComponent(token)}`);
  return (
    <Page title={t("reports.track.title")}>
      {error && (error.status === 404 ? <p class="kern-body">{t("reports.track.not_found")}</p> : <LoadError error={error} />)}
      {!data && !error && <Loading />}
      {data && (
        <ul class="kern-stack item-list">
          <ReportCard report={data}>
            <History report={data} />
          </ReportCard>
        </ul>
      )}
    </Page>
  );
}
