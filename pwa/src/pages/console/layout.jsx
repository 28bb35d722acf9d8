// Every console screen: only for admins, wide (desktop first, still usable on a tablet),
// with the console's navigation beside the content.
import { Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { session } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link, useLocation } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import "./catalogue.js";
import "./console.css";
import { SECTIONS } from "./sections.js";

export const isAdmin = (user) => Boolean(user && user.role === "admin");

function current(section, path) {
  return section.exact ? path === section.path : path === section.path || path.startsWith(`${section.path}/`);
}

function ConsoleNav() {
  const { path } = useLocation();
  return (
    <nav class="console-nav" aria-label={t("console.nav.label")}>
      <ul class="console-nav__list">
        {SECTIONS.map((section) => (
          <li key={section.path}>
            <Link class="kern-link console-nav__link" href={section.path} aria-current={current(section, path) ? "page" : undefined}>
              {t(section.labelKey)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A console screen titled ``title``; people without the admin role are told so. */
export function ConsolePage({ title, children }) {
  const signedIn = useSignal(session);
  return (
    <RequireSignIn title={title}>
      {isAdmin(signedIn.user) ? (
        <div class="console">
          <ConsoleNav />
          <div class="console__main">
            <Page title={title} caption={t("console.caption")} wide>
              {children}
            </Page>
          </div>
        </div>
      ) : (
        <Page title={t("console.no_access_title")}>
          <p class="kern-body">{t("console.no_access_text")}</p>
        </Page>
      )}
    </RequireSignIn>
  );
}
