// Resident parking zones and the street ranges that lie in them: add, change, delete
// (deleting asks first). The server checks everything and names the field at fault.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { asActionError, useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Confirm, DataTable, SelectField, withIds } from "./city-shared.jsx";
import { ConsolePage } from "./layout.jsx";
import "./city.css";

const PARITIES = ["all", "odd", "even"];

export function ConsoleParkingPage() {
  return (
    <ConsolePage title={t("console.parking.title")}>
      <ParkingAdmin />
    </ConsolePage>
  );
}

function ParkingAdmin() {
  const zones = useResource("/api/admin/parking/zones");
  const [notice, setNotice] = useState(null);
  if (zones.error) return <LoadError error={zones.error} />;
  if (!zones.data) return <Loading />;
  const done = (text) => {
    setNotice(text);
    zones.reload();
  };
  return (
    <div class="kern-stack city-page">
      <p class="kern-body">{t("console.parking.intro")}</p>
      {notice && <Alert kind="success" title={notice} />}
      <Zones zones={zones.data} onDone={done} />
      <Ranges zones={zones.data} onDone={done} />
    </div>
  );
}

// --- Zones ------------------------------------------------------------------------------

function Zones({ zones, onDone }) {
  const [editing, setEditing] = useState(null);
  const [deleting, setDeleting] = useState(null);
  const remove = useAction();
  const confirmDelete = () =>
    remove.run(async () => {
      await api("DELETE", `/api/admin/parking/zones/${encodeURIComponent(deleting.code)}`);
      setDeleting(null);
      onDone(t("console.parking.zone_deleted", { code: deleting.code }));
    });
  return (
    <section class="kern-stack" aria-labelledby="zones-heading">
      <h2 class="kern-heading-medium" id="zones-heading">
        {t("console.parking.zones_heading")}
      </h2>
      {remove.error && <Alert kind="danger" title={remove.error.message} />}
      <DataTable
        caption={t("console.parking.zones_caption")}
        head={[
          t("console.parking.col_code"),
          t("console.parking.col_name"),
          t("console.parking.col_active"),
          t("console.parking.col_ranges"),
          t("console.parking.col_permits"),
          t("console.parking.col_actions"),
        ]}
      >
        {zones.map((zone) => (
          <tr class="kern-table__row" key={zone.code}>
            <td class="kern-table__cell">{zone.code}</td>
            <td class="kern-table__cell">{zone.name || "–"}</td>
            <td class="kern-table__cell">{zone.active ? t("console.parking.yes") : t("console.parking.no")}</td>
            <td class="kern-table__cell">{zone.ranges}</td>
            <td class="kern-table__cell">{zone.active_permits}</td>
            <td class="kern-table__cell">
              <div class="city-actions">
                <Button variant="tertiary" onClick={() => setEditing(zone)} aria-label={t("console.parking.edit_zone", { code: zone.code })}>
                  {t("console.parking.edit")}
                </Button>
                <Button variant="tertiary" onClick={() => setDeleting(zone)} aria-label={t("console.parking.delete_zone", { code: zone.code })}>
                  {t("console.parking.delete")}
                </Button>
              </div>
            </td>
          </tr>
        ))}
      </DataTable>
      {deleting && (
        <Confirm
          id="zone-delete-question"
          question={t("console.parking.delete_zone_question", { code: deleting.code, name: deleting.name })}
          effect={t("console.parking.delete_zone_effect")}
          confirmLabel={t("console.parking.delete_confirm")}
          busy={remove.busy}
          onConfirm={confirmDelete}
          onCancel={() => setDeleting(null)}
        />
      )}
      {editing ? (
        <ZoneForm
          key={editing.code}
          zone={editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            onDone(t("console.parking.zone_saved", { code: saved.code }));
          }}
        />
      ) : (
        <ZoneForm key="new" onSaved={(saved) => onDone(t("console.parking.zone_added", { code: saved.code }))} />
      )}
    </section>
  );
}

function ZoneForm({ zone, onSaved, onCancel }) {
  const [code, setCode] = useState(zone?.code || "");
  const [name, setName] = useState(zone?.name || "");
  const [active, setActive] = useState(zone ? zone.active : true);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, run } = useAction({
    onError: (caught) => {
      setAttempt((count) => count + 1);
      return withIds(asActionError(caught), "zone");
    },
  });
  const errors = fieldErrors(error);
  const submit = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    run(async () => {
      const saved = zone
        ? await api("PATCH", `/api/admin/parking/zones/${encodeURIComponent(zone.code)}`, { name, active })
        : await api("POST", "/api/admin/parking/zones", { code, name, active });
      if (!zone) {
        setCode("");
        setName("");
      }
      onSaved(saved);
    });
  };
  const heading = zone ? t("console.parking.zone_edit_heading", { code: zone.code }) : t("console.parking.zone_add_heading");
  return (
    <form class="kern-stack city-form" onSubmit={submit} novalidate aria-labelledby={zone ? "zone-edit-heading" : "zone-add-heading"}>
      <h3 class="kern-heading-small" id={zone ? "zone-edit-heading" : "zone-add-heading"}>
        {heading}
      </h3>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
      {!zone && (
        <TextField id="zone-code" label={t("console.parking.code_label")} hint={t("console.parking.code_hint")} error={errors["zone-code"]} value={code} onInput={setCode} autocomplete="off" />
      )}
      <TextField id="zone-name" label={t("console.parking.name_label")} error={errors["zone-name"]} value={name} onInput={setName} autocomplete="off" />
      <div class="kern-form-check">
        <input class="kern-form-check__checkbox" type="checkbox" id="zone-active" checked={active} onChange={(event) => setActive(event.currentTarget.checked)} />
        <label class="kern-label" for="zone-active">
          {t("console.parking.active_label")}
        </label>
      </div>
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={busy}>
          {zone ? t("console.parking.save") : t("console.parking.add_zone")}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            {t("console.parking.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}

// --- Street ranges ------------------------------------------------------------------------

function Ranges({ zones, onDone }) {
  const [zone, setZone] = useState("");
  const ranges = useResource(`/api/admin/parking/streets${zone ? `?zone=${encodeURIComponent(zone)}` : ""}`);
  const [editing, setEditing] = useState(null);
  const [deleting, setDeleting] = useState(null);
  const remove = useAction();
  const changed = (text) => {
    ranges.reload();
    onDone(text);
  };
  const confirmDelete = () =>
    remove.run(async () => {
      await api("DELETE", `/api/admin/parking/streets/${deleting.id}`);
      setDeleting(null);
      changed(t("console.parking.range_deleted", { street: deleting.street }));
    });
  const options = zones.map((item) => [item.code, item.name ? `${item.code} – ${item.name}` : item.code]);
  return (
    <section class="kern-stack" aria-labelledby="ranges-heading">
      <h2 class="kern-heading-medium" id="ranges-heading">
        {t("console.parking.ranges_heading")}
      </h2>
      <p class="kern-body">{t("console.parking.ranges_intro")}</p>
      <SelectField id="range-filter" label={t("console.parking.filter_label")} value={zone} onChange={setZone} options={options} placeholder={t("console.parking.filter_all")} />
      {remove.error && <Alert kind="danger" title={remove.error.message} />}
      {ranges.error && <LoadError error={ranges.error} />}
      {ranges.data && (
        <DataTable
          caption={t("console.parking.ranges_caption")}
          head={[
            t("console.parking.col_street"),
            t("console.parking.col_postal_code"),
            t("console.parking.col_numbers"),
            t("console.parking.col_parity"),
            t("console.parking.col_zone"),
            t("console.parking.col_actions"),
          ]}
        >
          {ranges.data.map((row) => (
            <tr class="kern-table__row" key={row.id}>
              <td class="kern-table__cell">{row.street}</td>
              <td class="kern-table__cell">{row.postal_code}</td>
              <td class="kern-table__cell">{`${row.first}–${row.last}`}</td>
              <td class="kern-table__cell">{t(`console.parking.parity_${row.parity}`)}</td>
              <td class="kern-table__cell">{row.zone}</td>
              <td class="kern-table__cell">
                <div class="city-actions">
                  <Button variant="tertiary" onClick={() => setEditing(row)} aria-label={t("console.parking.edit_range", { street: row.street, first: row.first, last: row.last })}>
                    {t("console.parking.edit")}
                  </Button>
                  <Button variant="tertiary" onClick={() => setDeleting(row)} aria-label={t("console.parking.delete_range", { street: row.street, first: row.first, last: row.last })}>
                    {t("console.parking.delete")}
                  </Button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {ranges.data?.length === 0 && <p class="kern-body">{t("console.parking.no_ranges")}</p>}
      {deleting && (
        <Confirm
          id="range-delete-question"
          question={t("console.parking.delete_range_question", { street: deleting.street, first: deleting.first, last: deleting.last, zone: deleting.zone })}
          effect={t("console.parking.delete_range_effect")}
          confirmLabel={t("console.parking.delete_confirm")}
          busy={remove.busy}
          onConfirm={confirmDelete}
          onCancel={() => setDeleting(null)}
        />
      )}
      {editing ? (
        <RangeForm
          key={editing.id}
          range={editing}
          zones={options}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            changed(t("console.parking.range_saved", { street: saved.street }));
          }}
        />
      ) : (
        <RangeForm key="new" zones={options} onSaved={(saved) => changed(t("console.parking.range_added", { street: saved.street, zone: saved.zone }))} />
      )}
    </section>
  );
}

function RangeForm({ range, zones, onSaved, onCancel }) {
  const [street, setStreet] = useState(range?.street || "");
  const [first, setFirst] = useState(range ? String(range.first) : "");
  const [last, setLast] = useState(range ? String(range.last) : "");
  const [parity, setParity] = useState(range?.parity || "all");
  const [zone, setZone] = useState(range?.zone || "");
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction({
    onError: (caught) => {
      setAttempt((count) => count + 1);
      return withIds(asActionError(caught), "range");
    },
  });
  const errors = fieldErrors(error);
  const number = (text) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);
  const submit = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    const problems = [];
    if (number(first) === null) problems.push({ field: "range-first", message: t("console.parking.number_needed") });
    if (number(last) === null) problems.push({ field: "range-last", message: t("console.parking.number_needed") });
    if (!zone) problems.push({ field: "range-zone", message: t("console.parking.zone_needed") });
    if (problems.length) return setError({ message: null, fieldErrors: problems });
    run(async () => {
      const body = { street, first: number(first), last: number(last), parity, zone };
      const saved = range ? await api("PUT", `/api/admin/parking/streets/${range.id}`, body) : await api("POST", "/api/admin/parking/streets", body);
      if (!range) {
        setStreet("");
        setFirst("");
        setLast("");
      }
      onSaved(saved);
    });
  };
  const headingId = range ? "range-edit-heading" : "range-add-heading";
  return (
    <form class="kern-stack city-form" onSubmit={submit} novalidate aria-labelledby={headingId}>
      <h3 class="kern-heading-small" id={headingId}>
        {range ? t("console.parking.range_edit_heading", { street: range.street }) : t("console.parking.range_add_heading")}
      </h3>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
      <TextField id="range-street" label={t("console.parking.street_label")} hint={t("console.parking.street_hint")} error={errors["range-street"]} value={street} onInput={setStreet} autocomplete="off" />
      <div class="city-form__row">
        <TextField id="range-first" label={t("console.parking.first_label")} error={errors["range-first"]} value={first} onInput={setFirst} inputmode="numeric" autocomplete="off" />
        <TextField id="range-last" label={t("console.parking.last_label")} error={errors["range-last"]} value={last} onInput={setLast} inputmode="numeric" autocomplete="off" />
      </div>
      <SelectField id="range-parity" label={t("console.parking.parity_label")} error={errors["range-parity"]} value={parity} onChange={setParity} options={PARITIES.map((item) => [item, t(`console.parking.parity_${item}`)])} />
      <SelectField id="range-zone" label={t("console.parking.zone_label")} error={errors["range-zone"]} value={zone} onChange={setZone} options={zones} placeholder={t("console.parking.choose")} />
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={busy}>
          {range ? t("console.parking.save") : t("console.parking.add_range")}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            {t("console.parking.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}
