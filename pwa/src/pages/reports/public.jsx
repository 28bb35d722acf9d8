// The public list and map of defect reports: what the moderation released, with the
// street and a rough location, never who reported it. The list comes in pages (the
// server's keyset cursor); "Weitere Meldungen laden" adds the next one and moves the
// focus to its first report, the map shows what the list shows.
import { useEffect, useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { Page } from "../../components/page.jsx";
import { isStaff } from "../../components/require-staff.jsx";
import { LoadError } from "../../components/status.jsx";
import { Loading } from "../../components/page.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { apiGet, session } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { LazyMap, ReportCard } from "./shared.jsx";

export function ReportsPublicPage() {
  const current = useSignal(session);
  const first = useResource("/api/reports");
  const config = useResource("/api/reports/config").data;
  const [pages, setPages] = useState(null);
  const [focusId, setFocusId] = useState(null);
  const { busy, run, error: moreError } = useAction();
  useEffect(() => {
    if (first.data) setPages({ items: first.data.items, next: first.data.next });
  }, [first.data]);
  useEffect(() => {
    // The first report of the page just loaded: keyboard and screen reader users go on there.
    const heading = focusId && document.querySelector(`#report-${focusId} h2`);
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }, [focusId]);
  const loadMore = () =>
    run(async () => {
      const { data: more } = await apiGet(`/api/reports?after=${encodeURIComponent(pages.next)}`);
      setPages({ items: [...pages.items, ...more.items], next: more.next });
      if (more.items.length) setFocusId(more.items[0].id);
    });
  const data = pages?.items;
  const error = first.error;
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
              <ReportCard key={report.id} id={`report-${report.id}`} report={report} />
            ))}
          </ul>
          {moreError && <LoadError error={moreError} />}
          {pages.next && (
            <div class="kern-btn-wrapper">
              <Button variant="secondary" onClick={loadMore} disabled={busy}>
                {busy ? t("reports.public.loading_more") : t("reports.public.load_more")}
              </Button>
            </div>
          )}
        </>
      )}
    </Page>
  );
}
