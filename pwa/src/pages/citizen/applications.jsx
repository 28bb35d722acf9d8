// My applications: drafts on this device, submissions waiting for the network, and
// everything the city has received, each with its status.
import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { StatusBadge } from "../../components/status-badge.jsx";
import { LoadError, OfflineCopy } from "../../components/status.jsx";
import { loadDefinition } from "../../lib/catalogue.js";
import { adoptServerDraft, draftsChanged, myDrafts, removeDraft } from "../../lib/drafts.js";
import { formatDateTime, pick, t } from "../../lib/i18n.js";
import { Link, navigate } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { useResource } from "../../hooks/use-resource.js";

export function ApplicationsPage() {
  return (
    <RequireSignIn title={t("applications.title")}>
      <Applications />
    </RequireSignIn>
  );
}

function Applications() {
  const version = useSignal(draftsChanged);
  const { data, error, cachedAt, reload } = useResource("/api/applications");
  const [drafts, setDrafts] = useState([]);
  useEffect(() => {
    myDrafts().then(setDrafts);
  }, [version]);
  const first = useRef(true);
  useEffect(() => {
    // Reload the server list after a sync or a submission (the first load is useResource's).
    if (first.current) first.current = false;
    else reload();
  }, [version]);
  const onDevice = new Set(drafts.map((d) => d.serverId).filter(Boolean));
  const editing = drafts.filter((d) => d.state === "draft");
  const queued = drafts.filter((d) => d.state === "queued");
  const elsewhere = (data || []).filter((a) => a.status === "draft" && !onDevice.has(a.id));
  const sent = (data || []).filter((a) => a.status !== "draft");
  const continueHere = async (application) => {
    const definition = await loadDefinition(application.service_id, application.service_version);
    const draft = await adoptServerDraft(application, definition);
    navigate(`/antrag/${draft.localId}/weiter`);
  };
  const discard = async (draft) => {
    if (window.confirm(t("applications.discard_confirm", { title: pick(draft.title) }))) await removeDraft(draft.localId);
  };
  return (
    <Page title={t("applications.title")}>
      <OfflineCopy cachedAt={cachedAt} />
      <LoadError error={error} />
      {queued.length > 0 && (
        <section class="kern-stack" aria-labelledby="queued-heading">
          <h2 class="kern-heading-medium" id="queued-heading">{t("applications.queued_heading")}</h2>
          <ul class="kern-list item-list">
            {queued.map((draft) => (
              <li key={draft.localId} class="item-list__item">
                <Link class="kern-link" href={`/antrag/${draft.localId}/gesendet`}>{pick(draft.title)}</Link>
                <span class="kern-body kern-body--small list-meta">{t("applications.queued")}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="kern-stack" aria-labelledby="drafts-heading">
        <h2 class="kern-heading-medium" id="drafts-heading">{t("applications.drafts_heading")}</h2>
        {editing.length === 0 && elsewhere.length === 0 && <p class="kern-body">{t("applications.no_drafts")}</p>}
        <ul class="kern-list item-list">
          {editing.map((draft) => (
            <li key={draft.localId} class="item-list__item">
              <Link class="kern-link" href={`/antrag/${draft.localId}/${draft.conflict ? "abgleich" : draft.lastPage || "weiter"}`}>
                {pick(draft.title)}
              </Link>
              <span class="kern-body kern-body--small list-meta">
                {draft.conflict ? t("applications.conflict") : t("home.changed", { time: formatDateTime(draft.updatedAt) })}
              </span>
              <Button variant="tertiary" onClick={() => discard(draft)} aria-label={t("applications.discard_named", { title: pick(draft.title) })}>
                {t("applications.discard")}
              </Button>
            </li>
          ))}
          {elsewhere.map((application) => (
            <li key={application.id} class="item-list__item">
              <span class="kern-body">{pick(application.title)}</span>
              <span class="kern-body kern-body--small list-meta">{t("applications.other_device", { time: formatDateTime(application.updated_at) })}</span>
              <Button variant="secondary" onClick={() => continueHere(application)}>
                {t("applications.continue_here")}
              </Button>
            </li>
          ))}
        </ul>
      </section>
      <section class="kern-stack" aria-labelledby="sent-heading">
        <h2 class="kern-heading-medium" id="sent-heading">{t("applications.sent_heading")}</h2>
        {data && sent.length === 0 && <p class="kern-body">{t("applications.none_sent")}</p>}
        <ul class="kern-list item-list">
          {sent.map((application) => (
            <li key={application.id} class="item-list__item">
              <Link class="kern-link" href={`/antraege/${application.id}`}>
                {pick(application.title)}
              </Link>
              <span class="kern-body kern-body--small list-meta">
                {t("applications.reference", { reference: application.reference_display })} · {formatDateTime(application.submitted_at)}
              </span>
              <StatusBadge status={application.status} label={application.status_label} />
            </li>
          ))}
        </ul>
      </section>
      <p>
        <Link class="kern-link" href="/">{t("applications.new")}</Link>
      </p>
    </Page>
  );
}
