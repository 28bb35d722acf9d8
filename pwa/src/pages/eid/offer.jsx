// For a service that needs trust level "high" (or "substantial", beside BundID): the way
// to the eID step and back to the same place (the form keeps its draft on this device and
// on the server). ``before``: offered on the service page, before the form is filled in;
// ``offerOnly``: the button alone, as one way among others.
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import "./catalogue.js";

export function EidOffer({ returnTo, signedIn, before = false, offerOnly = false }) {
  const back = encodeURIComponent(returnTo);
  const style = before || offerOnly ? "kern-btn kern-btn--secondary" : "kern-btn kern-btn--primary";
  if (signedIn && offerOnly) {
    // One way among others (components of pages/form/trust-offer.jsx): the button alone.
    return (
      <p>
        <Link class={style} href={`/konto/ausweis?weiter=${back}`}>
          <span class="kern-label">{t("ausweis.form_confirm")}</span>
        </Link>
      </p>
    );
  }
  if (signedIn) {
    return (
      <>
        <p class="kern-body">{before ? t("ausweis.form_before") : t("ausweis.form_why")}</p>
        <p>
          <Link class={style} href={`/konto/ausweis?weiter=${back}`}>
            <span class="kern-label">{t("ausweis.form_confirm")}</span>
          </Link>
        </p>
      </>
    );
  }
  // Not signed in: next to "sign in and send", the eID sign-in leads straight to the goal.
  return (
    <p>
      <Link class="kern-btn kern-btn--secondary" href={`/anmelden/ausweis?weiter=${back}`}>
        <span class="kern-label">{t("ausweis.form_sign_in")}</span>
      </Link>
    </p>
  );
}
