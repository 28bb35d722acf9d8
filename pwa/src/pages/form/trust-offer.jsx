// For a service that needs more than a confirmed e-mail address, the ways to the trust
// level it needs and back to the same place (the draft stays on this device and on the
// server): "high" the Online-Ausweis; "substantial" BundID with an ELSTER certificate or
// the Online-Ausweis. ``before``: offered on the service page, before the form.
import { t } from "../../lib/i18n.js";
import { BundidOffer } from "../bundid/offer.jsx";
import { EidOffer } from "../eid/offer.jsx";

export function TrustOffer({ level, returnTo, signedIn, before = false }) {
  if (level === "high") return <EidOffer before={before} signedIn={signedIn} returnTo={returnTo} />;
  return (
    <>
      {signedIn && <p class="kern-body">{before ? t("trust.offer_before") : t("trust.offer_why")}</p>}
      <BundidOffer returnTo={returnTo} signedIn={signedIn} primary={signedIn && !before} />
      <EidOffer offerOnly signedIn={signedIn} returnTo={returnTo} />
    </>
  );
}
