// Paying an application's fee (payment policy "before submission"): what it costs, the
// payment, and afterwards the application's new status.
import { FeeStatement } from "../../components/fee-info.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { StatusBadge } from "../../components/status-badge.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { pick, t } from "../../lib/i18n.js";
import { Link, queryParam, useLocation } from "../../lib/router.jsx";
import "./catalogue.js";
import { PayFlow } from "./pay-flow.jsx";

/** The way on to what the payment produced (the pass in the wallet, the application):
 * the application says where (``result_link``); the label is one of its message keys. */
export function ResultLink({ link }) {
  if (!link?.path) return null;
  return (
    <p>
      <Link class="kern-btn kern-btn--primary" href={link.path}>
        <span class="kern-label">{t(link.label)}</span>
      </Link>
    </p>
  );
}

export function ApplicationPayPage({ applicationId }) {
  return (
    <RequireSignIn title={t("pay.application_title")}>
      <ApplicationPay applicationId={applicationId} />
    </RequireSignIn>
  );
}

function ApplicationPay({ applicationId }) {
  const { search } = useLocation();
  const { data: application, error, reload } = useResource(`/api/applications/${encodeURIComponent(applicationId)}`);
  if (!application) {
    return (
      <Page title={t("pay.application_title")}>
        {error ? <LoadError error={error} /> : <Loading />}
      </Page>
    );
  }
  const returning = Boolean(queryParam(search, "payment"));
  const waiting = application.status === "awaiting_payment";
  const applicationPage = `/antraege/${application.id}`;
  const back = (
    <p>
      <Link class="kern-link" href={applicationPage}>
        {t("pay.to_application")}
      </Link>
    </p>
  );
  const result = application.result_link;
  return (
    <Page title={t("pay.application_title")} caption={pick(application.title)}>
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("pay.application_reference")}</dt>
          <dd class="kern-description-list-item__value reference-number">{application.reference_display || "–"}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t("pay.state")}</dt>
          <dd class="kern-description-list-item__value" id="application-status">
            <StatusBadge status={application.status} label={application.status_label} />
          </dd>
        </div>
      </dl>
      {application.fees?.lines?.length > 0 && (waiting || returning) && <FeeStatement fees={application.fees} />}
      {!waiting && !returning ? (
        <p class="kern-body">{t("pay.application_not_awaiting")}</p>
      ) : (
        <PayFlow subjectType="application" subjectId={application.id} returnPath={`/antraege/${application.id}/bezahlen`} onFinished={reload}>
          {!waiting && (
            <p class="kern-body">
              {t("pay.application_new_status")} <StatusBadge status={application.status} label={application.status_label} />
            </p>
          )}
          {!waiting && result?.path !== applicationPage && <ResultLink link={result} />}
        </PayFlow>
      )}
      {back}
    </Page>
  );
}
