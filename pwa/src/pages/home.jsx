// The start page: every service of the city with a search, and drafts to continue.
import { useEffect, useMemo, useState } from "preact/hooks";
import { Badge } from "../components/forms.jsx";
import { Page } from "../components/page.jsx";
import { Picked } from "../components/picked.jsx";
import { LoadError, OfflineCopy } from "../components/status.jsx";
import { session } from "../lib/api.js";
import { loadCatalogue } from "../lib/catalogue.js";
import { draftsChanged, myDrafts } from "../lib/drafts.js";
import { useHyphenate } from "../lib/hyphenate.js";
import { formatDateTime, pick, t } from "../lib/i18n.js";
import { Link } from "../lib/router.jsx";
import { useSignal } from "../lib/signal.js";
import { SurveyBanner } from "./surveys/banner.jsx";

/** A category's name; a category added later without a translation is "other services". */
function categoryName(category) {
  const key = `category.${category}`;
  const name = t(key);
  return name === key ? t("category.other") : name;
}

const fold = (text) =>
  (text || "")
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss");

function matches(service, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = fold([service.title.de, service.title.en, service.description.de, service.description.en, categoryName(service.category)].join(" "));
  return words.every((word) => haystack.includes(word));
}

function ContinueDrafts() {
  const version = useSignal(draftsChanged);
  const [drafts, setDrafts] = useState([]);
  useEffect(() => {
    myDrafts().then((all) => setDrafts(all.filter((d) => d.state !== "submitted")));
  }, [version]);
  if (!drafts.length) return null;
  return (
    <section class="kern-stack" aria-labelledby="continue-heading">
      <h2 class="kern-heading-medium" id="continue-heading">{t("home.continue_heading")}</h2>
      <ul class="kern-list link-list">
        {drafts.map((draft) => (
          <li key={draft.localId}>
            <Link class="kern-link" href={draft.state === "queued" ? `/antrag/${draft.localId}/gesendet` : `/antrag/${draft.localId}/${draft.lastPage || "weiter"}`}>
              {pick(draft.title)}
            </Link>
            <span class="kern-body kern-body--small list-meta">
              {draft.state === "queued" ? t("applications.queued") : t("home.changed", { time: formatDateTime(draft.updatedAt) })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HomePage() {
  const current = useSignal(session);
  const hyphenate = useHyphenate();
  const [catalogue, setCatalogue] = useState(null);
  const [cachedAt, setCachedAt] = useState(null);
  const [error, setError] = useState(null);
  const [query, setQuery] = useState("");
  useEffect(() => {
    loadCatalogue().then(
      (result) => {
        setCatalogue(result.data);
        setCachedAt(result.cachedAt);
      },
      setError,
    );
  }, []);
  const found = useMemo(() => (catalogue || []).filter((service) => matches(service, query)), [catalogue, query]);
  const categories = [...new Set(found.map((service) => service.category))];
  return (
    <Page title={t("home.title")}>
      <p class="kern-body kern-body--large">{t("home.intro")}</p>
      {/* Space kept while the session loads, so nothing below jumps when it arrives. */}
      <div class="session-slot">
        {current.loaded && !current.authenticated && (
          <Link href="/anmelden" class="kern-btn kern-btn--primary">
            <span class="kern-label">{t("home.start")}</span>
          </Link>
        )}
        {current.authenticated && <p class="kern-body">{t("home.welcome", { email: current.user.email })}</p>}
      </div>
      <SurveyBanner />
      <ContinueDrafts />
      <section class="kern-stack" aria-labelledby="services-heading">
        <h2 class="kern-heading-medium" id="services-heading">{t("home.services_heading")}</h2>
        <OfflineCopy cachedAt={cachedAt} />
        <LoadError error={error} />
        <form role="search" class="kern-form-input" onSubmit={(event) => event.preventDefault()}>
          <label class="kern-label" for="service-search">{t("home.search_label")}</label>
          <div class="kern-hint" id="service-search-hint">{t("home.search_hint")}</div>
          <input
            class="kern-form-input__input"
            id="service-search"
            type="search"
            value={query}
            aria-describedby="service-search-hint"
            autocomplete="off"
            onInput={(event) => setQuery(event.currentTarget.value)}
          />
        </form>
        {!catalogue && !error && <div class="catalogue-placeholder" />}
        {catalogue && (
          <p class="kern-body" role="status">
            {query ? t("home.search_results", { count: found.length }) : t("home.service_count", { count: found.length })}
          </p>
        )}
        {categories.map((category) => (
          <div class="kern-stack" key={category}>
            <h3 class="kern-heading-small">{categoryName(category)}</h3>
            <ul class="service-list">
              {found
                .filter((service) => service.category === category)
                .map((service) => (
                  <li class="service-card" key={service.id}>
                    <Link class="kern-link service-card__link" href={`/leistungen/${service.id}`}>
                      <Picked text={service.title} format={hyphenate} />
                    </Link>
                    <p class="kern-body kern-body--small">
                      <Picked text={service.description} />
                    </p>
                    {service.trust_level === "high" && <Badge kind="info">{t("home.needs_eid")}</Badge>}
                    {service.trust_level === "substantial" && <Badge kind="info">{t("home.needs_substantial")}</Badge>}
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </section>
      <p class="kern-body">
        <Link class="kern-link" href="/meldungen">
          {t("home.reports")}
        </Link>
      </p>
      <p class="kern-body">
        {t("home.counter")}{" "}
        <Link class="kern-link" href="/termine">
          {t("home.book_appointment")}
        </Link>
      </p>
    </Page>
  );
}
