// Allocation of day-care places, for clerks of the area and facility staff: the
// facilities they act for, each facility's ranked line per age group, offers and their
// state. The server decides who may see which facility.
import { Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDate, formatDateTime, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { DataTable } from "../console/city-shared.jsx";
import "./catalogue.js";
import { facilityGroups, facilityHours } from "./facilities.jsx";

export function KitaAllocationPage() {
  return (
    <RequireSignIn title={t("kita.allocation.title")}>
      <Page title={t("kita.allocation.title")} wide>
        <Facilities />
      </Page>
    </RequireSignIn>
  );
}

function Facilities() {
  const { data, error } = useResource("/api/staff/kita/facilities");
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  if (data.length === 0) return <p class="kern-body">{t("kita.allocation.no_facilities")}</p>;
  return (
    <ul class="kern-stack kita-list">
      {data.map((facility) => (
        <li key={facility.id}>
          <Link class="kern-link" href={`/kita/vergabe/${facility.id}`}>
            {facility.name}
          </Link>
          <span class="kern-body">{` – ${facilityGroups(facility)}; ${facilityHours(facility)}`}</span>
        </li>
      ))}
    </ul>
  );
}

export function KitaDemandPage({ facilityId }) {
  const { data, error, reload } = useResource(`/api/staff/kita/facilities/${facilityId}/demand`);
  const title = data ? data.facility.name : t("kita.allocation.title");
  return (
    <RequireSignIn title={title}>
      <Page title={title} caption={t("kita.allocation.title")} wide>
        {error && <LoadError error={error} />}
        {!data && !error && <Loading />}
        {data && <Demand data={data} reload={reload} />}
        <Link class="kern-link" href="/kita/vergabe">
          {t("kita.allocation.back")}
        </Link>
      </Page>
    </RequireSignIn>
  );
}

function Demand({ data, reload }) {
  const action = useAction();
  const act = (method, path, body) =>
    action.run(async () => {
      await api(method, path, body);
      reload();
    });
  return (
    <>
      {action.error && <ErrorSummary errors={action.error.fieldErrors || []} message={action.error.message} />}
      {data.groups.map((group) => (
        <section key={group.age_group} class="kern-stack" aria-labelledby={`group-${group.age_group}`}>
          <h2 class="kern-heading-medium" id={`group-${group.age_group}`}>
            {t(`kita.group.${group.age_group}`)}
          </h2>
          <p class="kern-body">{t("kita.allocation.places", { places: group.places, free: group.free_places })}</p>
          {group.line.length === 0 ? (
            <p class="kern-body">{t("kita.allocation.empty_line")}</p>
          ) : (
            <DataTable
              caption={t("kita.allocation.line", { group: t(`kita.group.${group.age_group}`) })}
              head={["rank", "child", "choice", "hours", "start", "submitted", "action"].map((name) => t(`kita.allocation.col.${name}`))}
            >
              {group.line.map((entry) => (
                <tr class="kern-table__row" key={entry.application_id}>
                  <td class="kern-table__cell kern-table__cell--numeric">{entry.rank}</td>
                  <td class="kern-table__cell">
                    {entry.child_name}
                    <br />
                    <span class="kern-body kern-body--small">{entry.reference}</span>
                    <br />
                    <span class="kern-body kern-body--small">{t(`kita.allocation.second_parent.${entry.second_parent}`)}</span>
                  </td>
                  <td class="kern-table__cell">{t("kita.allocation.choice", { choice: entry.choice })}</td>
                  <td class="kern-table__cell">{entry.hours ? t("kita.hours", { hours: entry.hours }) : "–"}</td>
                  <td class="kern-table__cell">{formatDate(entry.start_date)}</td>
                  <td class="kern-table__cell">{formatDateTime(entry.submitted_at)}</td>
                  <td class="kern-table__cell">
                    <Button
                      disabled={action.busy || group.free_places < 1}
                      onClick={() => act("POST", "/api/staff/kita/offers", { facility_id: data.facility.id, application_id: entry.application_id })}
                      aria-label={t("kita.allocation.offer_to", { child: entry.child_name })}
                    >
                      {t("kita.allocation.offer")}
                    </Button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      ))}
      <h2 class="kern-heading-medium">{t("kita.allocation.offers")}</h2>
      {data.offers.length === 0 ? (
        <p class="kern-body">{t("kita.allocation.no_offers")}</p>
      ) : (
        <DataTable
          caption={t("kita.allocation.offers")}
          hiddenCaption
          head={["reference", "group", "status", "deadline", "action"].map((name) => t(`kita.allocation.offer_col.${name}`))}
        >
          {data.offers.map((offer) => (
            <tr class="kern-table__row" key={offer.id}>
              <td class="kern-table__cell">{offer.reference}</td>
              <td class="kern-table__cell">{t(`kita.group.${offer.age_group}`)}</td>
              <td class="kern-table__cell">{t(`kita.allocation.status.${offer.status}`)}</td>
              <td class="kern-table__cell">{formatDate(offer.deadline)}</td>
              <td class="kern-table__cell">
                {["offered", "accepted"].includes(offer.status) ? (
                  <Button
                    variant="secondary"
                    disabled={action.busy}
                    onClick={() => act("POST", `/api/staff/kita/offers/${offer.id}/withdraw`)}
                    aria-label={t("kita.allocation.withdraw_for", { reference: offer.reference })}
                  >
                    {t("kita.allocation.withdraw")}
                  </Button>
                ) : (
                  "–"
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
