// The console's defect report page: the Open311 apps' API keys (a new key is shown
// once, only its first letters afterwards; revoke) and the report categories with the
// department each goes to (add, change, withdraw).
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import { DataTable } from "../console/city-shared.jsx";
import { ConsolePage } from "../console/layout.jsx";
import "./catalogue.js";

export function ConsoleReportsPage() {
  return (
    <ConsolePage title={t("reports.console.title")}>
      <p class="kern-body">{t("reports.console.intro")}</p>
      <ApiKeys />
      <Categories />
    </ConsolePage>
  );
}

function ApiKeys() {
  const { data, error, reload } = useResource("/api/admin/reports/open311-keys");
  const [name, setName] = useState("");
  const [made, setMade] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const action = useAction();
  const create = (event) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    action.run(async () => {
      setMade(await api("POST", "/api/admin/reports/open311-keys", { name }));
      setName("");
      reload();
    });
  };
  const revoke = (key) =>
    action.run(async () => {
      await api("POST", `/api/admin/reports/open311-keys/${key.id}/revoke`);
      reload();
    });
  const errors = fieldErrors(action.error);
  return (
    <section class="kern-stack" aria-labelledby="keys-heading">
      <h2 class="kern-heading-medium" id="keys-heading">
        {t("reports.console.keys_heading")}
      </h2>
      <p class="kern-body">{t("reports.console.keys_intro")}</p>
      {error && <LoadError error={error} />}
      {!data && !error && <Loading />}
      {data && data.length > 0 && (
        <DataTable caption={t("reports.console.keys_table")} head={["name", "prefix", "created", "used", "state", "action"].map((col) => t(`reports.console.keys_col.${col}`))}>
          {data.map((key) => (
            <tr class="kern-table__row" key={key.id}>
              <td class="kern-table__cell">{key.name}</td>
              <td class="kern-table__cell">{`${key.prefix}…`}</td>
              <td class="kern-table__cell">{formatDateTime(key.created_at)}</td>
              <td class="kern-table__cell">{key.last_used_at ? formatDateTime(key.last_used_at) : "–"}</td>
              <td class="kern-table__cell">{key.revoked_at ? t("reports.console.revoked") : t("reports.console.active")}</td>
              <td class="kern-table__cell">
                {!key.revoked_at && (
                  <Button variant="secondary" disabled={action.busy} onClick={() => revoke(key)} aria-label={t("reports.console.revoke_named", { name: key.name })}>
                    {t("reports.console.revoke")}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {made && (
        <Alert kind="success" title={t("reports.console.key_made", { name: made.name })}>
          <p class="kern-body">{t("reports.console.key_once")}</p>
          <p class="kern-body">
            <code>{made.key}</code>
          </p>
        </Alert>
      )}
      <form class="kern-stack" onSubmit={create} noValidate>
        <ErrorSummary errors={(action.error?.fieldErrors || []).map((e) => ({ field: "key-name", message: e.message }))} message={action.error?.message} focusToken={attempt} />
        <TextField id="key-name" label={t("reports.console.key_name")} hint={t("reports.console.key_name_hint")} error={errors.name} value={name} onInput={setName} maxLength={100} autocomplete="off" />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={action.busy}>
            {t("reports.console.key_create")}
          </Button>
        </div>
      </form>
    </section>
  );
}

const CATEGORY_TEXTS = ["name_de", "name_en", "description_de", "description_en", "group", "keywords", "department"];
const EMPTY_CATEGORY = { code: "", name_de: "", name_en: "", description_de: "", description_en: "", group: "", keywords: "", department: "", position: 0, active: true };

function Categories() {
  const { data, error, reload } = useResource("/api/admin/reports/categories");
  const [editing, setEditing] = useState(null);
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  return (
    <section class="kern-stack" aria-labelledby="categories-heading">
      <h2 class="kern-heading-medium" id="categories-heading">
        {t("reports.console.categories_heading")}
      </h2>
      <DataTable caption={t("reports.console.categories_table")} head={["code", "name", "department", "state", "action"].map((col) => t(`reports.console.categories_col.${col}`))}>
        {data.map((category) => (
          <tr class="kern-table__row" key={category.code}>
            <td class="kern-table__cell">{category.code}</td>
            <td class="kern-table__cell">{category.name_de}</td>
            <td class="kern-table__cell">{category.department}</td>
            <td class="kern-table__cell">{category.active ? t("reports.console.active") : t("reports.console.withdrawn")}</td>
            <td class="kern-table__cell">
              <Button variant="secondary" onClick={() => setEditing(category)} aria-label={t("reports.console.edit_named", { name: category.name_de })}>
                {t("reports.console.edit")}
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
      <CategoryForm
        key={editing ? editing.code : "new"}
        category={editing}
        position={data.length}
        onDone={() => {
          setEditing(null);
          reload();
        }}
      />
    </section>
  );
}

function CategoryForm({ category, position, onDone }) {
  const [values, setValues] = useState(() => (category ? { ...category } : { ...EMPTY_CATEGORY, position }));
  const [attempt, setAttempt] = useState(0);
  const action = useAction();
  const errors = fieldErrors(action.error);
  const set = (name) => (value) => setValues((previous) => ({ ...previous, [name]: value }));
  const submit = (event) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const body = { ...Object.fromEntries(CATEGORY_TEXTS.map((name) => [name, values[name]])), position: values.position, active: values.active };
    action.run(async () => {
      await api("PUT", `/api/admin/reports/categories/${encodeURIComponent(values.code)}`, body);
      onDone();
    });
  };
  const ids = (name) => `category-${name}`;
  return (
    <form class="kern-stack" onSubmit={submit} noValidate aria-labelledby="category-form-heading">
      <h3 class="kern-heading-small" id="category-form-heading">
        {category ? t("reports.console.edit_heading", { name: category.name_de }) : t("reports.console.add_heading")}
      </h3>
      <ErrorSummary errors={(action.error?.fieldErrors || []).map((e) => ({ field: ids(e.field), message: e.message }))} message={action.error?.message} focusToken={attempt} />
      {!category && (
        <TextField id={ids("code")} label={t("reports.console.field.code")} hint={t("reports.console.field.code_hint")} value={values.code} onInput={set("code")} maxLength={40} autocomplete="off" />
      )}
      {CATEGORY_TEXTS.map((name) => (
        <TextField key={name} id={ids(name)} label={t(`reports.console.field.${name}`)} error={errors[name]} value={values[name]} onInput={set(name)} autocomplete="off" />
      ))}
      <div class="kern-form-check">
        <input class="kern-form-check__checkbox" type="checkbox" id={ids("active")} checked={values.active} onChange={(event) => set("active")(event.currentTarget.checked)} />
        <label class="kern-label" for={ids("active")}>
          {t("reports.console.field.active")}
        </label>
      </div>
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={action.busy}>
          {category ? t("reports.console.save") : t("reports.console.add")}
        </Button>
        {category && (
          <Button variant="secondary" onClick={onDone} disabled={action.busy}>
            {t("reports.console.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}
