// The console's service list: every service with its versions, their state, area, who
// created, changed, published and retired each one and when, and how many applications
// run on it.
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { ConsolePage } from "./layout.jsx";
import { StateBadge, WhenCell, servicePath } from "./services-shared.jsx";

function ServiceRows({ service }) {
  const versions = [...service.versions].reverse();
  return versions.map((version, index) => (
    <tr class="kern-table__row" key={`${service.service_id}-${version.version}`}>
      {index === 0 && (
        <th class="kern-table__header" scope="rowgroup" rowSpan={versions.length}>
          <Link class="kern-link" href={servicePath(service.service_id)}>
            {pick(service.title)}
          </Link>
          <code class="services-id">{service.service_id}</code>
        </th>
      )}
      <td class="kern-table__cell">{version.version}</td>
      <td class="kern-table__cell">
        <StateBadge state={version.state} />
      </td>
      <td class="kern-table__cell">{version.area}</td>
      <WhenCell entry={{ at: version.created_at, by: version.created_by }} />
      <WhenCell entry={version.updated} />
      <WhenCell entry={version.published} />
      <WhenCell entry={version.retired} />
      <td class="kern-table__cell kern-table__cell--numeric">{version.applications}</td>
    </tr>
  ));
}

function ServiceTable({ services }) {
  return (
    <div class="kern-table-responsive">
      <table class="kern-table kern-table--small services-table">
        <caption class="visually-hidden">{t("console.services.table_caption")}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            {["service", "version", "state", "area", "created", "updated", "published", "retired"].map((name) => (
              <th class="kern-table__header" scope="col" key={name}>
                {t(`console.services.col.${name}`)}
              </th>
            ))}
            <th class="kern-table__header kern-table__header--numeric" scope="col">
              {t("console.services.col.applications")}
            </th>
          </tr>
        </thead>
        {services.map((service) => (
          <tbody class="kern-table__body" key={service.service_id}>
            <ServiceRows service={service} />
          </tbody>
        ))}
      </table>
    </div>
  );
}

function ServiceList() {
  const { data: all, error } = useResource("/api/admin/services/overview");
  if (error) return <LoadError error={error} />;
  if (!all) return <Loading />;
  // Surveys are listed under "Umfragen".
  const data = all.filter((service) => service.kind !== "survey");
  return (
    <>
      <p class="kern-body">{t("console.services.intro", { count: data.length })}</p>
      <p>
        <Link class="kern-btn kern-btn--primary" href="/verwaltung/dienste/neu">
          <span class="kern-label">{t("console.services.new_link")}</span>
        </Link>
      </p>
      <ServiceTable services={data} />
    </>
  );
}

export function ConsoleServicesPage() {
  return (
    <ConsolePage title={t("console.services.title")}>
      <ServiceList />
    </ConsolePage>
  );
}
