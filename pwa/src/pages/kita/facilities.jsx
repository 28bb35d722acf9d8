// The public list of day-care facilities with the number the application form asks for.
import { Loading, Page } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import "./catalogue.js";

export function facilityHours(facility) {
  return facility.hours.map((hours) => t("kita.hours", { hours })).join(", ");
}

export function facilityGroups(facility) {
  return facility.age_groups.map((group) => t(`kita.group.${group}`)).join(", ");
}

export function KitaFacilitiesPage() {
  const { data, error } = useResource("/api/kita/facilities");
  return (
    <Page title={t("kita.facilities.title")}>
      <p class="kern-body">{t("kita.facilities.intro")}</p>
      {error && <LoadError error={error} />}
      {!data && !error && <Loading />}
      {data && (
        <ul class="kern-stack kita-list">
          {data.map((facility) => (
            <li key={facility.id} class="kern-card">
              <div class="kern-card__container">
                <h2 class="kern-heading-small">{facility.name}</h2>
                <p class="kern-body">
                  {t("kita.facilities.number", { id: facility.id })}
                  <br />
                  {`${facility.street} ${facility.house_number}, ${facility.postal_code} ${facility.city}`}
                  <br />
                  {t("kita.facilities.carrier", { carrier: facility.carrier })}
                  <br />
                  {t("kita.facilities.groups", { groups: facilityGroups(facility) })}
                  <br />
                  {t("kita.facilities.hours", { hours: facilityHours(facility) })}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Link class="kern-link" href="/leistungen/daycare_place">
        {t("kita.facilities.apply")}
      </Link>
    </Page>
  );
}
