// A service's start page: what it is, what it costs, who may apply, and "start".
import { useEffect, useState } from "preact/hooks";
import { FeeRules, PaymentPolicy } from "../../components/fee-info.jsx";
import { Alert, Button } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { Picked } from "../../components/picked.jsx";
import { LoadError } from "../../components/status.jsx";
import { LEAVING, useAction } from "../../hooks/use-action.js";
import { api, session } from "../../lib/api.js";
import { loadDefinition } from "../../lib/catalogue.js";
import { draftsChanged, myDrafts } from "../../lib/drafts.js";
import { buildPages } from "../../lib/form/pages.js";
import { formatDateTime, pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { openNewDraft } from "../../lib/form/start.js";
import { useSignal } from "../../lib/signal.js";
import { trustAtLeast } from "../../lib/trust.js";
import { TrustOffer } from "./trust-offer.jsx";

/**
 * A service for residents only (``residence`` in its definition) says so first; a
 * citizen whose address lies elsewhere learns it here, before filling in anything.
 */
function ResidenceNotice({ serviceId, definition, signedIn }) {
  const [check, setCheck] = useState(null);
  useEffect(() => {
    setCheck(null);
    if (!definition.residence) return;
    // Offline the general notice stays; the personal verdict needs the server.
    api("GET", `/api/services/${serviceId}/residence`).then(setCheck, () => setCheck(null));
  }, [serviceId, definition.residence, signedIn]);
  if (!definition.residence) return null;
  const city = check?.city || "";
  if (check?.resident === false) {
    return (
      <Alert kind="warning" title={t("residence.outside_title", { city })} live={false}>
        <p class="kern-body">{t("residence.outside_text", { city, place: check.address_city })}</p>
        {definition.trust_level === "high" && <p class="kern-body">{t("residence.outside_card")}</p>}
      </Alert>
    );
  }
  if (!city) return null;
  return (
    <Alert kind="info" title={t("residence.title", { city })} live={false}>
      <p class="kern-body">{t("residence.text", { city })}</p>
    </Alert>
  );
}

export function ServicePage({ serviceId }) {
  const current = useSignal(session);
  const version = useSignal(draftsChanged);
  const [definition, setDefinition] = useState(null);
  const [error, setError] = useState(null);
  const [started, setStarted] = useState([]);
  const { busy, run } = useAction();
  useEffect(() => {
    loadDefinition(serviceId).then(setDefinition, setError);
  }, [serviceId]);
  useEffect(() => {
    myDrafts().then((drafts) => setStarted(drafts.filter((d) => d.serviceId === serviceId && d.state !== "submitted")));
  }, [serviceId, version]);
  if (error) return <Page title={t("service.unavailable")}><LoadError error={error} /></Page>;
  if (!definition) return <Page title={t("app.loading")}><Loading /></Page>;
  const start = () =>
    run(async () => {
      await openNewDraft(definition);
      return LEAVING;
    });
  return (
    <Page title={pick(definition.title)} titleSource={definition.title}>
      <p class="kern-body kern-body--large">
        <Picked text={definition.description} block />
      </p>
      <p class="kern-body">
        {/* Leichte Sprache is German: the link says so in any language (BITV 2.0 § 4). */}
        <Link class="kern-link" href={definition.leichte_sprache ? `/leichte-sprache/${serviceId}` : "/leichte-sprache"} lang="de">
          {t("service.easy_read")}
        </Link>
      </p>
      <p class="kern-body">
        {/* Every published service has its guide, generated from its definition. */}
        <Link class="kern-link" href={`/leistungen/${serviceId}/anleitung`}>
          {t("service.guide_link")}
        </Link>
      </p>
      <ResidenceNotice serviceId={serviceId} definition={definition} signedIn={current.authenticated} />
      {definition.trust_level !== "basic" && (
        <>
          <Alert
            kind="info"
            title={definition.trust_level === "high" ? t("service.trust_high_title") : t("service.trust_substantial_title")}
            live={false}
          >
            <p class="kern-body">{pick(definition.trust_note)}</p>
          </Alert>
          {current.loaded && !trustAtLeast(current.user?.trust_level, definition.trust_level) && (
            <TrustOffer level={definition.trust_level} before signedIn={current.authenticated} returnTo={`/leistungen/${serviceId}`} />
          )}
        </>
      )}
      {definition.related_pages?.length > 0 && (
        // Pages of the portal the definition links to (checked when it was loaded).
        <section class="kern-stack" aria-labelledby="related-heading">
          <h2 class="kern-heading-medium" id="related-heading">{t("service.related_heading")}</h2>
          <ul class="kern-list link-list">
            {definition.related_pages.map((page) => (
              <li key={page.path}>
                <Link class="kern-link" href={page.path}>
                  {pick(page.label)}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="kern-stack" aria-labelledby="fees-heading">
        <h2 class="kern-heading-medium" id="fees-heading">{t("service.fees_heading")}</h2>
        <FeeRules definition={definition} />
        <PaymentPolicy policy={definition.payment?.policy} />
      </section>
      <section class="kern-stack" aria-labelledby="how-heading">
        <h2 class="kern-heading-medium" id="how-heading">{t("service.how_heading")}</h2>
        <ul class="kern-list kern-list--bullet">
          <li>{t("service.how_steps", { count: buildPages(definition, {}).length })}</li>
          <li>{t("service.how_saved")}</li>
          <li>{t("service.how_offline")}</li>
        </ul>
        {!current.authenticated && current.loaded && (
          <p class="kern-body">
            {t("service.sign_in_later")}{" "}
            <Link class="kern-link" href={`/anmelden?weiter=${encodeURIComponent(`/leistungen/${serviceId}`)}`}>
              {t("service.sign_in_now")}
            </Link>
          </p>
        )}
      </section>
      {started.length > 0 && (
        <section class="kern-stack" aria-labelledby="started-heading">
          <h2 class="kern-heading-medium" id="started-heading">{t("service.started_heading")}</h2>
          <ul class="kern-list link-list">
            {started.map((draft) => (
              <li key={draft.localId}>
                <Link class="kern-link" href={`/antrag/${draft.localId}/${draft.lastPage || "weiter"}`}>
                  {t("service.continue_draft", { time: formatDateTime(draft.updatedAt) })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div class="kern-btn-wrapper">
        <Button onClick={start} disabled={busy}>
          {started.length ? t("service.start_new") : t("service.start")}
        </Button>
      </div>
    </Page>
  );
}
