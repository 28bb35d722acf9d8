// The guided first visit: three steps pointing at the navigation links to the services,
// "Meine Anträge" and "Postfach". A modal dialog (native <dialog>: the rest of the page
// is inert while it is open); focus moves into it, Tab stays in it, Escape skips it and
// focus returns to where it was. Each step names its link in the text, so nobody
// depends on the highlight (a ring around the link that dims the rest of the screen).
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { useHyphenate } from "../lib/hyphenate.js";
import { t } from "../lib/i18n.js";
import { finishTour, saveStep, savedStep } from "../lib/tour.js";

// Which link each step points at, the key of that link's label in the navigation (so
// a renamed link renames the step) and the step's text.
export const TOUR_STEPS = [
  { href: "/", label: "nav.services", text: "tour.services_text" },
  { href: "/antraege", label: "nav.applications", text: "tour.applications_text" },
  { href: "/postfach", label: "nav.inbox", text: "tour.inbox_text" },
];

const FOCUSABLE = "button:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

function targetOf(step) {
  return document.querySelector(`#site-nav a[href="${step.href}"]`);
}

/** ``openMenu(open)``: unfolds the navigation where it is folded behind "Menü". */
export function FirstVisitTour({ openMenu, replay }) {
  const dialog = useRef(null);
  // Long German words break at a hyphen in the narrow panel (a phone at 200 % zoom).
  const hyphenate = useHyphenate();
  const next = useRef(null);
  const returnTo = useRef(null);
  const [index, setIndex] = useState(() => (replay ? 0 : savedStep(TOUR_STEPS.length)));
  const [ring, setRing] = useState(null);
  const step = TOUR_STEPS[index];
  const last = index === TOUR_STEPS.length - 1;

  useLayoutEffect(() => {
    returnTo.current = document.activeElement;
    openMenu(true);
    if (!dialog.current.open) dialog.current.showModal?.();
    return () => {
      if (dialog.current?.open) dialog.current.close();
    };
  }, []);

  // Point at the step's link: mark it, bring it into view, draw the ring around it.
  useLayoutEffect(() => {
    saveStep(index);
    const target = targetOf(step);
    if (!target) {
      setRing(null);
      return undefined;
    }
    target.setAttribute("data-tour-target", "");
    target.scrollIntoView({ block: "nearest" });
    const measure = () => {
      const box = target.getBoundingClientRect();
      setRing(box.width ? { top: box.top, left: box.left, width: box.width, height: box.height, low: box.bottom > window.innerHeight / 2 } : null);
    };
    measure();
    window.addEventListener("resize", measure);
    window.addEventListener("scroll", measure, true);
    next.current?.focus();
    return () => {
      target.removeAttribute("data-tour-target");
      window.removeEventListener("resize", measure);
      window.removeEventListener("scroll", measure, true);
    };
  }, [index]);

  const close = (outcome) => {
    dialog.current?.close();
    openMenu(false);
    const back = returnTo.current;
    finishTour(outcome);
    // Where focus was (a page left meanwhile: its heading, where a new page starts).
    if (back && back !== document.body && back.isConnected) back.focus();
    else document.querySelector("main h1")?.focus();
  };

  const onKeyDown = (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close("skipped");
      return;
    }
    if (event.key !== "Tab") return;
    // Keep Tab inside the dialog, in both directions.
    const items = [...dialog.current.querySelectorAll(FOCUSABLE)];
    if (!items.length) return;
    const first = items[0];
    const end = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      end.focus();
    } else if (!event.shiftKey && document.activeElement === end) {
      event.preventDefault();
      first.focus();
    }
  };

  const label = t(step.label);
  return (
    <dialog
      ref={dialog}
      class="tour"
      role="dialog"
      aria-modal="true"
      aria-labelledby="tour-title"
      aria-describedby="tour-text"
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        close("skipped");
      }}
    >
      {ring && (
        <div
          class="tour__ring"
          aria-hidden="true"
          style={{ top: `${ring.top - 6}px`, left: `${ring.left - 6}px`, width: `${ring.width + 12}px`, height: `${ring.height + 12}px` }}
        />
      )}
      <div class={ring?.low ? "tour__panel tour__panel--top" : "tour__panel"}>
        <h2 class="kern-heading-medium" id="tour-title">
          {hyphenate(t("tour.title"))}
        </h2>
        <div id="tour-text" class="kern-stack" aria-live="polite">
          <p class="kern-body kern-body--small tour__progress">{t("tour.progress", { step: index + 1, count: TOUR_STEPS.length })}</p>
          <h3 class="kern-heading-small">{hyphenate(label)}</h3>
          <p class="kern-body">{hyphenate(t(step.text, { link: label }))}</p>
        </div>
        <div class="kern-btn-wrapper tour__buttons">
          <button ref={next} type="button" class="kern-btn kern-btn--primary" onClick={() => (last ? close("finished") : setIndex(index + 1))}>
            <span class="kern-label">{last ? t("tour.done") : t("tour.next")}</span>
          </button>
          {index > 0 && (
            <button type="button" class="kern-btn kern-btn--secondary" onClick={() => setIndex(index - 1)}>
              <span class="kern-label">{t("tour.back")}</span>
            </button>
          )}
          {!last && (
            <button type="button" class="kern-btn kern-btn--tertiary" onClick={() => close("skipped")}>
              <span class="kern-label">{t("tour.skip")}</span>
            </button>
          )}
        </div>
      </div>
    </dialog>
  );
}
