// On a person's console page: the facilities a user of the role "facility" acts for.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import "./catalogue.js";

export function KitaStaffLinks({ user }) {
  const facilities = useResource("/api/admin/kita/facilities");
  const links = useResource(`/api/admin/kita/staff/${user.id}`);
  const [ticked, setTicked] = useState([]);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    if (links.data) setTicked(links.data.facility_ids);
  }, [links.data]);
  if (facilities.error || links.error) return <LoadError error={facilities.error || links.error} />;
  if (!facilities.data || !links.data) return <Loading />;
  const toggle = (id) => setTicked((previous) => (previous.includes(id) ? previous.filter((x) => x !== id) : [...previous, id]));
  const submit = (event) => {
    event.preventDefault();
    setSaved(false);
    action.run(async () => {
      const result = await api("PUT", `/api/admin/kita/staff/${user.id}`, { facility_ids: ticked });
      setTicked(result.facility_ids);
      setSaved(true);
    });
  };
  return (
    <section class="people-section kern-stack" aria-labelledby="kita-links-heading">
      <h2 class="kern-heading-medium" id="kita-links-heading">
        {t("kita.links.heading")}
      </h2>
      <form noValidate onSubmit={submit} class="kern-stack">
        {action.error && <ErrorSummary message={action.error.message} />}
        {saved && <Alert kind="success" title={t("kita.links.saved")} />}
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t("kita.links.legend")}</legend>
          <div class="kern-fieldset__body">
            {facilities.data.map((facility) => (
              <div class="kern-form-check" key={facility.id}>
                <input class="kern-form-check__checkbox" type="checkbox" id={`kita-link-${facility.id}`} checked={ticked.includes(facility.id)} onChange={() => toggle(facility.id)} />
                <label class="kern-label" for={`kita-link-${facility.id}`}>
                  {facility.name}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div>
          <Button type="submit" disabled={action.busy}>
            {t("kita.links.save")}
          </Button>
        </div>
      </form>
    </section>
  );
}

/**
 * In the console's invitation: the facilities a new person of the role "facility" will
 * act for, ticked before the invitation goes out (the server links them with it).
 */
export function FacilityChoice({ id, ticked, onTick, error }) {
  const facilities = useResource("/api/admin/kita/facilities");
  if (facilities.error) return <LoadError error={facilities.error} />;
  if (!facilities.data) return <Loading />;
  const toggle = (facilityId) => onTick(ticked.includes(facilityId) ? ticked.filter((x) => x !== facilityId) : [...ticked, facilityId]);
  return (
    <fieldset class={error ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"} id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : `${id}-hint`}>
      <legend class="kern-label">{t("kita.links.legend")}</legend>
      <div class="kern-hint" id={`${id}-hint`}>
        {t("kita.links.invite_hint")}
      </div>
      {error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{error}</span>
        </p>
      )}
      <div class="kern-fieldset__body">
        {facilities.data.map((facility) => (
          <div class="kern-form-check" key={facility.id}>
            <input class="kern-form-check__checkbox" type="checkbox" id={`${id}-${facility.id}`} checked={ticked.includes(facility.id)} onChange={() => toggle(facility.id)} />
            <label class="kern-label" for={`${id}-${facility.id}`}>
              {facility.active ? facility.name : t("kita.links.inactive", { name: facility.name })}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
