// The eID step itself: what the citizen needs and what happens, then the link that opens
// the AusweisApp (eid:// on phones, http://127.0.0.1:24727 on computers). If nothing
// opens within a few seconds, the other link form, the download and other ways appear.
// With the built-in simulator (test mode) the simulated AusweisApp is offered instead.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import {
  OtherWays as SharedOtherWays,
  TestModeNotice as SharedTestModeNotice,
  useIdentityStatus,
} from "../../components/identity-sign-in.jsx";
import { Loading } from "../../components/page.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { isKiosk } from "../../lib/kiosk.js";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import "./catalogue.js";
import { isMobileDevice } from "./device.js";

export const AUSWEISAPP_URL = "https://www.ausweisapp.bund.de";
const WAIT_MS = 4000;

/** What the eID's screens share with BundID's (components/identity-sign-in.jsx). */
export const EID_FLOW = { api: "/api/eid", page: "/anmelden/ausweis", done: "/konto?eid=ok", texts: "ausweis", errors: "eid" };

/** This browser's eID status (enabled, test mode, latest attempt, bound card). */
export const useEidStatus = () => useIdentityStatus(EID_FLOW);

export const TestModeNotice = () => <SharedTestModeNotice flow={EID_FLOW} />;

export function GetAppLink() {
  return (
    <a class="kern-link" href={AUSWEISAPP_URL} rel="noopener">
      {t("ausweis.get_app")}
    </a>
  );
}

/** Passkey and e-mail code, and the counter: the eID is never the only way in. */
export function OtherWays({ back }) {
  return (
    <SharedOtherWays flow={EID_FLOW} back={back}>
      <p class="kern-body">{t("sent.next_counter")}</p>
    </SharedOtherWays>
  );
}

function Explanation({ mobile, kioskMode, simulated }) {
  return (
    <>
      <section class="kern-stack" aria-labelledby="eid-need-heading">
        <h2 class="kern-heading-medium" id="eid-need-heading">
          {t("ausweis.need_heading")}
        </h2>
        <ul class="kern-list kern-list--bullet">
          <li>{t("ausweis.need_card")}</li>
          <li>{t("ausweis.need_pin")}</li>
          <li>{kioskMode ? t("kiosk.eid_need_reader") : t("ausweis.need_app")}</li>
        </ul>
        {!kioskMode && (
          <p class="kern-body">
            <GetAppLink />
          </p>
        )}
      </section>
      <section class="kern-stack" aria-labelledby="eid-how-heading">
        <h2 class="kern-heading-medium" id="eid-how-heading">
          {t("ausweis.how_heading")}
        </h2>
        <ol class="kern-list kern-list--number steps">
          <li>{t("ausweis.how_1")}</li>
          <li>{t("ausweis.how_2")}</li>
          <li>{t("ausweis.how_3")}</li>
        </ol>
        {!mobile && !simulated && !kioskMode && <p class="kern-body">{t("ausweis.desktop_hint")}</p>}
        <h3 class="kern-heading-small">{t("ausweis.data_heading")}</h3>
        <p class="kern-body">{t("ausweis.data_text")}</p>
      </section>
    </>
  );
}

/** After the start: the links to the AusweisApp (and the simulator in test mode). */
function Started({ started, mobile, kioskMode, waited, onRetry }) {
  const heading = useRef(null);
  useEffect(() => heading.current?.focus(), []);
  const primary = mobile ? started.client_url_mobile : started.client_url_desktop;
  const other = mobile ? started.client_url_desktop : started.client_url_mobile;
  const simulated = Boolean(started.simulator_url);
  return (
    <section class="kern-stack" aria-labelledby="eid-started-heading">
      <h2 class="kern-heading-medium" id="eid-started-heading" tabIndex={-1} ref={heading}>
        {simulated ? t("ausweis.ready_title") : t("ausweis.opening_title")}
      </h2>
      {simulated && (
        <>
          <TestModeNotice />
          <p>
            <a class="kern-btn kern-btn--primary" href={started.simulator_url} data-eid-simulator>
              <span class="kern-label">{t("ausweis.simulator_open")}</span>
            </a>
          </p>
        </>
      )}
      <p class="kern-body">{simulated ? t("ausweis.ready_text") : t("ausweis.opening_text")}</p>
      {simulated && <p class="kern-body">{t("ausweis.real_app_note")}</p>}
      <p>
        <a class={simulated ? "kern-btn kern-btn--secondary" : "kern-btn kern-btn--primary"} href={primary} data-eid-client>
          <span class="kern-label">{t("ausweis.open_app")}</span>
        </a>
      </p>
      <div aria-live="polite">
        {waited && (
          <div class="kern-stack">
            <h3 class="kern-heading-small">{t("ausweis.not_opened_title")}</h3>
            {kioskMode ? (
              <p class="kern-body">{t("kiosk.eid_not_opened")}</p>
            ) : (
              <>
                <p class="kern-body">{t("ausweis.not_opened_install")}</p>
                <p class="kern-body">
                  <GetAppLink />
                </p>
                <p class="kern-body">{t("ausweis.not_opened_other")}</p>
                <ul class="kern-list link-list">
                  <li>
                    <a class="kern-link" href={other} data-eid-client-other>
                      {mobile ? t("ausweis.open_desktop") : t("ausweis.open_mobile")}
                    </a>
                  </li>
                </ul>
              </>
            )}
            <div class="kern-btn-wrapper">
              <Button variant="tertiary" onClick={onRetry}>
                {t("ausweis.again")}
              </Button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

/**
 * The whole step for ``purpose`` (login or confirm); ``returnTo`` is where the portal
 * sends the citizen afterwards (a path of the app, e.g. the form they came from).
 */
export function EidFlow({ purpose, returnTo, status }) {
  const [started, setStarted] = useState(null);
  const [waited, setWaited] = useState(false);
  const { busy, error, run } = useAction();
  const timer = useRef(null);
  // The Bürgerbüro terminal runs the desktop AusweisApp with its card reader, whatever
  // its touch screen makes it look like.
  const kioskMode = isKiosk();
  const mobile = !kioskMode && isMobileDevice();
  useEffect(() => () => clearTimeout(timer.current), []);
  if (!status) return <Loading />;
  if (status.enabled === false) {
    return (
      <>
        <Alert kind="warning" title={t("errors.eid_unavailable")} />
        {purpose === "login" && <OtherWays back={returnTo} />}
      </>
    );
  }
  const start = () => {
    setWaited(false);
    clearTimeout(timer.current);
    return run(async () => {
      const body = { purpose };
      if (returnTo) body.return_to = returnTo;
      const result = await api("POST", "/api/eid/start", body);
      setStarted(result);
      timer.current = setTimeout(() => setWaited(true), WAIT_MS);
      // A real AusweisApp: open it at once (a normal navigation, as the AusweisApp
      // answers the desktop link with the redirect in this tab).
      if (!result.simulator_url) window.location.href = mobile ? result.client_url_mobile : result.client_url_desktop;
    });
  };
  if (started) {
    return (
      <>
        <Started started={started} mobile={mobile} kioskMode={kioskMode} waited={waited} onRetry={start} />
        {purpose === "login" && <OtherWays back={returnTo} />}
      </>
    );
  }
  return (
    <>
      <ErrorSummary errors={error?.fieldErrors?.length ? error.fieldErrors : undefined} message={error?.message} />
      {status.test_mode && <TestModeNotice />}
      <Explanation mobile={mobile} kioskMode={kioskMode} simulated={status.simulator} />
      {returnTo && <p class="kern-body">{returnTo.startsWith("/antrag/") ? t("ausweis.return_note") : t("ausweis.return_note_page")}</p>}
      <div class="kern-btn-wrapper">
        <Button onClick={start} disabled={busy}>
          {t("ausweis.start")}
        </Button>
      </div>
      {purpose === "login" && <OtherWays back={returnTo} />}
    </>
  );
}
