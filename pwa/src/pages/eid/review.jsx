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

export function EidReviewPage() {
  return (
    <RequireSignIn title={t("review.title")}>
      <EidReview />
    </RequireSignIn>
  );
}

const shown = (field, value) => (field.name === "date_of_birth" ? formatDate(value) : value);

function EidReview() {
  const { search } = useLocation();
  const next = safeReturnPath(queryParam(search, "weiter")) || "/konto";
  const [review, setReview] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [take, setTake] = useState({});
  const { busy, error, run } = useAction();
  useEffect(() => {
    api("GET", "/api/account/eid-data").then((data) => {
      setReview(data);
      // Fields that already match need no decision; the others start ticked.
      setTake(Object.fromEntries(data.fields.map((field) => [field.name, !field.same || !field.verified])));
    }, setLoadError);
  }, []);
  if (loadError) return <Page title={t("review.title")}><LoadError error={loadError} /></Page>;
  if (!review) return <Page title={t("review.title")}><Loading /></Page>;
  const confirm = (names) =>
    run(async () => {
      await api("POST", "/api/account/eid-data", { take: names });
      navigate(next);
    });
  const chosen = review.fields.filter((field) => take[field.name]).map((field) => field.name);
  return (
    <Page title={t("review.title")}>
      <ErrorSummary message={error ? error.message : ""} />
      <p class="kern-body kern-body--large">{t("review.intro")}</p>
      {!review.pending && (
        <Alert kind="info" title={t("review.done_title")} live={false}>
          <p class="kern-body">{t("review.done_text")}</p>
        </Alert>
      )}
      <div class="kern-table-responsive">
        <table class="kern-table">
          <caption class="kern-title">{t("review.caption")}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">{t("review.col_field")}</th>
              <th class="kern-table__header" scope="col">{t("review.col_card")}</th>
              <th class="kern-table__header" scope="col">{t("review.col_profile")}</th>
              <th class="kern-table__header" scope="col">{t("review.col_take")}</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {review.fields.map((field) => (
              <tr class="kern-table__row" key={field.name} data-field={field.name}>
                <th class="kern-table__header" scope="row">{t(`profile.${field.name}`)}</th>
                <td class="kern-table__cell" data-card>{shown(field, field.card)}</td>
                <td class="kern-table__cell" data-profile>
                  {field.profile ? shown(field, field.profile) : <span class="kern-body--small">{t("review.empty")}</span>}
                  {field.same && <span class="kern-body kern-body--small list-meta">{t("review.same")}</span>}
                </td>
                <td class="kern-table__cell">
                  <div class="kern-form-check">
                    <input
                      class="kern-form-check__checkbox"
                      type="checkbox"
                      id={`take-${field.name}`}
                      checked={!!take[field.name]}
                      onChange={(event) => setTake({ ...take, [field.name]: event.currentTarget.checked })}
                    />
                    <label class="kern-label" for={`take-${field.name}`}>
                      {t("review.take")}
                      <span class="visually-hidden"> {t(`profile.${field.name}`)}</span>
                    </label>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="kern-body">{t("review.verified_note")}</p>
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
