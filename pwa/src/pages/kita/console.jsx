// The console's facilities page: every day-care facility, a form to add one and to
// change one (name, address, Träger, places per age group, weekly hours, active).
import { useState } from "preact/hooks";
import { Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { city } from "../../lib/city.js";
import { t } from "../../lib/i18n.js";
import { DataTable } from "../console/city-shared.jsx";
import { ConsolePage } from "../console/layout.jsx";
import "./catalogue.js";
import { facilityGroups, facilityHours } from "./facilities.jsx";

const TEXTS = ["name", "street", "house_number", "postal_code", "city", "carrier"];
const HOURS = [25, 35, 45];
const EMPTY = { name: "", street: "", house_number: "", postal_code: "", city: city?.name ?? "", carrier: "", places_under_3: "0", places_over_3: "0", hours: [35], active: true };

export function ConsoleKitaPage() {
  return (
    <ConsolePage title={t("kita.console.title")}>
      <Facilities />
    </ConsolePage>
  );
}

function Facilities() {
  const { data, error, reload } = useResource("/api/admin/kita/facilities");
  const [editing, setEditing] = useState(null); // null: the form adds a facility
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  return (
    <>
      <p class="kern-body">{t("kita.console.intro")}</p>
      <DataTable caption={t("kita.console.table")} head={["name", "carrier", "groups", "hours", "state", "action"].map((name) => t(`kita.console.col.${name}`))}>
        {data.map((facility) => (
          <tr class="kern-table__row" key={facility.id}>
            <td class="kern-table__cell">
              {facility.name}
              <br />
              {`${facility.street} ${facility.house_number}, ${facility.postal_code} ${facility.city}`}
            </td>
            <td class="kern-table__cell">{facility.carrier}</td>
            <td class="kern-table__cell">
              {facilityGroups(facility)} ({t("kita.console.places", { under: facility.places_under_3, over: facility.places_over_3 })})
            </td>
            <td class="kern-table__cell">{facilityHours(facility)}</td>
            <td class="kern-table__cell">{facility.active ? t("kita.console.active") : t("kita.console.inactive")}</td>
            <td class="kern-table__cell">
              <Button variant="secondary" onClick={() => setEditing(facility)} aria-label={t("kita.console.edit_named", { name: facility.name })}>
                {t("kita.console.edit")}
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
      <FacilityForm
        key={editing ? editing.id : "new"}
        facility={editing}
        onDone={() => {
          setEditing(null);
          reload();
        }}
      />
    </>
  );
}

function FacilityForm({ facility, onDone }) {
  const [values, setValues] = useState(() =>
    facility ? { ...facility, places_under_3: String(facility.places_under_3), places_over_3: String(facility.places_over_3) } : { ...EMPTY },
  );
  const [attempt, setAttempt] = useState(0);
  const action = useAction();
  const errors = fieldErrors(action.error);
  const set = (name) => (value) => setValues((previous) => ({ ...previous, [name]: value }));
  const toggleHours = (hours) =>
    setValues((previous) => ({
      ...previous,
      hours: previous.hours.includes(hours) ? previous.hours.filter((h) => h !== hours) : [...previous.hours, hours].sort(),
    }));
  const submit = (event) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const body = {
      ...Object.fromEntries(TEXTS.map((name) => [name, values[name]])),
      places_under_3: Number.parseInt(values.places_under_3, 10) || 0,
      places_over_3: Number.parseInt(values.places_over_3, 10) || 0,
      hours: values.hours,
      active: values.active,
    };
    action.run(async () => {
      if (facility) await api("PUT", `/api/admin/kita/facilities/${facility.id}`, body);
      else await api("POST", "/api/admin/kita/facilities", body);
      onDone();
    });
  };
  return (
    <form class="kern-stack" onSubmit={submit} noValidate aria-labelledby="kita-form-heading">
      <h2 class="kern-heading-medium" id="kita-form-heading">
        {facility ? t("kita.console.edit_heading", { name: facility.name }) : t("kita.console.add_heading")}
      </h2>
      <ErrorSummary errors={action.error?.fieldErrors} message={action.error?.message} focusToken={attempt} />
      {TEXTS.map((name) => (
        <TextField key={name} id={name} label={t(`kita.console.field.${name}`)} error={errors[name]} value={values[name]} onInput={set(name)} autocomplete="off" />
      ))}
      <TextField id="places_under_3" type="number" inputMode="numeric" min="0" label={t("kita.console.field.places_under_3")} error={errors.places_under_3} value={values.places_under_3} onInput={set("places_under_3")} />
      <TextField id="places_over_3" type="number" inputMode="numeric" min="0" label={t("kita.console.field.places_over_3")} error={errors.places_over_3} value={values.places_over_3} onInput={set("places_over_3")} />
      <fieldset class="kern-fieldset" id="hours">
        <legend class="kern-label">{t("kita.console.field.hours")}</legend>
        {errors.hours && <p class="kern-error kern-body">{errors.hours}</p>}
        <div class="kern-fieldset__body">
          {HOURS.map((hours) => (
            <div class="kern-form-check" key={hours}>
              <input class="kern-form-check__checkbox" type="checkbox" id={`hours-${hours}`} checked={values.hours.includes(hours)} onChange={() => toggleHours(hours)} />
              <label class="kern-label" for={`hours-${hours}`}>
                {t("kita.hours", { hours })}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div class="kern-form-check">
        <input class="kern-form-check__checkbox" type="checkbox" id="active" checked={values.active} onChange={(event) => set("active")(event.currentTarget.checked)} />
        <label class="kern-label" for="active">
          {t("kita.console.field.active")}
        </label>
      </div>
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={action.busy}>
          {facility ? t("kita.console.save") : t("kita.console.add")}
        </Button>
        {facility && (
          <Button variant="secondary" onClick={onDone} disabled={action.busy}>
            {t("kita.console.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}
