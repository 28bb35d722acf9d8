// What every way of signing in (e-mail code, passkey, online ID card, BundID) does once
// the portal has answered: start clean, adopt the drafts typed before, then go on.
import { forgetPersonalData, loadSession, setSession } from "./api.js";
import { prepareOffline } from "./catalogue.js";
import { claimAnonymousDrafts, syncAll } from "./drafts.js";
import { navigate } from "./router.jsx";

/**
 * Signed in as ``result`` says: nothing cached of a previous person stays, drafts typed
 * before signing in belong to this account, and the app goes to ``target``. ``reload``:
 * read the session again (where the sign-in answered before the account was complete).
 */
export async function signedIn(result, target, { reload = false } = {}) {
  await forgetPersonalData();
  setSession(result);
  if (reload) await loadSession().catch(() => {});
  await claimAnonymousDrafts();
  syncAll();
  prepareOffline();
  navigate(target);
}
