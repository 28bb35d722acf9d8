// A new service in the console: from the minimal template (id, titles, area → draft),
// or imported from a YAML definition file. An invalid file is refused with every
// problem and its path, nothing stored; a file whose id exists becomes a new draft
// version of that service once the admin confirms.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, fieldErrors } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { navigate } from "../../lib/router.jsx";
import { ConsolePage } from "./layout.jsx";
import { ProblemList, TemplateForm, servicePath } from "./services-shared.jsx";

function FromTemplate() {
  return (
    <TemplateForm
      fields={["service_id", "title_de", "title_en", "area"]}
      endpoint="/api/admin/services/new"
      idPrefix="new"
      textKey="console.services"
      hinted={["service_id", "area"]}
    />
  );
}

function ExistsConfirm({ error, busy, onConfirm, onCancel }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div class="kern-alert kern-alert--warning" role="group" aria-labelledby="import-exists-title" tabIndex={-1} ref={ref}>
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--warning" aria-hidden="true" />
        <span class="kern-title" id="import-exists-title">
          {error.message}
        </span>
      </div>
      <div class="kern-alert__body kern-stack">
        <p class="kern-body">{error.fieldErrors[0]?.message}</p>
        <div class="services-actions">
          <Button onClick={onConfirm} disabled={busy}>
            {t("console.services.import_confirm")}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t("console.services.cancel")}
          </Button>
        </div>
      </div>
    </div>
  );
}

function Import() {
  const [file, setFile] = useState(null);
  const [missing, setMissing] = useState(false);
  const { busy, error, setError, run } = useAction();
  const send = (confirmed) =>
    run(async () => {
      const text = await file.text();
      const created = await api("POST", "/api/admin/services/import", { text, new_version_confirmed: confirmed });
      navigate(servicePath(created.service_id));
    });
  const submit = (event) => {
    event.preventDefault();
    setMissing(!file);
    if (file) send(false);
  };
  const exists = error?.code === "definition_exists";
  const problems = !exists && error?.fieldErrors?.length ? error.fieldErrors : null;
  return (
    <form class="services-form" onSubmit={submit} noValidate>
      <ErrorSummary errors={missing ? [{ field: "import-file", message: t("console.services.import_choose_first") }] : []} />
      <ProblemList title={t("console.services.import_refused")} problems={problems} />
      {error && !exists && !problems && <Alert kind="danger" title={error.message} />}
      <div class={missing ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
        <label class="kern-label" for="import-file">
          {t("console.services.import_file")}
        </label>
        <div class="kern-hint" id="import-file-hint">
          {t("console.services.import_hint")}
        </div>
        <input
          class="kern-form-input__input"
          type="file"
          id="import-file"
          name="import-file"
          accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
          aria-describedby="import-file-hint"
          aria-invalid={missing ? "true" : undefined}
          onChange={(event) => {
            setFile(event.currentTarget.files[0] || null);
            setMissing(false);
            setError(null);
          }}
        />
      </div>
      {exists && <ExistsConfirm error={error} busy={busy} onConfirm={() => send(true)} onCancel={() => setError(null)} />}
      {!exists && (
        <div>
          <Button type="submit" disabled={busy}>
            {t("console.services.import_submit")}
          </Button>
        </div>
      )}
    </form>
  );
}

export function ConsoleServiceNewPage() {
  return (
    <ConsolePage title={t("console.services.new_title")}>
      <section class="kern-stack" aria-labelledby="template-heading">
        <h2 class="kern-heading-medium" id="template-heading">
          {t("console.services.template_heading")}
        </h2>
        <p class="kern-body">{t("console.services.template_intro")}</p>
        <FromTemplate />
      </section>
      <section class="kern-stack" aria-labelledby="import-heading">
        <h2 class="kern-heading-medium" id="import-heading">
          {t("console.services.import_heading")}
        </h2>
        <p class="kern-body">{t("console.services.import_intro")}</p>
        <Import />
      </section>
    </ConsolePage>
  );
}
