// Whether the portal is reachable, as an observable value for banners and sync.
//
// navigator.onLine and its events only say whether there is a network at all; on a
// train the phone often has "network" but no connection. So every API answer also
// counts: a failed request (or a copy the service worker had to serve) means offline,
// a fresh answer means online. While offline a cheap request checks every few seconds
// whether the portal answers again.
import { signal } from "./signal.js";

export const online = signal(typeof navigator === "undefined" ? true : navigator.onLine);
const PROBE_MS = 4000;
let probe = null;

async function check() {
  try {
    const response = await fetch("/api/health/live", { cache: "no-store", credentials: "omit" });
    if (response.ok) reportNetwork(true);
  } catch {
    // Still offline.
  }
}

export function reportNetwork(reachable) {
  if (reachable) {
    clearInterval(probe);
    probe = null;
    if (!online.get()) online.set(true);
    return;
  }
  if (online.get()) online.set(false);
  probe ||= setInterval(check, PROBE_MS);
}

if (typeof window !== "undefined") {
  window.addEventListener("online", check);
  window.addEventListener("offline", () => reportNetwork(false));
  if (!navigator.onLine) reportNetwork(false);
}
