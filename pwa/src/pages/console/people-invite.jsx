// Inviting someone to work in the portal: address, role, service areas (or, for the
// staff of a day-care facility, their facilities), the language of the invitation mail. An existing citizen account is upgraded only after the admin
// confirms it; the invitee signs in with the usual e-mail code (no passwords).
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { navigate } from "../../lib/router.jsx";
import { FacilityChoice } from "../kita/staff-links.jsx";
import { ConsolePage } from "./layout.jsx";
import { AREA_ROLES, AreaChoice, INVITABLE_ROLES, RoleChoice, chosenAreas, errorsByField, roleLabel, summaryItems } from "./people-shared.jsx";
import "./people.css";

const IDS = { email: "invite-email", role: "invite-role", areas: "invite-areas", facility_ids: "invite-facilities", locale: "invite-locale" };

function InviteForm() {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("staff");
  const [ticked, setTicked] = useState([]);
  const [extra, setExtra] = useState("");
  const [facilities, setFacilities] = useState([]);
  const [lang, setLang] = useState("de");
  const { busy, error, setError, run } = useAction();
  const byField = errorsByField(error);
  const needsConfirmation = error?.code === "citizen_upgrade_unconfirmed";

  const send = (confirm) =>
    run(async () => {
      const areas = AREA_ROLES.includes(role) ? chosenAreas(ticked, extra) : [];
      const facility_ids = role === "facility" ? facilities : [];
      const result = await api("POST", "/api/admin/users/invitations", { email, role, areas, facility_ids, locale: lang, confirm_upgrade: confirm });
      navigate(`/verwaltung/benutzer/${result.user.id}?eingeladen=${result.created ? "neu" : "hochgestuft"}`);
    });

  const onSubmit = (event) => {
    event.preventDefault();
    send(false);
  };

  return (
    <form noValidate onSubmit={onSubmit} class="kern-stack">
      {error && !needsConfirmation && <ErrorSummary errors={summaryItems(byField, IDS)} message={Object.keys(byField).length ? undefined : error.message} />}
      <p class="kern-body">{t("console.users.invite_intro")}</p>
      <TextField id={IDS.email} label={t("console.users.email")} hint={t("console.users.email_hint")} type="email" autocomplete="off" value={email} error={needsConfirmation ? undefined : byField.email} onInput={(value) => {
          setEmail(value);
          if (needsConfirmation) setError(null);
        }}
      />
      <RoleChoice id={IDS.role} roles={INVITABLE_ROLES} value={role} error={byField.role} onChange={setRole} />
      {AREA_ROLES.includes(role) && <AreaChoice id={IDS.areas} ticked={ticked} onTick={setTicked} extra={extra} onExtra={setExtra} error={byField.areas} />}
      {role === "facility" && <FacilityChoice id={IDS.facility_ids} ticked={facilities} onTick={setFacilities} error={byField.facility_ids} />}
      <fieldset class="kern-fieldset" id={IDS.locale}>
        <legend class="kern-label">{t("console.users.mail_language")}</legend>
        <div class="kern-fieldset__body">
          {[["de", "Deutsch"], ["en", "English"]].map(([value, label]) => (
            <div class="kern-form-check" key={value}>
              <input class="kern-form-check__radio" type="radio" id={`${IDS.locale}-${value}`} name={IDS.locale} value={value} checked={lang === value} onChange={() => setLang(value)} />
              <label class="kern-label" for={`${IDS.locale}-${value}`} lang={value}>
                {label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {needsConfirmation && (
        <Alert kind="warning" title={t("console.users.citizen_exists_title")}>
          <p class="kern-body">{t("console.users.citizen_exists_text", { email })}</p>
          <div class="people-actions">
            <Button onClick={() => send(true)} disabled={busy}>
              {t("console.users.upgrade_and_invite", { role: roleLabel(role) })}
            </Button>
            <Button variant="secondary" onClick={() => setError(null)}>
              {t("console.users.cancel")}
            </Button>
          </div>
        </Alert>
      )}
      {!needsConfirmation && (
        <div>
          <Button type="submit" disabled={busy}>
            {t("console.users.send_invitation")}
          </Button>
        </div>
      )}
    </form>
  );
}

export function ConsoleInvitePage() {
  return (
    <ConsolePage title={t("console.users.invite_title")}>
      <InviteForm />
    </ConsolePage>
  );
}
