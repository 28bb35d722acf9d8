// "Meine Meldungen": what waits in this device's outbox, the reports sent from this
// device without signing in (their tracking links), and a signed-in citizen's reports.
import { useEffect, useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { session } from "../../lib/api.js";
import { formatDate, t } from "../../lib/i18n.js";
import { forgetQueued, queuedReports, sentReports } from "../../lib/report-outbox.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { useOutbox } from "./outbox.js";
import { ReportCard } from "./shared.jsx";

export function MyReportsPage() {
  const current = useSignal(session);
  const version = useOutbox();
  const [device, setDevice] = useState({ queued: [], sent: [] });
  useEffect(() => {
    Promise.all([queuedReports(), sentReports()]).then(([queued, sent]) =>
      setDevice({ queued, sent: sent.filter((item) => item.tracking_token) }),
    );
  }, [version]);
  // Names in the current language, withdrawn categories included: a report refused
  // because its category was withdrawn meanwhile is named too.
  const names = useResource(device.queued.length ? "/api/reports/categories?withdrawn=true" : null).data;
  const categoryName = (code) => names?.find((category) => category.code === code)?.name || code;
  const discard = async (key) => {
    await forgetQueued(key);
    setDevice({ ...device, queued: device.queued.filter((item) => item.key !== key) });
  };
  return (
    <Page title={t("reports.mine.title")}>
      {device.queued.length > 0 && (
        <section class="kern-stack" aria-labelledby="outbox-heading">
          <h2 class="kern-heading-medium" id="outbox-heading">
            {t("reports.mine.outbox_heading")}
          </h2>
          <ul class="kern-stack item-list">
            {device.queued.map((item) => (
              <li key={item.key} class="kern-card">
                <div class="kern-card__container kern-stack">
                  <p class="kern-body">
                    {t("reports.mine.outbox_item", { category: categoryName(item.fields.category), date: formatDate(new Date(item.queuedAt).toISOString()) })}
                  </p>
                  {item.error && (
                    <>
                      <p class="kern-body">{t("reports.mine.outbox_failed", { message: item.error.message || "" })}</p>
                      <div class="kern-btn-wrapper">
                        <Button variant="secondary" onClick={() => discard(item.key)}>
                          {t("reports.mine.outbox_discard")}
                        </Button>
                      </div>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {device.sent.length > 0 && (
        <section class="kern-stack" aria-labelledby="device-heading">
          <h2 class="kern-heading-medium" id="device-heading">
            {t("reports.mine.device_heading")}
          </h2>
          <ul class="kern-list">
            {device.sent.map((item) => (
              <li key={item.id}>
                <Link class="kern-link" href={`/meldungen/verfolgen/${item.tracking_token}`}>
                  {t("reports.mine.open", { id: item.id })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {current.user?.role === "citizen" ? (
        <AccountReports version={version} />
      ) : (
        device.queued.length === 0 &&
        device.sent.length === 0 && (
          <>
            <p class="kern-body">{t("reports.mine.none")}</p>
            {!current.authenticated && (
              <p class="kern-body">
                <Link class="kern-link" href="/anmelden?weiter=/meldungen/meine">
                  {t("reports.mine.sign_in")}
                </Link>
              </p>
            )}
          </>
        )
      )}
      <p class="kern-body">
        <Link class="kern-link" href="/meldungen/neu">
          {t("reports.public.new")}
        </Link>
      </p>
    </Page>
  );
}

function AccountReports({ version }) {
  const { data, error, reload } = useResource("/api/reports/mine");
  useEffect(() => {
    if (version) reload();
  }, [version]);
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  return (
    <section class="kern-stack" aria-labelledby="account-heading">
      <h2 class="kern-heading-medium" id="account-heading">
        {t("reports.mine.account_heading")}
      </h2>
      {data.length === 0 && <p class="kern-body">{t("reports.mine.none")}</p>}
      <ul class="kern-stack item-list">
        {data.map((report) => (
          <ReportCard key={report.id} report={report} headingLevel={3}>
            <History report={report} />
          </ReportCard>
        ))}
      </ul>
    </section>
  );
}

export function History({ report }) {
  return (
    <details class="kern-body">
      <summary>{t("reports.track.history")}</summary>
      <ol class="kern-list">
        {report.history.map((step, index) => (
          <li key={index}>
            {formatDate(step.created_at)}: {t(`reports.status.${step.status}`)}
            {step.comment ? ` – ${step.comment}` : ""}
          </li>
        ))}
      </ol>
    </details>
  );
}
