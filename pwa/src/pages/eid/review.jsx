// /konto/ausweis-daten: after the ID card was read, its data (in normal case) next to the
// profile. Nothing in the profile changes until the citizen chooses what to take over.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { formatDate, t } from "../../lib/i18n.js";
import { Link, navigate, queryParam, safeReturnPath, useLocation } from "../../lib/router.jsx";
import "./catalogue.js";

const EID_TEXTS = {
  title: "review.title",
  intro: "review.intro",
  caption: "review.caption",
  colCard: "review.col_card",
  verifiedNote: "review.verified_note",
};

export function EidReviewPage() {
  return <DataReviewPage endpoint="/api/account/eid-data" texts={EID_TEXTS} />;
}

/** The comparison screen for data from an identity check (the ID card, BundID): read
 * from ``endpoint`` (GET), decided there (POST ``take``); ``texts`` names the keys of
 * the texts that differ. */
export function DataReviewPage({ endpoint, texts }) {
  return (
    <RequireSignIn title={t(texts.title)}>
      <DataReview endpoint={endpoint} texts={texts} />
    </RequireSignIn>
  );
}

const shown = (field, value) => (field.name === "date_of_birth" ? formatDate(value) : value);

function DataReview({ endpoint, texts }) {
  const { search } = useLocation();
  const next = safeReturnPath(queryParam(search, "weiter")) || "/konto";
  const [review, setReview] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [take, setTake] = useState({});
  const { busy, error, run } = useAction();
  useEffect(() => {
    api("GET", endpoint).then((data) => {
      setReview(data);
      // Fields that already match need no decision; the others start ticked.
      setTake(Object.fromEntries(data.fields.map((field) => [field.name, !field.same || !field.verified])));
    }, setLoadError);
  }, []);
  if (loadError) return <Page title={t(texts.title)}><LoadError error={loadError} /></Page>;
  if (!review) return <Page title={t(texts.title)}><Loading /></Page>;
  const confirm = (names) =>
    run(async () => {
      await api("POST", endpoint, { take: names });
      navigate(next);
    });
  const chosen = review.fields.filter((field) => take[field.name]).map((field) => field.name);
  return (
    <Page title={t(texts.title)}>
      <ErrorSummary message={error ? error.message : ""} />
      <p class="kern-body kern-body--large">{t(texts.intro)}</p>
      {!review.pending && (
        <Alert kind="info" title={t("review.done_title")} live={false}>
          <p class="kern-body">{t("review.done_text")}</p>
        </Alert>
      )}
      {/* One block per detail, not a table: on a phone four columns do not fit. */}
      <section class="kern-stack" aria-labelledby="review-caption">
        <h2 class="kern-heading-medium" id="review-caption">{t(texts.caption)}</h2>
        <div class="kern-stack">
          {review.fields.map((field) => (
            <div key={field.name} class="kern-stack" role="group" aria-labelledby={`review-${field.name}`} data-field={field.name}>
              <h3 class="kern-heading-small" id={`review-${field.name}`}>{t(`profile.${field.name}`)}</h3>
              <dl class="kern-description-list">
                <div class="kern-description-list-item">
                  <dt class="kern-description-list-item__key">{t(texts.colCard)}</dt>
                  <dd class="kern-description-list-item__value" data-card>{shown(field, field.card)}</dd>
                </div>
                <div class="kern-description-list-item">
                  <dt class="kern-description-list-item__key">{t("review.col_profile")}</dt>
                  <dd class="kern-description-list-item__value" data-profile>
                    {field.profile ? shown(field, field.profile) : t("review.empty")}
                  </dd>
                </div>
              </dl>
              {field.same && <p class="kern-body kern-body--small">{t("review.same")}</p>}
              <div class="kern-form-check">
                <input
                  class="kern-form-check__checkbox"
                  type="checkbox"
                  id={`take-${field.name}`}
                  checked={!!take[field.name]}
                  onChange={(event) => setTake({ ...take, [field.name]: event.currentTarget.checked })}
                />
                <label class="kern-label" for={`take-${field.name}`}>
                  {t("review.take_field", { field: t(`profile.${field.name}`) })}
                </label>
              </div>
            </div>
          ))}
        </div>
      </section>
      <p class="kern-body">{t(texts.verifiedNote)}</p>
      <div class="kern-btn-wrapper">
        <Button onClick={() => confirm(review.fields.map((field) => field.name))} disabled={busy}>
          {t("review.take_all")}
        </Button>
        <Button variant="secondary" onClick={() => confirm(chosen)} disabled={busy}>
          {t("review.take_chosen")}
        </Button>
        <Button variant="tertiary" onClick={() => confirm([])} disabled={busy}>
          {t("review.keep_mine")}
        </Button>
      </div>
      <p class="kern-body">
        <Link class="kern-link" href="/konto">{t("review.later")}</Link>
      </p>
    </Page>
  );
}
