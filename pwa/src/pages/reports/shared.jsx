// Pieces the defect report screens share: a report as a card, its status badge, and
// the map loaded on demand (with nothing shown when the portal has no tile server or
// the map cannot load: the list and the address field do the job then).
import { useEffect, useState } from "preact/hooks";
import { Badge } from "../../components/forms.jsx";
import { formatDate, t } from "../../lib/i18n.js";
import "./catalogue.js";

const BADGE = { done: "success", not_responsible: "warning", merged: "warning", in_progress: "info" };

export function ReportStatus({ status }) {
  return <Badge kind={BADGE[status] || "info"}>{t(`reports.status.${status}`)}</Badge>;
}

/** A report as the public sees it: what, where (street), when, status, the city's note. */
export function ReportCard({ report, headingLevel = 2, id, children }) {
  const Heading = headingLevel === 3 ? "h3" : "h2";
  return (
    <li class="kern-card" id={id}>
      <div class="kern-card__container kern-stack">
        <Heading class="kern-heading-small">{report.category_name}</Heading>
        <p class="kern-body">
          <ReportStatus status={report.status} />
        </p>
        <p class="kern-body">
          {report.street ? t("reports.card.where", { street: report.street }) : t("reports.card.where_unknown")}
          <br />
          {t("reports.card.when", { date: formatDate(report.created_at) })}
        </p>
        {report.description && <p class="kern-body">{report.description}</p>}
        {report.public_comment && <p class="kern-body">{t("reports.card.comment", { comment: report.public_comment })}</p>}
        {report.duplicate_of && <p class="kern-body">{t("reports.card.duplicate", { id: report.duplicate_of })}</p>}
        {report.photo_ids?.length > 0 && (
          <ul class="report-photos">
            {report.photo_ids.map((id) => (
              <li key={id}>
                <img src={`/api/reports/photos/${id}`} alt={t("reports.public.photo_alt", { category: report.category_name })} loading="lazy" />
              </li>
            ))}
          </ul>
        )}
        {children}
      </div>
    </li>
  );
}

let mapModule = null;

/** The map, once its code has loaded; nothing when there is no tile server. */
export function LazyMap(props) {
  const [Map, setMap] = useState(() => mapModule?.ReportMap || null);
  const [failed, setFailed] = useState(false);
  const wanted = Boolean(props.config?.tile_url);
  useEffect(() => {
    if (!wanted || mapModule) return;
    import("./map.jsx").then(
      (module) => {
        mapModule = module;
        setMap(() => module.ReportMap);
      },
      () => setFailed(true),
    );
  }, [wanted]);
  if (!wanted) return null;
  if (failed) return <p class="kern-body">{t("reports.form.map_unavailable")}</p>;
  return Map ? <Map {...props} /> : null;
}
