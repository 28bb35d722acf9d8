// Help: an overview and click-by-click guides for first-time users.
import { Page } from "../../components/page.jsx";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { ContentPage } from "./content.jsx";

const TOPICS = { registrieren: "help.register", antrag: "help.apply", app: "help.app" };

export function HelpPage() {
  return (
    <Page title={t("help.title")}>
      <p class="kern-body">{t("help.intro")}</p>
      <ul class="service-list">
        {t("help.topics").map((topic) => (
          <li class="service-card" key={topic.href}>
            <Link class="kern-link service-card__link" href={topic.href}>
              {topic.title}
            </Link>
            <p class="kern-body kern-body--small">{topic.text}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function HelpTopicPage({ topic }) {
  const name = TOPICS[topic];
  if (!name) return <HelpPage />;
  return (
    <ContentPage name={name}>
      <p>
        <Link class="kern-link" href="/hilfe">
          {t("help.back")}
        </Link>
      </p>
    </ContentPage>
  );
}

export function PrivacyPage() {
  return <ContentPage name="privacy" />;
}

export function ImprintPage() {
  return <ContentPage name="imprint" />;
}
