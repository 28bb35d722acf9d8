// The parents' offers of day-care places: accept or decline each until its deadline.
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDate, t } from "../../lib/i18n.js";
import "./catalogue.js";

export function KitaOffersPage() {
  return (
    <RequireSignIn title={t("kita.offers.title")}>
      <Page title={t("kita.offers.title")}>
        <Offers />
      </Page>
    </RequireSignIn>
  );
}

function Offers() {
  const { data, error, reload } = useResource("/api/kita/offers");
  const action = useAction();
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  if (data.length === 0) return <p class="kern-body">{t("kita.offers.none")}</p>;
  const answer = (offer, verb) =>
    action.run(async () => {
      await api("POST", `/api/kita/offers/${offer.id}/${verb}`);
      reload();
    });
  return (
    <>
      {action.error && <ErrorSummary errors={action.error.fieldErrors || []} message={action.error.message} />}
      <ul class="kern-stack kita-list">
        {data.map((offer) => (
          <li key={offer.id} class="kern-card">
            <div class="kern-card__container">
              <h2 class="kern-heading-small">{offer.facility_name}</h2>
              <p class="kern-body">
                {t("kita.offers.summary", { hours: offer.hours, group: t(`kita.group.${offer.age_group}`) })}
              </p>
              <p class="kern-body" id={`offer-${offer.id}-status`}>
                {t(`kita.offers.status.${offer.status}`, { deadline: formatDate(offer.deadline) })}
              </p>
              {offer.status === "offered" && (
                <div class="kern-stack kern-stack--horizontal">
                  <Button disabled={action.busy} onClick={() => answer(offer, "accept")} aria-describedby={`offer-${offer.id}-status`}>
                    {t("kita.offers.accept")}
                  </Button>
                  <Button variant="secondary" disabled={action.busy} onClick={() => answer(offer, "decline")} aria-describedby={`offer-${offer.id}-status`}>
                    {t("kita.offers.decline")}
                  </Button>
                </div>
              )}
              {offer.status === "accepted" && <Alert kind="success">{t("kita.offers.accepted_note")}</Alert>}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
