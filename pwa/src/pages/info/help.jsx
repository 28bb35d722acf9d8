// Help: the overview of the portal guides, the guides of every published service
// (/leistungen/<id>/anleitung) and the way to the Leichte Sprache pages; and each
// portal guide at /hilfe/<topic> (guides.jsx).
import { useEffect, useState } from "preact/hooks";
import { Page, Loading } from "../../components/page.jsx";
import { Picked } from "../../components/picked.jsx";
import { LoadError } from "../../components/status.jsx";
import { loadCatalogue } from "../../lib/catalogue.js";
import { t } from "../../lib/i18n.js";
import { Link, navigate } from "../../lib/router.jsx";
import { NotFoundPage } from "../not-found.jsx";
import { ContentPage } from "./content.jsx";
import { FORMER_TOPICS, GUIDES, GuidePage } from "./guides.jsx";

function ServiceGuides() {
  const [services, setServices] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    loadCatalogue().then((result) => setServices(result.data), setError);
  }, []);
  if (error) return <LoadError error={error} />;
  if (!services) return <Loading />;
  return (
    <ul class="kern-list link-list service-guides">
      {services.map((service) => (
        <li key={service.id}>
          <Link class="kern-link" href={`/leistungen/${encodeURIComponent(service.id)}/anleitung`}>
            <Picked text={service.title} />
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function HelpPage() {
  return (
    <Page title={t("help.title")}>
      <p class="kern-body">{t("help.intro")}</p>
      <section class="kern-stack" aria-labelledby="portal-guides-heading">
        <h2 class="kern-heading-medium" id="portal-guides-heading">
          {t("help.portal_heading")}
        </h2>
        <ul class="service-list portal-guides">
          {Object.entries(GUIDES).map(([topic, guide]) => (
            <li class="service-card" key={topic}>
              <Link class="kern-link service-card__link" href={`/hilfe/${topic}`}>
                {t(`${guide.key}.title`)}
              </Link>
              <p class="kern-body kern-body--small">{t(`${guide.key}.summary`)}</p>
            </li>
          ))}
        </ul>
      </section>
      <section class="kern-stack" aria-labelledby="service-guides-heading">
        <h2 class="kern-heading-medium" id="service-guides-heading">
          {t("help.services_heading")}
        </h2>
        <p class="kern-body">{t("help.services_intro")}</p>
        <ServiceGuides />
      </section>
      <section class="kern-stack" aria-labelledby="easy-read-heading">
        <h2 class="kern-heading-medium" id="easy-read-heading">
          {t("footer.easy_read")}
        </h2>
        <p class="kern-body">{t("help.easy_read_text")}</p>
        <p>
          <Link class="kern-link" href="/leichte-sprache">
            {t("help.easy_read_link")}
          </Link>
        </p>
      </section>
    </Page>
  );
}

export function HelpTopicPage({ topic }) {
  const former = FORMER_TOPICS[topic];
  // An address from before the guides were rewritten: the guide that replaced it.
  useEffect(() => {
    if (former) navigate(`/hilfe/${former}`, { replace: true });
  }, [former]);
  if (GUIDES[topic]) return <GuidePage topic={topic} />;
  if (former) return <GuidePage topic={former} />;
  return <NotFoundPage />;
}

export function PrivacyPage() {
  return <ContentPage name="privacy" />;
}

export function ImprintPage() {
  return <ContentPage name="imprint" />;
}
