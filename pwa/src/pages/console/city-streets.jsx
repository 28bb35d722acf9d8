// The city's street directory, as address fields use it, and the import of the official
// list: choose the CSV, see what would change, then apply it (all of it or nothing).
import { useRef, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { asActionError, useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { apiUpload } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import { DataTable, FileInput } from "./city-shared.jsx";
import { ConsolePage } from "./layout.jsx";
import "./city.css";

export function ConsoleStreetsPage() {
  return (
    <ConsolePage title={t("console.streets.title")}>
      <StreetsAdmin />
    </ConsolePage>
  );
}

const ranges = (list) => list.map(([first, last]) => `${first}–${last}`).join(", ");

function StreetsAdmin() {
  const [query, setQuery] = useState("");
  const [shown, setShown] = useState("");
  const directory = useResource(`/api/admin/streets?q=${encodeURIComponent(shown)}`);
  if (directory.error) return <LoadError error={directory.error} />;
  if (!directory.data) return <Loading />;
  const data = directory.data;
  const latest = data.imports[0];
  return (
    <div class="kern-stack city-page">
      <section class="kern-stack" aria-labelledby="streets-source-heading">
        <h2 class="kern-heading-medium" id="streets-source-heading">
          {t("console.streets.source_heading")}
        </h2>
        <p class="kern-body">
          {data.source === "shipped"
            ? t("console.streets.source_shipped", { count: data.street_count, city: data.city })
            : t("console.streets.source_import", {
                count: data.street_count,
                city: data.city,
                when: formatDateTime(latest.created_at),
                who: latest.created_by || t("console.streets.command_line"),
              })}
        </p>
      </section>
      <Import base={data.version} onApplied={directory.reload} />
      <section class="kern-stack" aria-labelledby="streets-list-heading">
        <h2 class="kern-heading-medium" id="streets-list-heading">
          {t("console.streets.list_heading")}
        </h2>
        <form
          class="kern-stack city-form"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setShown(query.trim());
          }}
        >
          <TextField id="streets-q" label={t("console.streets.search_label")} hint={t("console.streets.search_hint")} value={query} onInput={setQuery} autocomplete="off" />
          <div class="kern-btn-wrapper">
            <Button type="submit">{t("console.streets.search")}</Button>
          </div>
        </form>
        {data.streets.length === 0 ? (
          <p class="kern-body" role="status">
            {t("console.streets.none_found")}
          </p>
        ) : (
          <DataTable caption={shown ? t("console.streets.found_caption", { q: shown }) : t("console.streets.list_caption")} head={[t("console.streets.col_street"), t("console.streets.col_postal_code"), t("console.streets.col_numbers")]}>
            {data.streets.map((street) => (
              <tr class="kern-table__row" key={street.name}>
                <td class="kern-table__cell">{street.name}</td>
                <td class="kern-table__cell">{street.postal_code}</td>
                <td class="kern-table__cell">{ranges(street.ranges)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      {data.imports.length > 0 && (
        <section class="kern-stack" aria-labelledby="streets-imports-heading">
          <h2 class="kern-heading-medium" id="streets-imports-heading">
            {t("console.streets.imports_heading")}
          </h2>
          <DataTable caption={t("console.streets.imports_caption")} hiddenCaption head={[t("console.streets.col_when"), t("console.streets.col_who"), t("console.streets.col_file"), t("console.streets.col_count"), t("console.streets.col_changes")]}>
            {data.imports.map((item) => (
              <tr class="kern-table__row" key={item.id}>
                <td class="kern-table__cell">{formatDateTime(item.created_at)}</td>
                <td class="kern-table__cell">{item.created_by || t("console.streets.command_line")}</td>
                <td class="kern-table__cell">{item.file_name || "–"}</td>
                <td class="kern-table__cell">{item.street_count}</td>
                <td class="kern-table__cell">{t("console.streets.changes_short", item.summary)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
    </div>
  );
}

function Import({ onApplied }) {
  const input = useRef(null);
  const [file, setFile] = useState(null);
  const [report, setReport] = useState(null);
  const [applied, setApplied] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const onError = (caught) => {
    setAttempt((count) => count + 1);
    const error = asActionError(caught);
    return {
      message: error.fieldErrors?.length ? t("console.streets.file_problems") : error.message,
      fieldErrors: (error.fieldErrors || []).map((item) => ({ ...item, field: "streets-file" })),
    };
  };
  const { busy, error, setError, run } = useAction({ onError });
  const preview = (event) => {
    event.preventDefault();
    setApplied(null);
    setReport(null);
    if (!file) {
      setAttempt(attempt + 1);
      return setError({ message: null, fieldErrors: [{ field: "streets-file", message: t("console.streets.choose_file") }] });
    }
    run(async () => setReport(await apiUpload("/api/admin/streets/import/preview", { file })));
  };
  const apply = () =>
    run(async () => {
      const base = report.base_version === null ? "" : `base_version=${report.base_version}`;
      const done = await apiUpload(`/api/admin/streets/import?${base}`, { file });
      setReport(null);
      setFile(null);
      if (input.current) input.current.value = "";
      setApplied(done);
      onApplied();
    });
  const fileErrors = (error?.fieldErrors || []).map((item) => item.message);
  return (
    <section class="kern-stack" aria-labelledby="streets-import-heading">
      <h2 class="kern-heading-medium" id="streets-import-heading">
        {t("console.streets.import_heading")}
      </h2>
      {applied && (
        <Alert kind="success" title={t("console.streets.applied", { count: applied.total })}>
          <p class="kern-body">{t("console.streets.changes_short", applied.version.summary)}</p>
        </Alert>
      )}
      <form class="kern-stack city-form" onSubmit={preview} novalidate>
        <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
        <FileInput
          id="streets-file"
          label={t("console.streets.file_label")}
          hint={t("console.streets.file_hint")}
          problems={fileErrors}
          inputRef={input}
          onChange={(chosen) => {
            setFile(chosen);
            setReport(null);
          }}
        />
        <div class="kern-btn-wrapper">
          <Button type="submit" variant={report ? "secondary" : "primary"} disabled={busy}>
            {t("console.streets.preview")}
          </Button>
        </div>
      </form>
      {report && <Report report={report} busy={busy} onApply={apply} onDiscard={() => setReport(null)} />}
    </section>
  );
}

function Report({ report, busy, onApply, onDiscard }) {
  const figures = [
    ["added", report.added.length],
    ["removed", report.removed.length],
    ["renamed", report.renamed.length],
    ["changed", report.changed.length],
    ["unchanged", report.unchanged],
  ];
  const nothing = figures.slice(0, 4).every(([, count]) => count === 0);
  return (
    <section class="kern-stack" aria-labelledby="streets-report-heading">
      <h3 class="kern-heading-small" id="streets-report-heading" tabIndex={-1} ref={(node) => node?.focus()}>
        {t("console.streets.report_heading", { count: report.total })}
      </h3>
      <ul class="city-report">
        {figures.map(([name, count]) => (
          <li class="city-report__item" key={name}>
            <span class="city-report__figure">{count}</span>
            <span class="kern-body">{t(`console.streets.report_${name}`)}</span>
          </li>
        ))}
      </ul>
      {nothing && <p class="kern-body">{t("console.streets.report_nothing")}</p>}
      {report.added.length > 0 && <NameList id="report-added" title={t("console.streets.report_added")} names={report.added} />}
      {report.removed.length > 0 && <NameList id="report-removed" title={t("console.streets.report_removed")} names={report.removed} />}
      {report.renamed.length > 0 && (
        <DataTable caption={t("console.streets.report_renamed")} head={[t("console.streets.col_before"), t("console.streets.col_after")]}>
          {report.renamed.map((item) => (
            <tr class="kern-table__row" key={item.after}>
              <td class="kern-table__cell">{item.before}</td>
              <td class="kern-table__cell">{item.after}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {report.changed.length > 0 && (
        <DataTable caption={t("console.streets.report_changed")} head={[t("console.streets.col_street"), t("console.streets.col_before"), t("console.streets.col_after")]}>
          {report.changed.map((item) => (
            <tr class="kern-table__row" key={item.name}>
              <td class="kern-table__cell">{item.name}</td>
              <td class="kern-table__cell">{`${item.before.postal_code}: ${ranges(item.before.ranges)}`}</td>
              <td class="kern-table__cell">{`${item.after.postal_code}: ${ranges(item.after.ranges)}`}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {report.parking_ranges_left.length > 0 && (
        <Alert kind="warning" title={t("console.streets.parking_left_title")} live={false}>
          <p class="kern-body">{t("console.streets.parking_left", { streets: report.parking_ranges_left.join(", ") })}</p>
        </Alert>
      )}
      <div class="kern-btn-wrapper">
        <Button onClick={onApply} disabled={busy}>
          {t("console.streets.apply")}
        </Button>
        <Button variant="secondary" onClick={onDiscard} disabled={busy}>
          {t("console.streets.discard")}
        </Button>
      </div>
    </section>
  );
}

function NameList({ id, title, names }) {
  return (
    <div class="kern-stack">
      <h4 class="kern-body kern-body--bold" id={id}>
        {title}
      </h4>
      <ul class="kern-list city-list" aria-labelledby={id}>
        {names.map((name) => (
          <li class="kern-body" key={name}>
            {name}
          </li>
        ))}
      </ul>
    </div>
  );
}
