// How the citizen hears about decisions, questions, documents and payments: by e-mail,
// by push on their devices, both or neither (the inbox always has everything).
import { useEffect, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { addCatalogues, t } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

const CHANNELS = ["email", "push"];

export function ChannelSettings({ email }) {
  // null until the portal answered; then {email, push} as stored.
  const [channels, setChannels] = useState(null);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  useEffect(() => {
    api("GET", "/api/account/notifications").then(setChannels, () => {});
  }, []);

  if (!channels) return null;

  const toggle = (name, on) => {
    setSaved(false);
    setChannels({ ...channels, [name]: on });
  };
  const save = async (event) => {
    event.preventDefault();
    setSaved(false);
    const stored = await run(() => api("PUT", "/api/account/notifications", channels));
    if (stored) {
      setChannels(stored);
      setSaved(true);
    }
  };

  return (
    <form onSubmit={save} novalidate class="kern-stack" data-testid="notification-channels">
      {error && <ErrorSummary errors={error.fieldErrors} message={error.message} />}
      {saved && <Alert kind="success" title={t("channels.saved")} />}
      <fieldset class="kern-fieldset" aria-describedby="channels-hint">
        <legend class="kern-label">{t("channels.legend")}</legend>
        <div class="kern-hint" id="channels-hint">
          {t("channels.hint")}
        </div>
        <div class="kern-fieldset__body">
          {CHANNELS.map((name) => (
            <div class="kern-form-check" key={name}>
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={`channel-${name}`}
                name={`channel-${name}`}
                checked={channels[name]}
                disabled={busy}
                onChange={(event) => toggle(name, event.currentTarget.checked)}
              />
              <label class="kern-label" for={`channel-${name}`}>
                {t(`channels.${name}`, { email })}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {!channels.email && !channels.push && (
        <p class="kern-body">{t("channels.inbox_only")}</p>
      )}
      <div class="kern-btn-wrapper">
        <Button type="submit" variant="secondary" disabled={busy}>
          {t("channels.save")}
        </Button>
      </div>
    </form>
  );
}
