// The account's "Online-Ausweis" section: confirm a basic account with the eID, or see
// that it is confirmed (after the RefreshAddress sent the citizen to /konto?eid=ok).
import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../components/forms.jsx";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link, useLocation } from "../../lib/router.jsx";
import "./catalogue.js";

export function EidAccountSection({ user }) {
  const { search } = useLocation();
  const high = user?.trust_level === "high";
  const done = high && new URLSearchParams(search).get("eid") === "ok";
  // A card read whose details the citizen has not compared with the profile yet.
  const [pending, setPending] = useState(false);
  // Whether a card was read for this account (a high trust level may come from BundID).
  const [card, setCard] = useState(false);
  useEffect(() => {
    if (!high) return;
    api("GET", "/api/account/eid-data").then(
      (review) => {
        setPending(review.pending);
        setCard(true);
      },
      () => setPending(false),
    );
  }, [high]);
  return (
    <section class="kern-stack" aria-labelledby="eid-account-heading">
      <h2 class="kern-heading-medium" id="eid-account-heading">
        {t("ausweis.account_heading")}
      </h2>
      {done && <Alert kind="success" title={t("ausweis.account_done")} />}
      {pending && (
        <Alert kind="warning" title={t("review.pending_title")} live={false}>
          <p class="kern-body">
            <Link class="kern-link" href="/konto/ausweis-daten">
              {t("review.pending_link")}
            </Link>
          </p>
        </Alert>
      )}
      {high ? (
        <>
          <p class="kern-body">{t("ausweis.account_high")}</p>
          <ul class="kern-list link-list">
            {card && (
              <li>
                <Link class="kern-link" href="/konto/ausweis-daten">
                  {t("ausweis.account_review")}
                </Link>
              </li>
            )}
            <li>
              <Link class="kern-link" href="/konto/ausweis">
                {t("ausweis.account_manage")}
              </Link>
            </li>
          </ul>
        </>
      ) : (
        <>
          <p class="kern-body">{t("ausweis.account_basic")}</p>
          <p>
            <Link class="kern-btn kern-btn--secondary" href="/konto/ausweis">
              <span class="kern-label">{t("ausweis.account_confirm_link")}</span>
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
