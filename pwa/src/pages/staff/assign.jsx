// Assigning a case to a colleague: the people who may work on its area (staff of the
// area and admins, as the server lists them), by name or e-mail address.
import { useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { addCatalogues, t } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

/** How a colleague is shown: name and address, or the address alone. */
export function colleagueName(person) {
  return person.name ? `${person.name} (${person.email})` : person.email;
}

/** The select and button of the detail page; ``onAssigned(updated, person)``. */
export function AssignToColleague({ data, onAssigned }) {
  const [chosen, setChosen] = useState(data.assigned_to ? String(data.assigned_to) : "");
  const { busy, error, setError, run } = useAction({
    onError: (caught) => caught.fieldErrors?.[0]?.message || caught.message,
  });
  const submit = (event) => {
    event.preventDefault();
    if (!chosen) return setError(t("staff_ws.assign_required"));
    return run(async () => {
      const assigneeId = chosen === "none" ? null : Number(chosen);
      const updated = await api("PUT", `/api/staff/applications/${data.reference}/assignee`, { assignee_id: assigneeId });
      onAssigned(updated, data.colleagues.find((person) => person.id === assigneeId) || null);
    });
  };
  return (
    <form class="kern-stack" onSubmit={submit} novalidate>
      <div class={error ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
        <label class="kern-label" for="assign-to">{t("staff_ws.assign_label")}</label>
        {error && (
          <p class="kern-error" id="assign-to-error" role="alert">
            <span class="kern-body">{error}</span>
          </p>
        )}
        <div class="kern-form-input__select-wrapper">
          <select
            class="kern-form-input__select"
            id="assign-to"
            value={chosen}
            aria-describedby={error ? "assign-to-error" : undefined}
            aria-invalid={error ? "true" : undefined}
            onChange={(e) => setChosen(e.currentTarget.value)}
          >
            <option value="">{t("staff_ws.assign_choose")}</option>
            {data.colleagues.map((person) => (
              <option key={person.id} value={String(person.id)}>{colleagueName(person)}</option>
            ))}
            <option value="none">{t("staff_ws.assign_nobody")}</option>
          </select>
        </div>
      </div>
      <div class="kern-btn-wrapper">
        <Button type="submit" variant="secondary" disabled={busy}>{t("staff_ws.assign")}</Button>
      </div>
    </form>
  );
}
