// Background Sync: send queued submissions while the app may be closed. Throwing tells
// the browser the network is still missing, so it tries again later.
import { getMeta } from "../pwa/src/lib/db.js";
import { request } from "../pwa/src/lib/http.js";
import { sendOutbox } from "../pwa/src/lib/report-outbox.js";
import { syncEverything } from "../pwa/src/lib/sync.js";

export async function sendQueued() {
  const session = await request("GET", "/api/auth/session");
  if (session.status === 0) throw new Error("offline");
  if (!session.ok || !session.data?.authenticated) return;
  const locale = (await getMeta("locale")) || "de";
  const ctx = { userId: session.data.user.id, csrf: session.data.csrf_token, locale };
  const { pending } = await syncEverything(ctx);
  if (pending) throw new Error("still offline");
}

// Defect reports from the outbox: anonymous ones go without a session; a signed-in
// citizen's with the session's CSRF token.
export async function sendReportOutbox() {
  const session = await request("GET", "/api/auth/session");
  if (session.status === 0) throw new Error("offline");
  const data = session.ok ? session.data : null;
  const locale = (await getMeta("locale")) || "de";
  const ctx = data?.authenticated
    ? { userId: data.user.id, csrf: data.csrf_token, locale }
    : { userId: null, csrf: null, locale };
  const { pending } = await sendOutbox(ctx);
  if (pending) throw new Error("still offline");
}
