// Every console screen: for admins (and, for their sections only, the roles that
// ROLE_SECTIONS names), wide (desktop first, still usable on a tablet), with the
// console's navigation beside the content.
import { useEffect } from "preact/hooks";
import { Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { session } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link, navigate, useLocation } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import "./catalogue.js";
import "./console.css";
import { SECTIONS, consoleHome, mayOpenPath, sectionCovers } from "./sections.js";

export const isAdmin = (user) => Boolean(user && user.role === "admin");

function ConsoleNav({ user }) {
  const { path } = useLocation();
  return (
    <nav class="console-nav" aria-label={t("console.nav.label")}>
      <ul class="console-nav__list">
        {SECTIONS.filter((section) => mayOpenPath(user, section.path)).map((section) => (
          <li key={section.path}>
            <Link class="kern-link console-nav__link" href={section.path} aria-current={sectionCovers(section, path) ? "page" : undefined}>
              {t(section.labelKey)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A console screen titled ``title``; people whose role may not open it are told so. */
export function ConsolePage({ title, children }) {
  const signedIn = useSignal(session);
  const { path } = useLocation();
  const user = signedIn.user;
  const home = consoleHome(user);
  // The console's start page is the admins'; other roles start at their first section.
  const elsewhere = path === "/verwaltung" && home && home !== path;
  useEffect(() => {
    if (elsewhere) navigate(home, { replace: true });
  }, [elsewhere, home]);
  if (elsewhere) return null;
  return (
    <RequireSignIn title={title}>
      {mayOpenPath(user, path) ? (
        <div class="console">
          <ConsoleNav user={user} />
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
