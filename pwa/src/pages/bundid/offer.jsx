// For a service that needs trust level "substantial": BundID with an ELSTER certificate,
// asked for that level, and back to the same place (signed in already, BundID is linked to
// the account and raises its trust level).
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import "./catalogue.js";

export function BundidOffer({ returnTo, signedIn, primary = false }) {
  const href = `/anmelden/bundid?niveau=substanziell&weiter=${encodeURIComponent(returnTo)}`;
  return (
    <p>
      <Link class={primary ? "kern-btn kern-btn--primary" : "kern-btn kern-btn--secondary"} href={href}>
        <span class="kern-label">{signedIn ? t("bundid.form_link") : t("bundid.form_sign_in")}</span>
      </Link>
    </p>
  );
}
