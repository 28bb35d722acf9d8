// Asks the service worker to keep the files of the signed-in user's role on this device
// (service_worker/role-assets.js): the officers' scanner with its QR reader, so it
// starts offline in the street; the clerks' screens; the console. Citizens ask for nothing, so their
// devices never download these files.
import { isStaff } from "../components/require-staff.jsx";
import { ROLE_ASSETS_MESSAGE } from "./cache-names.js";
import { isOfficer } from "./passes/wallet-flag.js";
import { whenControlled } from "./sw-register.js";

// An older worker that does not know the message never answers.
const ANSWER_WITHIN_MS = 60_000;
const asked = new Map();

/** The groups of role-only files ``user`` needs. */
export function roleGroups(user) {
  return [isOfficer(user) && "officer", isStaff(user) && "staff", (user?.role === "admin" || user?.role === "statistics") && "admin"].filter(Boolean);
}

function ask(groups) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), ANSWER_WITHIN_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(Boolean(event.data?.ok));
    };
    navigator.serviceWorker.ready.then(
      (registration) => registration.active.postMessage({ type: ROLE_ASSETS_MESSAGE, groups }, [channel.port2]),
      () => resolve(false),
    );
  });
}

/**
 * Resolves true once the files ``user``'s role needs are cached on this device (at once
 * for a citizen: nothing to cache). Asked once per page load and group set.
 */
export async function cacheRoleAssets(user) {
  const groups = roleGroups(user);
  if (!groups.length) return true;
  if (!(await whenControlled())) return false;
  const key = groups.join(",");
  if (!asked.has(key)) {
    const answer = ask(groups).then((ok) => {
      // Failed (offline, say): the next call asks again.
      if (!ok) asked.delete(key);
      return ok;
    });
    asked.set(key, answer);
  }
  return asked.get(key);
}
