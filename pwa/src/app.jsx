// The app frame: header with navigation, notices (offline, new version), the current
// page, footer. Narrower than a phone (e.g. a phone at 200 % zoom) the navigation folds
// behind a "Menü" button, so the header leaves room for the page.
import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "./components/forms.jsx";
import { KioskBar } from "./components/kiosk-bar.jsx";
import { LanguageChooser, chooseLanguage } from "./components/language-chooser.jsx";
import { NotFoundPage } from "./pages/not-found.jsx";
import { isStaff } from "./components/require-staff.jsx";
import { session } from "./lib/api.js";
import { offlineReady } from "./lib/catalogue.js";
import { online } from "./lib/connectivity.js";
import { useHyphenate } from "./lib/hyphenate.js";
import { kiosk } from "./lib/kiosk.js";
import { cacheRoleAssets } from "./lib/role-assets.js";
import { hasPermits, isOfficer, refreshPermits } from "./lib/passes/wallet-flag.js";
import { locale, setLocale, t } from "./lib/i18n.js";
import { supported } from "./lib/languages.js";
import { Link, matchRoute, useLocation } from "./lib/router.jsx";
import { useSignal } from "./lib/signal.js";
import { applyUpdate, updateReady } from "./lib/sw-register.js";
import { unread } from "./lib/unread.js";
import { FirstVisitTour } from "./components/first-visit-tour.jsx";
import { sendPendingTour, tourReplay, tourWanted } from "./lib/tour.js";
import { ROUTES } from "./routes.js";

function NavLink({ href, path, children, exact = false }) {
  const active = exact ? path === href : path === href || path.startsWith(`${href}/`);
  return (
    <li>
      <Link href={href} class="kern-link" aria-current={active ? "page" : undefined}>
        {children}
      </Link>
    </li>
  );
}

function Notices() {
  const isOnline = useSignal(online);
  const update = useSignal(updateReady);
  return (
    <div class="kern-container app-notices" aria-live="polite">
      {!isOnline && (
        <div class="notice notice--offline" role="status">
          <span class="kern-icon kern-icon--warning kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{t("offline.banner")}</span>
        </div>
      )}
      {update && (
        <div class="notice notice--update" role="status">
          <span class="kern-body">{t("update.available")}</span>
          <Button variant="secondary" onClick={applyUpdate}>
            {t("update.reload")}
          </Button>
        </div>
      )}
    </div>
  );
}

export function App() {
  const { path } = useLocation();
  const lang = useSignal(locale);
  const hyphenate = useHyphenate();
  const current = useSignal(session);
  const unreadCount = useSignal(unread);
  const ready = useSignal(offlineReady);
  const permits = useSignal(hasPermits);
  const terminal = useSignal(kiosk);
  const replay = useSignal(tourReplay);
  // At a sign-in on this page: a language chosen on this device goes to the account;
  // a device without a choice takes the account's, so a citizen finds the language they
  // chose elsewhere. (Opening the portal already signed in changes nothing.)
  const signedOut = useRef(null);
  useEffect(() => {
    if (!current.loaded) return;
    const own = current.authenticated && current.user?.locale;
    if (own && signedOut.current) {
      const chosen = localStorage.getItem("locale");
      if (chosen && supported(chosen) === chosen) chooseLanguage(chosen);
      else if (supported(own) === own && own !== locale.get()) setLocale(own);
    }
    signedOut.current = !current.authenticated;
  }, [current.loaded, current.user?.id]);
  useEffect(() => {
    if (current.loaded) refreshPermits(current.authenticated ? current.user : null);
    // An officer signing in on this device: keep the scanner here for use offline.
    if (current.authenticated) cacheRoleAssets(current.user);
    if (current.loaded) sendPendingTour(current);
  }, [current.loaded, current.user?.id]);
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef(null);
  useEffect(() => setMenuOpen(false), [path]);
  const closeMenuOnEscape = (event) => {
    if (event.key !== "Escape" || !menuOpen) return;
    setMenuOpen(false);
    menuButton.current?.focus();
  };
  const [PageComponent, params] = matchRoute(ROUTES, path);
  const Shown = PageComponent || NotFoundPage;
  return (
    <>
      <a class="skip-link kern-link" href="#main">
        {t("app.skip_to_content")}
      </a>
      <div class="kern-kopfzeile">
        <div class="kern-container">
          <div class="kern-kopfzeile__content">
            <span class="kern-kopfzeile__flagge" aria-hidden="true" />
            <span class="kern-kopfzeile__label">{t("app.official")}</span>
          </div>
        </div>
      </div>
      <header class="site-header" onKeyDown={closeMenuOnEscape}>
        <div class="kern-container site-header__inner">
          <Link href="/" class="site-title kern-link">
            <img class="site-title__logo" src="/city/logo.svg" alt="" width="32" height="32" />
            {hyphenate(t("app.name"))}
          </Link>
          <button
            type="button"
            class="kern-btn kern-btn--secondary kern-btn--x-small site-menu-toggle"
            aria-expanded={menuOpen ? "true" : "false"}
            aria-controls="site-nav"
            ref={menuButton}
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <span class="kern-label">
              {t("nav.menu")}
              {/* Folded away, the inbox's count of unread messages shows on the button. */}
              {unreadCount > 0 && (
                <span class="nav-count">
                  {" "}
                  <span aria-hidden="true">({unreadCount})</span>
                  <span class="visually-hidden">{t("nav.unread", { count: unreadCount })}</span>
                </span>
              )}
            </span>
          </button>
          <nav id="site-nav" class={menuOpen ? "site-nav-box site-nav-box--open" : "site-nav-box"} aria-label={t("nav.label")}>
            <ul class="site-nav">
              <NavLink href="/" path={path} exact>
                {t("nav.services")}
              </NavLink>
              {current.authenticated && (
                <>
                  <NavLink href="/antraege" path={path}>
                    {t("nav.applications")}
                  </NavLink>
                  <NavLink href="/postfach" path={path}>
                    {t("nav.inbox")}
                    {unreadCount > 0 && (
                      <span class="nav-count">
                        {" "}
                        <span aria-hidden="true">({unreadCount})</span>
                        <span class="visually-hidden">{t("nav.unread", { count: unreadCount })}</span>
                      </span>
                    )}
                  </NavLink>
                </>
              )}
              {current.authenticated && permits && (
                <NavLink href="/parkausweis" path={path}>
                  {t("nav.parking")}
                </NavLink>
              )}
              {isOfficer(current.user) && (
                <NavLink href="/kontrolle" path={path}>
                  {t("nav.officer")}
                </NavLink>
              )}
              {isStaff(current.user) && (
                <NavLink href="/sachbearbeitung" path={path}>
                  {t("nav.staff")}
                </NavLink>
              )}
              {(current.user?.role === "facility" || current.user?.areas?.includes("kita")) && (
                <NavLink href="/kita/vergabe" path={path}>
                  {t("nav.kita_allocation")}
                </NavLink>
              )}
              {current.user?.areas?.includes("buergerbuero") && (
                <NavLink href="/buergerbuero" path={path}>
                  {t("nav.appointments_staff")}
                </NavLink>
              )}
              {current.user?.role === "admin" && (
                <NavLink href="/verwaltung" path={path}>
                  {t("nav.console")}
                </NavLink>
              )}
              {current.user?.role === "statistics" && (
                <NavLink href="/verwaltung/statistik" path={path}>
                  {t("nav.console")}
                </NavLink>
              )}
              {current.authenticated ? (
                <NavLink href="/konto" path={path}>
                  {t("nav.account")}
                </NavLink>
              ) : (
                <NavLink href="/anmelden" path={path}>
                  {t("nav.sign_in")}
                </NavLink>
              )}
              <li>
                <LanguageChooser path={path} />
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <Notices />
      <main id="main" class="kern-container" tabIndex={-1}>
        <Shown key={`${path}-${lang}`} {...params} />
      </main>
      {/* The guided first visit, once per account (lib/tour.js). */}
      {tourWanted(current, path, replay) && <FirstVisitTour key={current.user.id} replay={replay} openMenu={setMenuOpen} />}
      {/* The Bürgerbüro terminal: its own "Zurück", "Startseite", "Sitzung beenden". */}
      {terminal.active && <KioskBar />}
      <footer class="site-footer">
        <div class="kern-container kern-stack">
          <nav aria-label={t("footer.label")}>
            <ul class="footer-nav">
              <li><Link class="kern-link" href="/hilfe">{t("footer.help")}</Link></li>
              <li><Link class="kern-link" href="/barrierefreiheit">{t("footer.accessibility")}</Link></li>
              <li><Link class="kern-link" href="/leichte-sprache" lang="de">{t("footer.easy_read")}</Link></li>
              <li><Link class="kern-link" href="/datenschutz">{t("footer.privacy")}</Link></li>
              <li><Link class="kern-link" href="/impressum">{t("footer.imprint")}</Link></li>
            </ul>
          </nav>
          {ready && <p class="kern-body kern-body--small offline-ready">{t("footer.offline_ready")}</p>}
          <p class="kern-body kern-body--small">{t("app.footer")}</p>
        </div>
      </footer>
    </>
  );
}
