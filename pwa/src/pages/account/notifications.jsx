// Push notifications, inside the account's "Benachrichtigungen" section: the reason first, a switch for this device (the
// browser asks for permission only when the citizen taps it), the device's name and
// topics, and every device of the account with "remove". Explains instead where it
// cannot work: an old browser, permission blocked, iPhone/iPad in the browser (needs the
// app on the home screen, iOS 16.4+), offline, or push switched off at the portal.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { online } from "../../lib/connectivity.js";
import { addCatalogues, formatDateTime, locale, t } from "../../lib/i18n.js";
import {
  PushError,
  currentDevice,
  disablePush,
  enablePush,
  permission,
  publicKey,
  pushSupport,
  thisDeviceId,
  watchPermission,
} from "../../lib/push.js";
import { useSignal } from "../../lib/signal.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

function SupportNotice({ support }) {
  if (support === "ios_install") {
    return (
      <Alert kind="info" title={t("push.ios_install_title")} live={false}>
        <p class="kern-body">{t("push.ios_install_text")}</p>
        <ol class="kern-list kern-list--number">
          <li>{t("push.ios_step_share")}</li>
          <li>{t("push.ios_step_add")}</li>
          <li>{t("push.ios_step_open")}</li>
        </ol>
      </Alert>
    );
  }
  if (support === "ios_update") {
    return (
      <Alert kind="info" title={t("push.ios_update_title")} live={false}>
        <p class="kern-body">{t("push.ios_update_text")}</p>
      </Alert>
    );
  }
  return (
    <Alert kind="info" title={t("push.unsupported_title")} live={false}>
      <p class="kern-body">{t("push.unsupported_text")}</p>
    </Alert>
  );
}

function DeniedNotice() {
  return (
    <Alert kind="warning" title={t("push.denied_title")} live={false}>
      <p class="kern-body">{t("push.denied_text")}</p>
      <ul class="kern-list kern-list--bullet">
        <li>{t("push.denied_step_browser")}</li>
        <li>{t("push.denied_step_app")}</li>
      </ul>
      <p class="kern-body">{t("push.denied_step_back")}</p>
    </Alert>
  );
}

function DeviceList({ devices, thisId, disabled, onRemove }) {
  return (
    <>
      <h3 class="kern-heading-small">{t("push.devices_heading")}</h3>
      {devices.length === 0 ? (
        <p class="kern-body">{t("push.devices_none")}</p>
      ) : (
        <>
          <p class="kern-body">{t("push.devices_intro")}</p>
          <ul class="kern-list item-list">
            {devices.map((item) => (
              <li key={item.id} class="item-list__item">
                <span class="kern-body">
                  <strong>{item.label}</strong>
                  {item.id === thisId && ` (${t("push.device_this")})`}
                </span>
                <span class="kern-body kern-body--small list-meta">
                  {t("push.device_since", { date: formatDateTime(item.created_at) })}
                  {item.last_success_at && `, ${t("push.device_last", { date: formatDateTime(item.last_success_at) })}`}
                </span>
                <Button
                  variant="tertiary"
                  disabled={disabled}
                  onClick={() => onRemove(item)}
                  aria-label={t("push.device_remove_named", { label: item.label })}
                >
                  {t("push.device_remove")}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/**
 * What went wrong, for the error summary: no network reads as "offline", not "HTTP 0";
 * only the name has a field here, other field errors (the subscription) are plain text.
 */
function problem(caught) {
  if (caught?.status === 0) return { message: t("push.offline"), fieldErrors: [] };
  const fields = caught?.fieldErrors || [];
  if (fields.some((item) => item.field !== "label")) return { message: fields.map((item) => item.message).join(" "), fieldErrors: [] };
  return caught?.message ? caught : { message: t("push.error"), fieldErrors: [] };
}

export function PushSettings({ user }) {
  const isOnline = useSignal(online);
  const lang = useSignal(locale);
  const [support] = useState(pushSupport);
  const [granted, setGranted] = useState(permission);
  // null while unknown (loading, offline), then whether the portal sends notifications.
  const [available, setAvailable] = useState(null);
  const [device, setDevice] = useState(null);
  const [storedId, setStoredId] = useState(null);
  const [devices, setDevices] = useState(null);
  const [topics, setTopics] = useState([]);
  const [label, setLabel] = useState("");
  const [pending, setPending] = useState(null);
  const [notice, setNotice] = useState(null);
  const { busy, error, setError, run } = useAction({ onError: problem });

  const loadDevices = () => api("GET", "/api/push/subscriptions").then(setDevices, () => {});
  const showDevice = (mine) => {
    setDevice(mine);
    setStoredId(mine?.id || null);
    setLabel(mine?.label || "");
  };

  useEffect(() => {
    thisDeviceId(user.id).then(setStoredId, () => {});
    return watchPermission((state) => {
      setGranted(state);
      if (state !== "granted") setDevice(null);
    });
  }, [user.id]);

  // On opening, on reconnecting and after a change of language: the portal's state,
  // and this device sent again (same device, in the language now chosen).
  useEffect(() => {
    if (!isOnline) return undefined;
    let live = true;
    (async () => {
      try {
        const key = await publicKey();
        if (!live) return;
        setAvailable(Boolean(key));
        api("GET", "/api/push/topics").then((list) => live && setTopics(list), () => {});
        if (key && support === "ok" && permission() === "granted") {
          const mine = await currentDevice(user.id).catch(() => null);
          if (live) showDevice(mine);
        }
        const list = await api("GET", "/api/push/subscriptions");
        if (live) setDevices(list);
      } catch {
        // Offline: the notice says so, and this runs again when the portal answers.
      }
    })();
    return () => {
      live = false;
    };
  }, [isOnline, lang, user.id]);

  const on = Boolean(device) || (!isOnline && Boolean(storedId) && granted === "granted");

  const switchOn = () => {
    setPending(true);
    return run(async () => {
      try {
        // The browser's question comes first, straight from the tap (enablePush asks
        // before it awaits anything else).
        const mine = await enablePush(user.id);
        showDevice(mine);
        setNotice({ kind: "success", title: t("push.enabled"), text: t("push.enabled_text") });
        loadDevices();
      } catch (caught) {
        setGranted(permission());
        if (!(caught instanceof PushError)) throw caught;
        // A refusal or a dismissed question is the citizen's answer, not an error.
        if (caught.code === "dismissed") setNotice({ kind: "info", title: t("push.dismissed") });
        else if (caught.code === "unavailable") setAvailable(false);
        else if (caught.code !== "denied") throw { message: t("push.failed"), fieldErrors: [] };
      }
    }).finally(() => setPending(null));
  };

  const switchOff = () => {
    setPending(false);
    return run(async () => {
      await disablePush();
      showDevice(null);
      setNotice({ kind: "success", title: t("push.disabled") });
      loadDevices();
    }).finally(() => setPending(null));
  };

  const toggle = (event) => {
    setNotice(null);
    setError(null);
    if (event.currentTarget.checked) switchOn();
    else switchOff();
  };

  const change = async (body, message, before = null) => {
    setNotice(null);
    setError(null);
    try {
      showDevice(await api("PATCH", `/api/push/subscriptions/${device.id}`, body));
      setNotice({ kind: "success", title: message });
      loadDevices();
    } catch (caught) {
      if (before) setDevice(before);
      setError(problem(caught));
    }
  };

  const saveLabel = (event) => {
    event.preventDefault();
    change({ label }, t("push.label_saved"));
  };

  const setTopic = (id, wanted) => {
    const next = wanted ? [...device.topics, id] : device.topics.filter((topic) => topic !== id);
    // The box shows the choice at once; it goes back if saving fails.
    setDevice({ ...device, topics: next });
    change({ topics: next }, t("push.topics_saved"), device);
  };

  const remove = async (item) => {
    setNotice(null);
    setError(null);
    try {
      if (item.id === (device?.id || storedId)) {
        await disablePush();
        showDevice(null);
      } else {
        await api("DELETE", `/api/push/subscriptions/${item.id}`);
      }
      setNotice({ kind: "success", title: t("push.device_removed", { label: item.label }) });
      loadDevices();
    } catch (caught) {
      setError(problem(caught));
    }
  };

  const errors = fieldErrors(error);
  const summary = (error?.fieldErrors || []).map((item) => ({ ...item, field: `push-${item.field}` }));
  let controls;
  if (support !== "ok") controls = <SupportNotice support={support} />;
  else if (available === false) controls = <Alert kind="info" title={t("push.unavailable")} live={false} />;
  else if (granted === "denied") controls = <DeniedNotice />;
  else {
    controls = (
      <>
        {!isOnline && <Alert kind="info" title={t("push.offline")} />}
        <div class="kern-form-check">
          <input
            class="kern-form-check__checkbox"
            type="checkbox"
            role="switch"
            id="push-switch"
            checked={pending ?? on}
            disabled={busy || !isOnline || available === null}
            aria-describedby="push-switch-hint"
            onChange={toggle}
          />
          <label class="kern-label" for="push-switch">
            {t("push.switch")}
          </label>
        </div>
        <div class="kern-hint" id="push-switch-hint">
          {busy ? t("push.busy") : on && device ? t("push.switch_hint_on", { label: device.label }) : on ? "" : t("push.switch_hint_off")}
        </div>
        {device && isOnline && (
          <>
            <form onSubmit={saveLabel} novalidate class="kern-stack">
              <TextField
                id="push-label"
                label={t("push.label")}
                hint={t("push.label_hint")}
                error={errors.label}
                value={label}
                onInput={setLabel}
                maxLength={80}
                autocomplete="off"
              />
              <div class="kern-btn-wrapper">
                <Button type="submit" variant="secondary">
                  {t("push.label_save")}
                </Button>
              </div>
            </form>
            {topics.length > 0 && (
              <fieldset class="kern-fieldset">
                <legend class="kern-label">{t("push.topics_legend")}</legend>
                <div class="kern-fieldset__body">
                  {topics.map((topic) => (
                    <div class="kern-form-check" key={topic.id}>
                      <input
                        class="kern-form-check__checkbox"
                        type="checkbox"
                        id={`push-topic-${topic.id}`}
                        checked={device.topics.includes(topic.id)}
                        onChange={(event) => setTopic(topic.id, event.currentTarget.checked)}
                      />
                      <label class="kern-label" for={`push-topic-${topic.id}`}>
                        {topic.label}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            )}
          </>
        )}
      </>
    );
  }

  return (
    <div class="kern-stack">
      <h3 class="kern-heading-small" id="push-heading">
        {t("push.heading")}
      </h3>
      <p class="kern-body">{t("push.reason")}</p>
      <p class="kern-body">{t("push.privacy")}</p>
      {notice && (
        <Alert kind={notice.kind} title={notice.title}>
          {notice.text && <p class="kern-body">{notice.text}</p>}
        </Alert>
      )}
      <ErrorSummary errors={summary} message={error && !summary.length ? error.message : null} focusToken={error} />
      {controls}
      {devices && <DeviceList devices={devices} thisId={device?.id || storedId} disabled={!isOnline} onRemove={remove} />}
    </div>
  );
}
