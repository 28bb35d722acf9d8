// The wallet: every permit of the signed-in citizen with zone, plates, validity and state.
import { Badge } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError, OfflineCopy } from "../../components/status.jsx";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { STATE_BADGE, usePermits, validRange, stateLabel } from "./permit-data.js";

export function WalletPage() {
  return (
    <RequireSignIn title={t("parking.wallet_title")}>
      <Wallet />
    </RequireSignIn>
  );
}

function Wallet() {
  const { data, error, cachedAt } = usePermits();
  const permits = data || [];
  return (
    <Page title={t("parking.wallet_title")}>
      <p class="kern-body">{t("parking.wallet_intro")}</p>
      <OfflineCopy cachedAt={cachedAt} />
      <LoadError error={!data && error} />
      {!data && !error && <Loading />}
      {data && permits.length === 0 && <p class="kern-body">{t("parking.empty")}</p>}
      {permits.length > 0 && (
        <ul class="permit-list">
          {permits.map((permit) => (
            <li key={permit.id} class="permit-card">
              <h2 class="kern-heading-small permit-card__title">
                {t("parking.card_title", { zone: permit.zone })}
                {permit.zone_name && <span class="permit-card__zone-name"> · {permit.zone_name}</span>}
              </h2>
              <p class="permit-card__plates">{permit.plates.join(", ")}</p>
              <p class="kern-body">
                <Badge kind={STATE_BADGE[permit.state] || "info"}>{stateLabel(permit)}</Badge>{" "}
                <span class="permit-card__range">{validRange(permit)}</span>
              </p>
              <Link class="kern-btn kern-btn--secondary" href={`/parkausweis/${permit.id}`}>
                <span class="kern-label">{t("parking.show", { number: permit.number })}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {data && (
        <p>
          <Link class="kern-link" href="/leistungen/resident_parking">
            {permits.length ? t("parking.apply_another") : t("parking.apply")}
          </Link>
        </p>
      )}
    </Page>
  );
}
