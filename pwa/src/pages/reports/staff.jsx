// The departments' clerks: the reports of their areas as a list and a map, and one
// report to work on: its status with a public note, the moderation (what the public
// sees), and merging a duplicate into an earlier report.
import { useEffect, useState } from "preact/hooks";
import { DescriptionList } from "../../components/description-list.jsx";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireStaff } from "../../components/require-staff.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDate, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { History } from "./mine.jsx";
import { LazyMap, ReportStatus } from "./shared.jsx";

const VIEWS = {
  open: "?status=new&status=received&status=in_progress",
  moderation: "?visibility=pending",
  all: "",
};

export function StaffReportsPage() {
  return (
    <RequireStaff title={t("reports.staff.title")}>
      <Page title={t("reports.staff.title")} wide>
        <Queue />
      </Page>
    </RequireStaff>
  );
}

function Queue() {
  const [view, setView] = useState("open");
  const { data, error } = useResource(`/api/staff/reports${VIEWS[view]}`);
  const config = useResource("/api/reports/config").data;
  return (
    <>
      <div class="kern-form-input">
        <label class="kern-label" for="report-view">
          {t("reports.staff.filter")}
        </label>
        <div class="kern-form-input__select-wrapper">
          <select class="kern-form-input__select" id="report-view" value={view} onChange={(event) => setView(event.currentTarget.value)}>
            <option value="open">{t("reports.staff.filter_open")}</option>
            <option value="moderation">{t("reports.staff.filter_moderation")}</option>
            <option value="all">{t("reports.staff.filter_all")}</option>
          </select>
        </div>
      </div>
      {error && <LoadError error={error} />}
      {!data && !error && <Loading />}
      {data && config && <LazyMap config={config} points={data} label={t("reports.staff.map_label")} />}
      {data && (
        <p class="kern-body" role="status">
          {data.length ? t("reports.staff.count", { count: data.length }) : t("reports.staff.none")}
        </p>
      )}
      {data && data.length > 0 && (
        <ul class="kern-stack item-list">
          {data.map((report) => (
            <li key={report.id} class="kern-card">
              <div class="kern-card__container kern-stack">
                <Link class="kern-link" href={`/meldungen/bearbeitung/${report.id}`}>
                  {t("reports.staff.open", { id: report.id, category: report.category_name })}
                </Link>
                <p class="kern-body">
                  <ReportStatus status={report.status} /> {t(`reports.visibility.${report.visibility}`)}
                  <br />
                  {report.address || report.street || t("reports.card.where_unknown")}, {formatDate(report.created_at)}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function StaffReportPage({ reportId }) {
  return (
    <RequireStaff title={t("reports.staff.title")}>
      <StaffReport reportId={reportId} />
    </RequireStaff>
  );
}

function reporterText(reporter) {
  if (!reporter || reporter.kind === "none") return t("reports.staff.reporter_none");
  return t(reporter.kind === "account" ? "reports.staff.reporter_account" : "reports.staff.reporter_email", { email: reporter.email });
}

function StaffReport({ reportId }) {
  const { data, error, reload } = useResource(`/api/staff/reports/${reportId}`);
  const config = useResource("/api/reports/config").data;
  const title = t("reports.staff.detail_title", { id: reportId });
  if (error) {
    return (
      <Page title={title}>
        <LoadError error={error} />
      </Page>
    );
  }
  if (!data) {
    return (
      <Page title={title}>
        <Loading />
      </Page>
    );
  }
  return (
    <Page title={title} caption={data.category_name} wide>
      <p class="kern-body">
        <Link class="kern-link" href="/meldungen/bearbeitung">
          {t("reports.staff.back")}
        </Link>
      </p>
      <p class="kern-body">
        <ReportStatus status={data.status} /> {t(`reports.visibility.${data.visibility}`)}
      </p>
      <DescriptionList
        rows={[
          [t("reports.form.description"), data.description],
          [t("reports.staff.address"), data.address || "–"],
          [t("reports.staff.position"), data.lat !== null ? `${data.lat}, ${data.lon}` : "–"],
          [t("reports.staff.reporter"), reporterText(data.reporter)],
          [t("reports.staff.source"), t(`reports.staff.source_${data.source}`)],
        ]}
      />
      {data.photo_ids.length > 0 && (
        <ul class="report-photos">
          {data.photo_ids.map((id, index) => (
            <li key={id}>
              <img src={`/api/staff/reports/photos/${id}`} alt={t("reports.staff.photo_alt", { number: index + 1 })} />
            </li>
          ))}
        </ul>
      )}
      {config && data.lat !== null && <LazyMap config={config} picked={{ lat: data.lat, lon: data.lon }} label={t("reports.form.map_label")} />}
      <History report={data} />
      <StatusForm report={data} onSaved={reload} />
      <ModerationForm report={data} onSaved={reload} />
      {["new", "received", "in_progress"].includes(data.status) && <MergeForm report={data} onSaved={reload} />}
    </Page>
  );
}

function Saved({ shown }) {
  return shown ? <Alert kind="success" title={t("reports.staff.saved")} /> : null;
}

function StatusForm({ report, onSaved }) {
  const [status, setStatus] = useState(report.next_statuses[0] || "");
  const [comment, setComment] = useState(report.public_comment || "");
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => setStatus(report.next_statuses[0] || ""), [report.status]);
  const send = (event) => {
    event.preventDefault();
    setSaved(false);
    action.run(async () => {
      await api("POST", `/api/staff/reports/${report.id}/status`, { status, comment });
      setSaved(true);
      onSaved();
    });
  };
  const errors = fieldErrors(action.error);
  return (
    <section class="kern-stack" aria-labelledby="status-heading">
      <h2 class="kern-heading-medium" id="status-heading">
        {t("reports.staff.status_heading")}
      </h2>
      {report.next_statuses.length === 0 ? (
        <p class="kern-body">{t("reports.staff.no_next")}</p>
      ) : (
        <form class="kern-stack" onSubmit={send} noValidate>
          {action.error && <ErrorSummary errors={(action.error.fieldErrors || []).map((e) => ({ field: `report-${e.field}`, message: e.message }))} message={action.error.message} />}
          <Saved shown={saved} />
          <div class="kern-form-input">
            <label class="kern-label" for="report-status">
              {t("reports.staff.new_status")}
            </label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="report-status" value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
                {report.next_statuses.map((next) => (
                  <option key={next} value={next}>
                    {t(`reports.status.${next}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <TextField
            id="report-comment"
            label={t("reports.staff.comment")}
            hint={t("reports.staff.comment_hint")}
            error={errors.comment}
            value={comment}
            onInput={setComment}
            multiline
            maxLength={1000}
          />
          <div class="kern-btn-wrapper">
            <Button type="submit" disabled={action.busy}>
              {t("reports.staff.set_status")}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

function ModerationForm({ report, onSaved }) {
  const [visibility, setVisibility] = useState(report.visibility === "pending" ? "public" : report.visibility);
  const [photos, setPhotos] = useState(report.photos_public);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const send = (event) => {
    event.preventDefault();
    setSaved(false);
    action.run(async () => {
      await api("POST", `/api/staff/reports/${report.id}/moderation`, { visibility, photos_public: photos });
      setSaved(true);
      onSaved();
    });
  };
  return (
    <section class="kern-stack" aria-labelledby="moderation-heading">
      <h2 class="kern-heading-medium" id="moderation-heading">
        {t("reports.staff.moderation_heading")}
      </h2>
      <form class="kern-stack" onSubmit={send} noValidate>
        {action.error && <ErrorSummary errors={[]} message={action.error.message} />}
        <Saved shown={saved} />
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t("reports.staff.visibility")}</legend>
          <div class="kern-fieldset__body">
            {["public", "hidden", "pending"].map((value) => (
              <div class="kern-form-check" key={value}>
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  id={`report-visibility-${value}`}
                  name="report-visibility"
                  value={value}
                  checked={visibility === value}
                  onChange={() => setVisibility(value)}
                />
                <label class="kern-label" for={`report-visibility-${value}`}>
                  {t(`reports.visibility.${value}`)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        {report.photo_ids.length > 0 && (
          <div class="kern-form-check">
            <input
              class="kern-form-check__checkbox"
              type="checkbox"
              id="report-photos-public"
              checked={photos}
              disabled={visibility !== "public"}
              onChange={(event) => setPhotos(event.currentTarget.checked)}
            />
            <label class="kern-label" for="report-photos-public">
              {t("reports.staff.photos_public")}
            </label>
          </div>
        )}
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={action.busy}>
            {t("reports.staff.save_moderation")}
          </Button>
        </div>
      </form>
    </section>
  );
}

function MergeForm({ report, onSaved }) {
  const [into, setInto] = useState("");
  const [comment, setComment] = useState("");
  const action = useAction();
  const send = (event) => {
    event.preventDefault();
    action.run(async () => {
      await api("POST", `/api/staff/reports/${report.id}/merge`, { into_id: Number(into), comment });
      onSaved();
    });
  };
  const errors = fieldErrors(action.error);
  return (
    <section class="kern-stack" aria-labelledby="merge-heading">
      <h2 class="kern-heading-medium" id="merge-heading">
        {t("reports.staff.merge_heading")}
      </h2>
      <form class="kern-stack" onSubmit={send} noValidate>
        {action.error && <ErrorSummary errors={(action.error.fieldErrors || []).map((e) => ({ field: e.field === "comment" ? "merge-comment" : "merge-into", message: e.message }))} message={action.error.message} />}
        <TextField id="merge-into" label={t("reports.staff.merge_into")} error={errors.into_id} value={into} onInput={setInto} inputmode="numeric" />
        <TextField id="merge-comment" label={t("reports.staff.comment")} hint={t("reports.staff.comment_hint")} error={errors.comment} value={comment} onInput={setComment} multiline maxLength={1000} />
        <div class="kern-btn-wrapper">
          <Button type="submit" variant="secondary" disabled={action.busy}>
            {t("reports.staff.merge")}
          </Button>
        </div>
      </form>
    </section>
  );
}
