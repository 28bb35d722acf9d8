// Small entries into the payment screens from other screens (application, sent page,
// inbox, account): they carry their own texts, so those screens need no new keys.
import { t, formatMoney } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import "./catalogue.js";

/** An application waiting for its fee: the amount and "Jetzt bezahlen". */
export function PayNowSection({ application }) {
  if (application?.status !== "awaiting_payment" || !(application.fee_cents > 0)) return null;
  return (
    <section class="kern-stack" aria-labelledby="pay-now-heading">
      <h2 class="kern-heading-medium" id="pay-now-heading">
        {t("pay.section_heading")}
      </h2>
      <p class="kern-body">{t("pay.fee_due", { amount: formatMoney(application.fee_cents) })}</p>
      <p>
        <Link class="kern-btn kern-btn--primary" href={`/antraege/${application.id}/bezahlen`}>
          <span class="kern-label">{t("pay.now")}</span>
        </Link>
      </p>
    </section>
  );
}

/** "Jetzt bezahlen" for an application just sent (the sent page). */
export function PayNowButton({ applicationId }) {
  if (!applicationId) return null;
  return (
    <p>
      <Link class="kern-btn kern-btn--primary" href={`/antraege/${applicationId}/bezahlen`}>
        <span class="kern-label">{t("pay.now")}</span>
      </Link>
    </p>
  );
}

/** A link to the open payments (notices to pay). */
export function NoticesLink() {
  return (
    <Link class="kern-link" href="/zahlungen">
      {t("pay.nav")}
    </Link>
  );
}

/** The account's entry to notices, payments and receipts. */
export function PaymentsAccountSection() {
  return (
    <section class="kern-stack" aria-labelledby="payments-account-heading">
      <h2 class="kern-heading-medium" id="payments-account-heading">
        {t("pay.nav")}
      </h2>
      <p class="kern-body">{t("pay.notices_intro")}</p>
      <ul class="kern-list link-list">
        <li>
          <NoticesLink />
        </li>
      </ul>
    </section>
  );
}
