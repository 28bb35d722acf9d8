// The account: personal data, passkeys, notifications, signed-in devices, data on this
// device, data export and deletion.
import { useEffect, useState } from "preact/hooks";
import { asThrown, useAction } from "../hooks/use-action.js";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../components/forms.jsx";
import { Page } from "../components/page.jsx";
import { api, forgetPersonalData, session, setSession } from "../lib/api.js";
import { endVisit, isKiosk } from "../lib/kiosk.js";
import { forgetAllDrafts, forgetSyncedDrafts } from "../lib/drafts.js";
import { formatDateTime, t } from "../lib/i18n.js";
import { navigate, useLocation } from "../lib/router.jsx";
import { LANGUAGES, NATIVE_NAMES } from "../lib/languages.js";
import { useSignal } from "../lib/signal.js";
import { tourReplay } from "../lib/tour.js";
import { createPasskey, passkeysSupported } from "../lib/webauthn.js";
// Online-Ausweis and payments: their own sections, kept in their own folders.
import { BundidAccountSection } from "./bundid/account-section.jsx";
import { EidAccountSection } from "./eid/account-section.jsx";
import { PaymentsAccountSection } from "./payments/links.jsx";
// Push notifications (this device and the account's others), inside "Benachrichtigungen".
import { forgetPushDevice } from "../lib/push.js";
import { sendPendingSatisfaction } from "../lib/surveys.js";
import { PushSettings } from "./account/notifications.jsx";
import { ChannelSettings } from "./account/channels.jsx";

const PROFILE_FIELDS = [
  ["given_names", "text", "given-name"],
  ["family_name", "text", "family-name"],
  ["date_of_birth", "date", "bday"],
  ["street", "text", "address-line1"],
  ["house_number", "text", "off"],
  ["postal_code", "text", "postal-code"],
  ["city", "text", "address-level2"],
  ["phone", "tel", "tel"],
];

function ProfileSection() {
  const [profile, setProfile] = useState(null);
  const { error, setError, run } = useAction({ onError: asThrown });
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    api("GET", "/api/account/profile").then(setProfile, setError);
  }, []);
  if (!profile) return null;
  const errors = fieldErrors(error);
  const save = async (event) => {
    event.preventDefault();
    setSaved(false);
    const body = {};
    for (const [name] of PROFILE_FIELDS) {
      if (!profile.verified.includes(name)) body[name] = name === "date_of_birth" ? profile[name] || null : profile[name] || "";
    }
    return run(async () => {
      setProfile(await api("PUT", "/api/account/profile", body));
      setSaved(true);
    });
  };
  return (
    <section class="kern-stack" aria-labelledby="profile-heading">
      <h2 class="kern-heading-medium" id="profile-heading">
        {t("account.profile_heading")}
      </h2>
      <p class="kern-body">{t("account.profile_intro")}</p>
      <ErrorSummary errors={error?.fieldErrors} message={error && !error.fieldErrors.length ? error.message : null} />
      {saved && <Alert kind="success" title={t("account.profile_saved")} />}
      <form onSubmit={save} novalidate class="kern-stack">
        {PROFILE_FIELDS.map(([name, type, autocomplete]) => (
          <TextField
            key={name}
            id={name}
            type={type}
            label={t(`profile.${name}`)}
            hint={profile.verified.includes(name) ? t("account.verified_hint") : undefined}
            error={errors[name]}
            value={profile[name] || ""}
            readOnly={profile.verified.includes(name)}
            autocomplete={autocomplete}
            onInput={(value) => setProfile({ ...profile, [name]: value })}
          />
        ))}
        <div class="kern-btn-wrapper">
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{t("account.profile_save")}</span>
          </button>
        </div>
      </form>
    </section>
  );
}

function PasskeySection({ highlight }) {
  const [passkeys, setPasskeys] = useState([]);
  const [name, setName] = useState(t("account.passkey_default_name"));
  const { error, setError, run } = useAction({ onError: asThrown });
  const [added, setAdded] = useState(null);
  const reload = () => api("GET", "/api/account/passkeys").then(setPasskeys, setError);
  useEffect(() => {
    reload();
  }, []);
  const add = (event) => {
    event.preventDefault();
    setAdded(null);
    return run(async () => {
      const options = await api("POST", "/api/account/passkeys/options");
      let credential;
      try {
        credential = await createPasskey(options.public_key);
      } catch {
        throw { message: t("account.passkey_cancelled"), fieldErrors: [] };
      }
      const passkey = await api("POST", "/api/account/passkeys", {
        challenge_id: options.challenge_id,
        credential,
        name,
      });
      setAdded(passkey.name);
      reload();
    });
  };
  const remove = async (passkey) => {
    if (!window.confirm(t("account.passkey_remove_confirm", { name: passkey.name }))) return;
    await api("DELETE", `/api/account/passkeys/${passkey.id}`).catch(setError);
    reload();
  };
  const errors = fieldErrors(error);
  return (
    <section class="kern-stack" aria-labelledby="passkeys-heading">
      <h2 class="kern-heading-medium" id="passkeys-heading">
        {t("account.passkeys_heading")}
      </h2>
      {highlight && passkeys.length === 0 && <Alert kind="info" title={t("account.welcome_new")}>
        <p class="kern-body">{t("account.passkey_suggest")}</p>
      </Alert>}
      <p class="kern-body">{t("account.passkeys_intro")}</p>
      <ErrorSummary errors={error?.fieldErrors} message={error && !error.fieldErrors?.length ? error.message : null} />
      {added && <Alert kind="success" title={t("account.passkey_added", { name: added })} />}
      {passkeys.length > 0 ? (
        <ul class="kern-list passkey-list">
          {passkeys.map((passkey) => (
            <li key={passkey.id} class="passkey-item">
              <span class="kern-body">
                <strong>{passkey.name}</strong>{" "}
                {t("account.passkey_created", { date: formatDateTime(passkey.created_at) })}
              </span>
              <Button variant="tertiary" onClick={() => remove(passkey)} aria-label={t("account.passkey_remove_named", { name: passkey.name })}>
                {t("account.passkey_remove")}
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="kern-body">{t("account.passkeys_none")}</p>
      )}
      {passkeysSupported() ? (
        <form onSubmit={add} novalidate class="kern-stack">
          <TextField id="name" label={t("account.passkey_name")} hint={t("account.passkey_name_hint")} error={errors.name} value={name} onInput={setName} maxLength={80} />
          <div class="kern-btn-wrapper">
            <button class="kern-btn kern-btn--primary" type="submit">
              <span class="kern-label">{t("account.passkey_add")}</span>
            </button>
          </div>
        </form>
      ) : (
        <p class="kern-body">{t("account.passkeys_unsupported")}</p>
      )}
    </section>
  );
}

function deviceName(userAgent) {
  const ua = userAgent || "";
  const system = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iPhone/iPad" : /Windows/.test(ua) ? "Windows" : /Mac OS/.test(ua) ? "Mac" : /Linux/.test(ua) ? "Linux" : null;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : null;
  return [browser, system].filter(Boolean).join(" · ") || t("account.device_unknown");
}

function SessionsSection() {
  const [devices, setDevices] = useState([]);
  const [ended, setEnded] = useState(false);
  const reload = () => api("GET", "/api/account/sessions").then(setDevices, () => {});
  useEffect(() => {
    reload();
  }, []);
  const logoutAll = async () => {
    // A satisfaction answer still waiting goes out while the session is valid.
    await sendPendingSatisfaction().catch(() => {});
    await forgetPushDevice();
    await api("POST", "/api/auth/logout-all");
    await signOutHere();
    navigate("/anmelden");
  };
  const end = async (device) => {
    await api("DELETE", `/api/account/sessions/${device.id}`).catch(() => {});
    setEnded(true);
    reload();
  };
  return (
    <section class="kern-stack" aria-labelledby="sessions-heading">
      <h2 class="kern-heading-medium" id="sessions-heading">
        {t("account.sessions_heading")}
      </h2>
      <p class="kern-body">{t("account.sessions_intro")}</p>
      {ended && <Alert kind="success" title={t("account.session_ended")} />}
      <ul class="kern-list item-list">
        {devices.map((device) => (
          <li key={device.id} class="item-list__item">
            <span class="kern-body">
              <strong>{deviceName(device.device)}</strong>
              {device.current && ` (${t("account.session_this")})`}
            </span>
            <span class="kern-body kern-body--small list-meta">
              {t("account.session_last_seen", { time: formatDateTime(device.last_seen_at) })}
            </span>
            {!device.current && (
              <Button variant="tertiary" onClick={() => end(device)} aria-label={t("account.session_end_named", { name: deviceName(device.device) })}>
                {t("account.session_end")}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={logoutAll}>
          {t("account.logout_all")}
        </Button>
      </div>
    </section>
  );
}

function NotificationsSection({ user }) {
  const [language, setLanguage] = useState(user.locale || "de");
  const [saved, setSaved] = useState(false);
  const save = async (event) => {
    event.preventDefault();
    setSaved(false);
    await api("PATCH", "/api/account", { locale: language });
    setSaved(true);
  };
  return (
    <section class="kern-stack" aria-labelledby="notifications-heading">
      <h2 class="kern-heading-medium" id="notifications-heading">
        {t("account.notifications_heading")}
      </h2>
      <p class="kern-body">{t("account.notifications_intro")}</p>
      {saved && <Alert kind="success" title={t("account.notifications_saved")} />}
      <form onSubmit={save} novalidate class="kern-stack">
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t("account.notifications_language")}</legend>
          <div class="kern-fieldset__body">
            {LANGUAGES.map((value) => [value, NATIVE_NAMES[value]]).map(([value, name]) => (
              <div class="kern-form-check" key={value}>
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  id={`mail-language-${value}`}
                  name="mail-language"
                  checked={language === value}
                  onChange={() => setLanguage(value)}
                />
                <label class="kern-label" for={`mail-language-${value}`} lang={value}>
                  {name}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="kern-btn-wrapper">
          <Button type="submit" variant="secondary">
            {t("account.notifications_save")}
          </Button>
        </div>
      </form>
      <ChannelSettings email={user.email} />
      {/* No push sign-up at the Bürgerbüro terminal: it would reach the next visitor. */}
      {!isKiosk() && <PushSettings user={user} />}
    </section>
  );
}

function DeviceDataSection() {
  const [done, setDone] = useState(false);
  const clear = async () => {
    if (!window.confirm(t("account.device_data_confirm"))) return;
    await forgetAllDrafts();
    await forgetPersonalData();
    setDone(true);
  };
  return (
    <section class="kern-stack" aria-labelledby="device-data-heading">
      <h2 class="kern-heading-medium" id="device-data-heading">
        {t("account.device_data_heading")}
      </h2>
      <p class="kern-body">{t("account.device_data_intro")}</p>
      {done && <Alert kind="success" title={t("account.device_data_done")} />}
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={clear}>
          {t("account.device_data_clear")}
        </Button>
      </div>
    </section>
  );
}

/** Sign-out on this device: session, cached personal data and drafts the server has. */
async function signOutHere() {
  const user = session.get().user;
  await forgetPushDevice();
  setSession({ authenticated: false, user: null, csrf_token: null });
  await forgetPersonalData();
  if (user) await forgetSyncedDrafts(user.id);
}

function DataSection({ email }) {
  const [confirm, setConfirm] = useState("");
  const { error, run } = useAction({ onError: asThrown });
  const remove = (event) => {
    event.preventDefault();
    return run(async () => {
      await api("DELETE", "/api/account", { confirm_email: confirm });
      await signOutHere();
      navigate("/");
    });
  };
  return (
    <section class="kern-stack" aria-labelledby="data-heading">
      <h2 class="kern-heading-medium" id="data-heading">
        {t("account.data_heading")}
      </h2>
      <p class="kern-body">{t("account.export_intro")}</p>
      {/* A file saved at the Bürgerbüro terminal would stay for the next visitor. */}
      {!isKiosk() && (
        <p>
          <a class="kern-link" href="/api/account/export" download>
            {t("account.export_link")}
          </a>
        </p>
      )}
      <h3 class="kern-heading-small">{t("account.delete_heading")}</h3>
      <p class="kern-body">{t("account.delete_intro")}</p>
      <form onSubmit={remove} novalidate class="kern-stack">
        <TextField
          id="confirm_email"
          type="email"
          label={t("account.delete_confirm_label", { email })}
          error={fieldErrors(error).confirm_email}
          value={confirm}
          onInput={setConfirm}
          autocomplete="off"
        />
        <div class="kern-btn-wrapper">
          <button class="kern-btn kern-btn--secondary" type="submit">
            <span class="kern-label">{t("account.delete_submit")}</span>
          </button>
        </div>
      </form>
    </section>
  );
}

export function AccountPage() {
  const current = useSignal(session);
  const { search } = useLocation();
  useEffect(() => {
    if (current.loaded && !current.authenticated) navigate("/anmelden", { replace: true });
  }, [current.loaded, current.authenticated]);
  if (!current.authenticated) return <Page title={t("account.title")}><p class="kern-body">{t("app.loading")}</p></Page>;
  const logout = async () => {
    // At the terminal signing out ends the visit: nothing of it stays on the device.
    if (isKiosk()) return endVisit();
    // A satisfaction answer still waiting goes out while the session is valid.
    await sendPendingSatisfaction().catch(() => {});
    await forgetPushDevice();
    await api("POST", "/api/auth/logout").catch(() => {});
    await signOutHere();
    navigate("/anmelden");
  };
  return (
    <Page title={t("account.title")}>
      <p class="kern-body">{t("account.signed_in_as", { email: current.user.email })}</p>
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={logout}>
          {t("account.logout")}
        </Button>
        {/* The guided first visit once more (no tour at the shared terminal). */}
        {current.user.role === "citizen" && !isKiosk() && (
          <Button variant="tertiary" onClick={() => tourReplay.set(true)}>
            {t("account.tour_again")}
          </Button>
        )}
      </div>
      <EidAccountSection user={current.user} />
      <BundidAccountSection />
      <PaymentsAccountSection />
      {/* No passkeys at the Bürgerbüro terminal: the device is shared. */}
      {!isKiosk() && <PasskeySection highlight={search.includes("neu=1")} />}
      <ProfileSection />
      <NotificationsSection user={current.user} />
      <SessionsSection />
      {/* The terminal wipes the device after every visit by itself. */}
      {!isKiosk() && <DeviceDataSection />}
      <DataSection email={current.user.email} />
    </Page>
  );
}
