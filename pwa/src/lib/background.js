// Work the app does by itself: refresh the session, sync drafts and send the queue
// when it starts, when the network returns and when it comes back to the foreground
// (the fallback where Background Sync is missing, e.g. on iPhones).
import { loadSession, session } from "./api.js";
import { prepareOffline } from "./catalogue.js";
import { online } from "./connectivity.js";
import { claimAnonymousDrafts, syncAll } from "./drafts.js";
import { setMeta } from "./db.js";
import { locale } from "./i18n.js";
import { sendPendingSatisfaction } from "./surveys.js";
import { startStepViews } from "./step-views.js";
import { sendCampaignEntries } from "./campaign.js";
import { refreshUnread } from "./unread.js";

async function refresh() {
  await loadSession().catch(() => session.set({ ...session.get(), loaded: true }));
  // A flyer's landing report that waited for the network.
  sendCampaignEntries();
  if (!session.get().authenticated) return;
  await claimAnonymousDrafts();
  await syncAll();
  // Satisfaction answers given offline go out once the portal answers again.
  sendPendingSatisfaction().catch(() => {});
  refreshUnread();
}

export function startBackgroundWork() {
  refresh().finally(prepareOffline);
  // Back online (the event, or the portal answering again): sync and send the queue.
  online.subscribe((isOnline) => isOnline && refresh());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
  // Anonymous step views for the statistics go out in batches (lib/step-views.js).
  startStepViews({ csrf: () => session.get().csrf_token, online });
  locale.subscribe((value) => setMeta("locale", value).catch(() => {}));
  // A queue waiting for a flaky network: try again every minute while the app is open.
  setInterval(() => {
    if (navigator.onLine && session.get().authenticated) syncAll();
  }, 60_000);
}
