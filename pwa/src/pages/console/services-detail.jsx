// One service in the console: its versions with their histories; publish a draft
// (refused with the loader's problems), retire a published version after a
// confirmation, a new draft from the newest version, duplicate, export as YAML, and
// the differences between two versions.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api, apiGet } from "../../lib/api.js";
import { pick, t } from "../../lib/i18n.js";
import { Link, navigate, queryParam, useLocation } from "../../lib/router.jsx";
import { ConsolePage } from "./layout.jsx";
import { ProblemList, StateBadge, editorPagePath, servicePath, when } from "./services-shared.jsx";

const base = (serviceId) => `/api/admin/services/${encodeURIComponent(serviceId)}`;

function History({ version }) {
  return (
    <ol class="services-history">
      {version.history.map((entry, index) => (
        <li class="kern-body" key={index}>
          {t(`console.services.history.${entry.action}`, { when: when(entry) })}
        </li>
      ))}
    </ol>
  );
}

function RetireConfirm({ version, busy, onConfirm, onCancel }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div class="kern-alert kern-alert--warning" tabIndex={-1} ref={ref} role="group" aria-labelledby={`retire-title-${version.version}`}>
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--warning" aria-hidden="true" />
        <span class="kern-title" id={`retire-title-${version.version}`}>
          {t("console.services.retire_question", { version: version.version })}
        </span>
      </div>
      <div class="kern-alert__body kern-stack">
        <p class="kern-body">{t("console.services.retire_explained", { count: version.applications })}</p>
        <div class="services-actions">
          <Button onClick={onConfirm} disabled={busy}>
            {t("console.services.retire_confirm", { version: version.version })}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t("console.services.cancel")}
          </Button>
        </div>
      </div>
    </div>
  );
}

function VersionCard({ serviceId, version, onChanged }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const change = (what) =>
    run(async () => {
      await api("POST", `${base(serviceId)}/versions/${version.version}/${what}`);
      setConfirming(false);
      onChanged(t(`console.services.done_${what}`, { version: version.version }));
    });
  const problems = error?.fieldErrors?.length ? error.fieldErrors : null;
  const headingId = `version-${version.version}`;
  return (
    <section class="services-version kern-stack" aria-labelledby={headingId}>
      <div class="services-version__head">
        <h3 class="kern-heading-small" id={headingId}>
          {t("console.services.version_heading", { version: version.version })}
        </h3>
        <StateBadge state={version.state} />
      </div>
      <p class="kern-body">
        {t("console.services.version_facts", { area: version.area, count: version.applications })}
      </p>
      <History version={version} />
      {problems ? (
        <ProblemList title={t("console.services.publish_refused")} problems={problems} />
      ) : (
        error && <Alert kind="danger" title={error.message} />
      )}
      {confirming && (
        <RetireConfirm version={version} busy={busy} onConfirm={() => change("retire")} onCancel={() => setConfirming(false)} />
      )}
      <div class="services-actions">
        {version.state === "draft" && (
          <Button onClick={() => change("publish")} disabled={busy}>
            {t("console.services.publish", { version: version.version })}
          </Button>
        )}
        {version.state === "published" && !confirming && (
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            {t("console.services.retire", { version: version.version })}
          </Button>
        )}
        <Link class="kern-link" href={editorPagePath(serviceId, version.version)}>
          {t(version.state === "draft" ? "console.services.edit" : "console.services.view", { version: version.version })}
        </Link>
        <a class="kern-link" href={`${base(serviceId)}/versions/${version.version}/export`} download={`${serviceId}-v${version.version}.yaml`}>
          {t("console.services.export", { version: version.version })}
        </a>
      </div>
    </section>
  );
}

function Duplicate({ serviceId, version }) {
  const [values, setValues] = useState({ service_id: "", title_de: "", title_en: "" });
  const { busy, error, run } = useAction();
  const errors = fieldErrors(error);
  const set = (name) => (value) => setValues({ ...values, [name]: value });
  const submit = (event) => {
    event.preventDefault();
    run(async () => {
      const created = await api("POST", `${base(serviceId)}/versions/${version}/duplicate`, values);
      navigate(servicePath(created.service_id));
    });
  };
  const field = (name) => `duplicate-${name}`;
  const summary = (error?.fieldErrors || []).map((item) => ({ field: field(item.field), message: item.message }));
  return (
    <form class="services-form" onSubmit={submit} noValidate>
      <ErrorSummary errors={summary} message={error && !summary.length ? error.message : undefined} />
      <TextField id={field("service_id")} label={t("console.services.field.service_id")} hint={t("console.services.field.service_id_hint")} value={values.service_id} onInput={set("service_id")} error={errors.service_id} autocomplete="off" spellcheck={false} />
      <TextField id={field("title_de")} label={t("console.services.field.title_de")} value={values.title_de} onInput={set("title_de")} error={errors.title_de} />
      <TextField id={field("title_en")} label={t("console.services.field.title_en")} value={values.title_en} onInput={set("title_en")} error={errors.title_en} />
      <div>
        <Button type="submit" disabled={busy}>
          {t("console.services.duplicate_submit", { version })}
        </Button>
      </div>
    </form>
  );
}

/** "@@ -12,7 +12,8 @@" in words: which lines of each version follow. */
function hunkText(text, diff) {
  const found = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(text);
  if (!found) return text;
  const span = (start, count) => {
    const first = Number(start);
    const length = count === undefined ? 1 : Number(count);
    return length <= 1 ? String(first) : `${first}–${first + length - 1}`;
  };
  return t("console.services.diff_hunk", {
    old: diff.old,
    old_lines: span(found[1], found[2]),
    new: diff.new,
    new_lines: span(found[3], found[4]),
  });
}

function DiffTable({ diff }) {
  if (!diff.lines.length) return <p class="kern-body">{t("console.services.diff_none")}</p>;
  const caption = t("console.services.diff_caption", { old: diff.old, new: diff.new });
  return (
    <div class="services-diff" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("console.services.diff_col_old", { version: diff.old })}</th>
            <th scope="col">{t("console.services.diff_col_new", { version: diff.new })}</th>
            <th scope="col">{t("console.services.diff_col_change")}</th>
            <th scope="col">{t("console.services.diff_col_text")}</th>
          </tr>
        </thead>
        <tbody>
          {diff.lines.map((line, index) => {
            if (line.kind === "hunk") {
              return (
                <tr class="services-diff__hunk" key={index}>
                  <td colSpan={4}>{hunkText(line.text, diff)}</td>
                </tr>
              );
            }
            const mark = { added: "+", removed: "−", same: " " }[line.kind];
            const Tag = line.kind === "added" ? "ins" : line.kind === "removed" ? "del" : "span";
            return (
              <tr class={line.kind === "same" ? "" : `services-diff__${line.kind}`} key={index}>
                <td class="services-diff__no">{line.old ?? ""}</td>
                <td class="services-diff__no">{line.new ?? ""}</td>
                <td class="services-diff__mark">
                  <span aria-hidden="true">{mark}</span>
                  {line.kind !== "same" && <span class="visually-hidden">{t(`console.services.diff_${line.kind}`)}</span>}
                </td>
                <td>
                  <Tag>{line.text}</Tag>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Compare({ serviceId, versions }) {
  const numbers = versions.map((version) => version.version);
  const [old, setOld] = useState(numbers.length > 1 ? numbers[numbers.length - 2] : numbers[0]);
  const [newer, setNewer] = useState(numbers[numbers.length - 1]);
  const [diff, setDiff] = useState(null);
  const { busy, error, run } = useAction();
  const submit = (event) => {
    event.preventDefault();
    run(async () => {
      const { data } = await apiGet(`${base(serviceId)}/diff?old=${old}&new=${newer}`);
      setDiff(data);
    });
  };
  const select = (id, label, value, onChange) => (
    <div class="kern-form-input">
      <label class="kern-label" for={id}>
        {label}
      </label>
      <div class="kern-form-input__select-wrapper">
        <select class="kern-form-input__select" id={id} value={value} onChange={(event) => onChange(Number(event.currentTarget.value))}>
          {numbers.map((number) => (
            <option key={number} value={number}>
              {t("console.services.version_heading", { version: number })}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
  return (
    <div class="kern-stack">
      <form class="services-compare" onSubmit={submit}>
        {select("diff-old", t("console.services.diff_old"), old, setOld)}
        {select("diff-new", t("console.services.diff_new"), newer, setNewer)}
        <Button type="submit" disabled={busy}>
          {t("console.services.diff_submit")}
        </Button>
      </form>
      {error && <Alert kind="danger" title={error.message} />}
      {diff && <DiffTable diff={diff} />}
    </div>
  );
}

function ServiceDetail({ serviceId, resource }) {
  const { data, error, reload } = resource;
  const { search } = useLocation();
  // Publishing in the builder comes back here, with the version it published.
  const published = queryParam(search, "veroeffentlicht");
  const [notice, setNotice] = useState(() => (published ? t("console.services.done_publish", { version: published }) : null));
  const draft = useAction();
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  const versions = [...data.versions].reverse();
  const newest = versions[0];
  const changed = (message) => {
    setNotice(message);
    reload();
  };
  const newDraft = () =>
    draft.run(async () => {
      const created = await api("POST", `${base(serviceId)}/drafts`);
      changed(t("console.services.done_draft", { version: created.version }));
    });
  return (
    <>
      <p class="kern-body">
        <Link class="kern-link" href="/verwaltung/dienste">
          {t("console.services.back")}
        </Link>
      </p>
      <p class="kern-body">{t("console.services.service_facts", { id: data.service_id, area: data.area })}</p>
      <div aria-live="polite">{notice && <Alert kind="success" title={notice} live={false} />}</div>
      {draft.error && <Alert kind="danger" title={draft.error.message} />}
      <section class="kern-stack" aria-labelledby="versions-heading">
        <h2 class="kern-heading-medium" id="versions-heading">
          {t("console.services.versions_heading")}
        </h2>
        <div class="services-actions">
          <Button variant="secondary" onClick={newDraft} disabled={draft.busy}>
            {t("console.services.new_draft", { version: newest.version })}
          </Button>
        </div>
        {versions.map((version) => (
          <VersionCard key={version.version} serviceId={serviceId} version={version} onChanged={changed} />
        ))}
      </section>
      <section class="kern-stack" aria-labelledby="diff-heading">
        <h2 class="kern-heading-medium" id="diff-heading">
          {t("console.services.diff_heading")}
        </h2>
        {versions.length > 1 ? <Compare serviceId={serviceId} versions={data.versions} /> : <p class="kern-body">{t("console.services.diff_one_version")}</p>}
      </section>
      <section class="kern-stack" aria-labelledby="duplicate-heading">
        <h2 class="kern-heading-medium" id="duplicate-heading">
          {t("console.services.duplicate_heading")}
        </h2>
        <p class="kern-body">{t("console.services.duplicate_intro", { version: newest.version })}</p>
        <Duplicate serviceId={serviceId} version={newest.version} />
      </section>
    </>
  );
}

export function ConsoleServicePage({ serviceId }) {
  const resource = useResource(`${base(serviceId)}/versions`);
  const title = resource.data ? pick(resource.data.title) : t("console.services.service_title");
  return (
    <ConsolePage title={title}>
      <ServiceDetail key={serviceId} serviceId={serviceId} resource={resource} />
    </ConsolePage>
  );
}
