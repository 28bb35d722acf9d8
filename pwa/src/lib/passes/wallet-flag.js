// Whether the signed-in citizen holds parking permits (the "Parkausweis" link in the
// navigation) and whether the user checks passes (officers, admins). Small on purpose:
// it is part of the first download. Fetching the permits here also leaves a copy in
// the service worker's cache, so the wallet opens offline.
import { api } from "../api.js";
import { signal } from "../signal.js";

export const hasPermits = signal(false);
export const isOfficer = (user) => Boolean(user) && (user.role === "officer" || user.role === "admin");

const flagKey = (user) => `parking-wallet:${user.id}`;

/** Note what the wallet just loaded (called by the wallet screens too). */
export function notePermits(user, permits) {
  if (!user) return;
  const has = Array.isArray(permits) && permits.length > 0;
  try {
    if (has) localStorage.setItem(flagKey(user), "1");
    else localStorage.removeItem(flagKey(user));
  } catch {
    // Private mode without storage: the link simply follows the last answer.
  }
  hasPermits.set(has);
}

export async function refreshPermits(user) {
  if (!user) {
    hasPermits.set(false);
    return;
  }
  try {
    hasPermits.set(localStorage.getItem(flagKey(user)) === "1");
  } catch {
    hasPermits.set(false);
  }
  const permits = await api("GET", "/api/parking/permits").catch(() => null);
  if (permits) notePermits(user, permits);
}
