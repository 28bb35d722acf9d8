// The Bürgerbüro terminal's own controls (kiosk mode has no browser chrome): "Zurück"
// within the visit, "Startseite", and "Sitzung beenden" on every screen; and the guard
// that ends a visit nobody continues: after the idle time a countdown (announced to
// screen readers; any input cancels it), then the visit is ended and wiped.
import { useEffect, useRef, useState } from "preact/hooks";
import { session } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { endVisit, kiosk } from "../lib/kiosk.js";
import { navigate, useLocation } from "../lib/router.jsx";
import { useSignal } from "../lib/signal.js";

const INPUT_EVENTS = ["pointerdown", "pointermove", "keydown", "touchstart", "wheel", "input"];
// How often the countdown is said again to screen readers (every second would drown
// everything else out).
const ANNOUNCE_EVERY = 10;

/** Seconds left of the countdown, or null while the visitor is active. */
function useIdleCountdown(path) {
  const { idleSeconds, countdownSeconds } = useSignal(kiosk);
  const current = useSignal(session);
  const [left, setLeft] = useState(null);
  const visit = useRef(false);
  // A visit is under way once someone gave input, or when the app opens signed in or
  // away from the start screen (e.g. back from the AusweisApp).
  if (path !== "/" || current.authenticated) visit.current = true;
  useEffect(() => {
    let idleTimer;
    let tick;
    const startCountdown = () => {
      let remaining = countdownSeconds;
      setLeft(remaining);
      tick = setInterval(() => {
        remaining -= 1;
        if (remaining <= 0) {
          clearInterval(tick);
          endVisit();
        } else {
          setLeft(remaining);
        }
      }, 1000);
    };
    const restart = () => {
      clearTimeout(idleTimer);
      clearInterval(tick);
      setLeft(null);
      if (visit.current) idleTimer = setTimeout(startCountdown, idleSeconds * 1000);
    };
    const onInput = () => {
      visit.current = true;
      restart();
    };
    restart();
    for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { capture: true, passive: true });
    return () => {
      clearTimeout(idleTimer);
      clearInterval(tick);
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true });
    };
  }, [idleSeconds, countdownSeconds, visit.current]);
  return left;
}

function Countdown({ left }) {
  const [spoken, setSpoken] = useState(left);
  useEffect(() => {
    if (left % ANNOUNCE_EVERY === 0 && left !== spoken) setSpoken(left);
  }, [left]);
  return (
    <div class="kiosk-countdown" data-kiosk-countdown>
      <p class="kern-heading-small" role="alert">
        {t("kiosk.countdown_title")}
      </p>
      <p class="kern-body" aria-hidden="true">
        {t("kiosk.countdown_visible", { seconds: left })}
      </p>
      <p class="visually-hidden" aria-live="polite" aria-atomic="true">
        {t("kiosk.countdown_spoken", { seconds: spoken })}
      </p>
      <p class="kern-body">{t("kiosk.countdown_continue")}</p>
      <div class="kern-btn-wrapper">
        {/* Pressing it is input, which already cancels the countdown. */}
        <button type="button" class="kern-btn kern-btn--primary">
          <span class="kern-label">{t("kiosk.continue")}</span>
        </button>
      </div>
    </div>
  );
}

export function KioskBar() {
  const { path } = useLocation();
  const left = useIdleCountdown(path);
  useEffect(() => {
    // The browser's own back and forward keys would leave the visit's history.
    const onKey = (event) => {
      if ((event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) || event.key === "BrowserBack") {
        event.preventDefault();
      }
    };
    window.addEventListener("keydown", onKey, { capture: true });
    return () => window.removeEventListener("keydown", onKey, { capture: true });
  }, []);
  // The visit's first page has nothing of this visit behind it (lib/kiosk.js marks it).
  const back = () => (history.state?.kioskStart ? navigate("/") : history.back());
  return (
    <>
      {left !== null && <Countdown left={left} />}
      <nav class="kiosk-bar" aria-label={t("kiosk.bar_label")}>
        <div class="kern-container kiosk-bar__inner">
          {path !== "/" && (
            <button type="button" class="kern-btn kern-btn--secondary" onClick={back}>
              <span class="kern-label">{t("kiosk.back")}</span>
            </button>
          )}
          {path !== "/" && (
            <button type="button" class="kern-btn kern-btn--secondary" onClick={() => navigate("/")}>
              <span class="kern-label">{t("kiosk.home")}</span>
            </button>
          )}
          <button type="button" class="kern-btn kern-btn--primary kiosk-bar__end" onClick={endVisit} data-kiosk-end>
            <span class="kern-label">{t("kiosk.end_session")}</span>
          </button>
        </div>
      </nav>
    </>
  );
}
