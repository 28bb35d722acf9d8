// The service catalogue and definitions. The service worker keeps copies, so after one
// visit with network the catalogue and every form open offline as well.
import { apiGet, loadSession, session } from "./api.js";
import { cacheRoleAssets } from "./role-assets.js";
import { signal } from "./signal.js";
import { whenControlled } from "./sw-register.js";

export const offlineReady = signal(false);

export async function loadCatalogue() {
  return apiGet("/api/services");
}

export async function loadDefinition(serviceId, version) {
  const path = version
    ? `/api/services/${encodeURIComponent(serviceId)}/versions/${version}`
    : `/api/services/${encodeURIComponent(serviceId)}`;
  return (await apiGet(path)).data;
}

/**
 * Fetch the catalogue, every definition and the citizen's own overview through the
 * service worker once, so the next time without network all of it is there.
 */
export async function prepareOffline() {
  if (!(await whenControlled())) return;
  try {
    await loadSession();
    const { data } = await loadCatalogue();
    await Promise.all(data.map((service) => loadDefinition(service.id)));
    // The payment methods, which the guide "So bezahlen Sie" shows (pages/info/guides.jsx).
    await apiGet("/api/payments/providers").catch(() => null);
    if (session.get().authenticated) {
      await Promise.all(["/api/account/profile", "/api/applications", "/api/inbox", "/api/inbox/threads"].map((path) => apiGet(path).catch(() => null)));
      // An officer's scanner must start offline too.
      if (!(await cacheRoleAssets(session.get().user))) return;
    }
    offlineReady.set(true);
  } catch {
    // Offline right now: the copies from the last visit are still there.
  }
}
