// Building blocks the console's people screens share: role names, the role choice and
// the service-area choice (the areas in use, plus a new one in the same pattern).
import { useResource } from "../../hooks/use-resource.js";
import { t } from "../../lib/i18n.js";

export const ROLES = ["citizen", "staff", "officer", "statistics", "admin", "facility"];
export const INVITABLE_ROLES = ["staff", "officer", "statistics", "admin", "facility"];
export const AREA_ROLES = ["staff", "admin"];

export const roleLabel = (role) => t(`console.users.role_${role}`);

/** Field errors of an ApiError by form field ("areas.0" counts as "areas"). */
export function errorsByField(error) {
  const byField = {};
  for (const item of error?.fieldErrors || []) byField[String(item.field).split(".")[0]] ??= item.message;
  return byField;
}

/** The summary's items: one per field, linking to the input that fixes it. */
export function summaryItems(byField, ids) {
  return Object.entries(byField).map(([field, message]) => ({ field: ids[field] || field, message }));
}

/** The areas to send: the ticked ones and a new one typed in (checked by the server too). */
export function chosenAreas(ticked, extra) {
  const typed = extra.trim();
  return [...new Set([...ticked, ...(typed ? [typed] : [])])].sort();
}

export function RoleChoice({ id, roles, value, error, onChange }) {
  return (
    <fieldset class={error ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"} id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
      <legend class="kern-label">{t("console.users.role")}</legend>
      {error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{error}</span>
        </p>
      )}
      <div class="kern-fieldset__body">
        {roles.map((role) => (
          <div class="kern-form-check" key={role}>
            <input class="kern-form-check__radio" type="radio" id={`${id}-${role}`} name={id} value={role} checked={value === role} onChange={() => onChange(role)} />
            <label class="kern-label" for={`${id}-${role}`}>
              {roleLabel(role)}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** Tick boxes for the areas in use and a text field for a new one. */
export function AreaChoice({ id, ticked, onTick, extra, onExtra, error }) {
  const { data } = useResource("/api/admin/users/areas");
  const known = [...new Set([...(data?.areas || []), ...ticked])].sort();
  const toggle = (area) => onTick(ticked.includes(area) ? ticked.filter((a) => a !== area) : [...ticked, area]);
  const hintId = `${id}-new-hint`;
  return (
    <fieldset class={error ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"} id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined}>
      <legend class="kern-label">{t("console.users.areas")}</legend>
      <div class="kern-hint">{t("console.users.areas_hint")}</div>
      {error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{error}</span>
        </p>
      )}
      <div class="kern-fieldset__body people-areas">
        {known.map((area) => (
          <div class="kern-form-check" key={area}>
            <input class="kern-form-check__checkbox" type="checkbox" id={`${id}-${area}`} checked={ticked.includes(area)} onChange={() => toggle(area)} />
            <label class="kern-label" for={`${id}-${area}`}>
              {area}
            </label>
          </div>
        ))}
      </div>
      <div class="kern-form-input">
        <label class="kern-label" for={`${id}-new`}>
          {t("console.users.new_area")}
        </label>
        <div class="kern-hint" id={hintId}>
          {t("console.users.new_area_hint")}
        </div>
        <input class="kern-form-input__input" id={`${id}-new`} name={`${id}-new`} type="text" value={extra} aria-describedby={hintId} autocomplete="off" onInput={(event) => onExtra(event.currentTarget.value)} />
      </div>
    </fieldset>
  );
}
