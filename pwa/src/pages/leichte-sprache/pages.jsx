// Leichte Sprache pages: one sentence per line in large type, always marked as German
// (lang="de") whatever language the portal shows, as Leichte Sprache is German. The
// overview explains the main journeys (from the catalogue) and lists every service with
// a summary; a service's page shows the summary its definition carries. Both read only
// the catalogue and definitions the service worker keeps, so they open offline.
import { useEffect, useState } from "preact/hooks";
import { Loading, Page } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { loadCatalogue, loadDefinition } from "../../lib/catalogue.js";
import { cityPlaceholders } from "../../lib/city.js";
import { pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";

// The city's name for {city} in the texts (from the city package; Leichte Sprache is German).
const city = (text) => (text || "").replaceAll("{city}", cityPlaceholders("de").city || "");

function Sentences({ sentences }) {
  return (
    <div class="easy-read__sentences">
      {sentences.map((sentence, index) => (
        <p class="easy-read__sentence" key={index}>
          {city(sentence)}
        </p>
      ))}
    </div>
  );
}

function Section({ heading, sentences, id }) {
  return (
    <section class="easy-read__section" aria-labelledby={id}>
      <h2 class="kern-heading-medium" id={id}>
        {city(heading)}
      </h2>
      <Sentences sentences={sentences} />
    </section>
  );
}

function EasyRead({ title, children }) {
  return (
    <div lang="de" class="easy-read">
      <Page title={title}>{children}</Page>
    </div>
  );
}

export function EasyReadOverviewPage() {
  const [services, setServices] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    loadCatalogue().then(({ data }) => setServices(data.filter((service) => service.leichte_sprache_title)), setError);
  }, []);
  return (
    <EasyRead title={t("easy.title")}>
      <Sentences sentences={t("easy.intro")} />
      <h2 class="kern-heading-medium">{t("easy.journeys_heading")}</h2>
      {t("easy.journeys").map((journey, index) => (
        <Section key={index} id={`journey-${index}`} heading={journey.heading} sentences={journey.sentences} />
      ))}
      <section class="easy-read__section" aria-labelledby="easy-services">
        <h2 class="kern-heading-medium" id="easy-services">
          {t("easy.services_heading")}
        </h2>
        <p class="easy-read__sentence">{t("easy.services_intro")}</p>
        {error && <LoadError error={error} />}
        {!services && !error && <Loading />}
        {services && (
          <ul class="kern-list link-list easy-read__links">
            {services.map((service) => (
              <li key={service.id}>
                <Link class="kern-link" href={`/leichte-sprache/${service.id}`}>
                  {city(service.leichte_sprache_title)}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </EasyRead>
  );
}

export function EasyReadServicePage({ serviceId }) {
  const [definition, setDefinition] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setDefinition(null);
    setError(null);
    loadDefinition(serviceId).then(setDefinition, setError);
  }, [serviceId]);
  const back = (
    <p class="easy-read__sentence">
      <Link class="kern-link" href="/leichte-sprache">
        {t("easy.back")}
      </Link>
    </p>
  );
  if (error) {
    return (
      <EasyRead title={t("easy.unavailable")}>
        <LoadError error={error} />
        {back}
      </EasyRead>
    );
  }
  if (!definition) {
    return (
      <EasyRead title={t("easy.title")}>
        <Loading />
      </EasyRead>
    );
  }
  const summary = definition.leichte_sprache;
  return (
    <EasyRead title={summary ? city(summary.title) : pick(definition.title)}>
      {summary ? (
        summary.sections.map((section, index) => <Section key={index} id={`easy-${index}`} heading={section.heading} sentences={section.sentences} />)
      ) : (
        <p class="easy-read__sentence">{t("easy.missing")}</p>
      )}
      <p class="easy-read__sentence">
        <Link class="kern-link" href={`/leistungen/${serviceId}`}>
          {t("easy.to_service", { title: pick(definition.title) })}
        </Link>
      </p>
      {back}
    </EasyRead>
  );
}
