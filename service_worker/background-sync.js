// Background Sync: send queued submissions while the app may be closed. Throwing tells
// the browser the network is still missing, so it tries again later.
import { getMeta } from "../pwa/src/lib/db.js";
import { request } from "../pwa/src/lib/http.js";
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
