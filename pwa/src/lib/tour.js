// The guided first visit: whether the tour shows now, which step it is at, and telling
// the account it is done. The account keeps it (GET /api/account's tour_due, also in
// the session), so it shows once per account, not once per device. A reload in the
// middle shows it again at the step it was at (kept for this tab only). Where the
// portal cannot be told right away (offline), this device remembers it and tells the
// portal at the next start.
import { api, session } from "./api.js";
import { isKiosk } from "./kiosk.js";
import { signal } from "./signal.js";

const STEP_KEY = "tour-step";
const DONE_KEY = "tour-done";
// The tour waits for a calm page: not in the middle of a form, a payment or a sign-in
// the citizen came to do (they see it at the next visit of these pages).
const CALM_PATHS = ["/", "/konto", "/antraege", "/postfach"];

/** Shown again on request (the account page's "Einführung noch einmal ansehen"). */
export const tourReplay = signal(false);

function stored(storage, key) {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function store(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // Private mode without storage: the tour still works, it just starts over.
  }
}

/** What this device remembers: account id -> "finished" or "skipped". */
function doneHere() {
  try {
    return JSON.parse(stored(localStorage, DONE_KEY) || "{}") || {};
  } catch {
    return {};
  }
}

/** Whether the tour is to be shown on ``path`` for the current session. */
export function tourWanted(current, path, replay) {
  if (!current.authenticated || current.user?.role !== "citizen" || isKiosk()) return false;
  if (replay) return true;
  if (!current.user.tour_due || doneHere()[current.user.id]) return false;
  return CALM_PATHS.includes(path);
}

/** The step a reload in the middle left the tour at (0 when none). */
export function savedStep(count) {
  const step = Number(stored(sessionStorage, STEP_KEY));
  return Number.isInteger(step) && step > 0 && step < count ? step : 0;
}

export function saveStep(step) {
  store(sessionStorage, STEP_KEY, String(step));
}

/** Tell the account the tour ended (``finished`` or ``skipped``); never shown again. */
export async function finishTour(outcome) {
  tourReplay.set(false);
  store(sessionStorage, STEP_KEY, null);
  const current = session.get();
  if (!current.user) return;
  const here = doneHere();
  if (!here[current.user.id]) store(localStorage, DONE_KEY, JSON.stringify({ ...here, [current.user.id]: outcome }));
  session.set({ ...current, user: { ...current.user, tour_due: false } });
  await sendDone(outcome);
}

async function sendDone(outcome) {
  try {
    await api("PUT", "/api/account/tour", { outcome });
  } catch {
    // Offline: remembered on this device (see above) and sent at the next start.
  }
}

/** At start: a tour this device finished while offline is told to the portal now. */
export function sendPendingTour(current) {
  const outcome = current.authenticated && current.user?.tour_due && !current.offline && doneHere()[current.user.id];
  if (outcome) sendDone(outcome);
}
