// The account's "BundID" section: link BundID to the account, or see that it is linked
// and compare what BundID sent with the profile.
import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../components/forms.jsx";
import { api } from "../../lib/api.js";
import { formatDate, t } from "../../lib/i18n.js";
import { Link, useLocation } from "../../lib/router.jsx";
import "./catalogue.js";

export function BundidAccountSection() {
  const { search } = useLocation();
  const [status, setStatus] = useState(null);
  const [review, setReview] = useState(null);
  useEffect(() => {
    api("GET", "/api/bundid/status").then((found) => {
      setStatus(found);
      // Only a bound BundID account can have sent data (no request, no 404, otherwise).
      if (found.binding) api("GET", "/api/bundid/data").then(setReview, () => setReview(null));
    }, () => setStatus(null));
  }, []);
  if (!status?.enabled) return null;
  const bound = status.binding;
  const done = bound && new URLSearchParams(search).get("bundid") === "ok";
  return (
    <section class="kern-stack" aria-labelledby="bundid-account-heading">
      <h2 class="kern-heading-medium" id="bundid-account-heading">
        {t("bundid.account_heading")}
      </h2>
      {done && <Alert kind="success" title={t("bundid.account_done")} />}
      {review?.pending && (
        <Alert kind="warning" title={t("bundid.pending_title")} live={false}>
          <p class="kern-body">
            <Link class="kern-link" href="/konto/bundid-daten">
              {t("bundid.pending_link")}
            </Link>
          </p>
        </Alert>
      )}
      {bound ? (
        <>
          <p class="kern-body">
            {t("bundid.account_linked", { date: formatDate(bound.bound_at), level: t(`trust.${bound.level}`) })}
          </p>
          {review && (
            <p>
              <Link class="kern-link" href="/konto/bundid-daten">
                {t("bundid.account_review")}
              </Link>
            </p>
          )}
        </>
      ) : (
        <>
          <p class="kern-body">{t("bundid.account_none")}</p>
          <p>
            <Link class="kern-btn kern-btn--secondary" href="/anmelden/bundid">
              <span class="kern-label">{t("bundid.account_link")}</span>
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
