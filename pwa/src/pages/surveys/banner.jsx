// The start page's notice of open city surveys ("Ihre Meinung ist gefragt"): a link to
// each survey not answered or dismissed on this device; dismissing is remembered here.
import { useEffect, useState } from "preact/hooks";
import { apiGet } from "../../lib/api.js";
import { pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { dismiss, isAnsweredHere, isDismissed } from "../../lib/surveys.js";
import "./catalogue.js";

export function SurveyBanner() {
  const [surveys, setSurveys] = useState([]);
  useEffect(() => {
    apiGet("/api/surveys").then(
      ({ data }) => setSurveys(data.filter((s) => s.open && !isDismissed(s.id) && !isAnsweredHere(s.id))),
      () => setSurveys([]),
    );
  }, []);
  if (!surveys.length) return null;
  return (
    <>
      {surveys.map((survey) => (
        <section key={survey.id} class="kern-alert kern-alert--info survey-banner" aria-label={t("surveys.banner_named", { title: pick(survey.title) })}>
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--info" aria-hidden="true" />
            <h2 class="kern-title">{t("surveys.banner_heading")}</h2>
          </div>
          <div class="kern-alert__body kern-stack">
            <p class="kern-body">{pick(survey.banner)}</p>
            <div class="kern-btn-wrapper">
              <Link class="kern-btn kern-btn--primary" href={`/umfragen/${survey.id}`}>
                <span class="kern-label">{t("surveys.banner_open")}</span>
              </Link>
              <button
                type="button"
                class="kern-btn kern-btn--tertiary"
                onClick={() => {
                  dismiss(survey.id);
                  setSurveys((list) => list.filter((item) => item.id !== survey.id));
                }}
              >
                <span class="kern-label">
                  {t("surveys.banner_dismiss")}
                  <span class="visually-hidden">: {pick(survey.title)}</span>
                </span>
              </button>
            </div>
          </div>
        </section>
      ))}
    </>
  );
}
