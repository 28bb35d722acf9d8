// Screens with personal data ask to sign in first, and come back afterwards.
import { Page } from "./page.jsx";
import { session } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { Link } from "../lib/router.jsx";
import { useSignal } from "../lib/signal.js";

export function RequireSignIn({ title, children }) {
  const current = useSignal(session);
  if (!current.loaded) {
    return (
      <Page title={title}>
        <p class="kern-body">{t("app.loading")}</p>
      </Page>
    );
  }
  if (!current.authenticated) {
    const back = encodeURIComponent(window.location.pathname);
    return (
      <Page title={title}>
        <p class="kern-body">{t("signin.needed")}</p>
        <p>
          <Link class="kern-btn kern-btn--primary" href={`/anmelden?weiter=${back}`}>
            <span class="kern-label">{t("home.start")}</span>
          </Link>
        </p>
      </Page>
    );
  }
  return children;
}
