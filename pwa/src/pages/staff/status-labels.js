// Status labels for clerks' lists, from the services' workflow tables (the queue API
// sends only status ids).
import { loadCatalogue, loadDefinition } from "../../lib/catalogue.js";
import { pick, t } from "../../lib/i18n.js";

export async function loadServices() {
  const { data } = await loadCatalogue();
  const definitions = await Promise.all(data.map((service) => loadDefinition(service.id).catch(() => null)));
  return data.map((service, index) => ({ ...service, definition: definitions[index] }));
}

export function statusLabel(services, serviceId, status) {
  if (status === "awaiting_payment" || status === "draft") return t(`status.${status}`);
  const service = services?.find((s) => s.id === serviceId);
  const found = service?.definition?.workflow?.statuses?.find((s) => s.id === status);
  return found ? pick(found.label) : status;
}

/** Every status the services know, for the filter. */
export function allStatuses(services) {
  const seen = new Map([["awaiting_payment", t("status.awaiting_payment")]]);
  for (const service of services || []) {
    for (const status of service.definition?.workflow?.statuses || []) if (!seen.has(status.id)) seen.set(status.id, pick(status.label));
  }
  return [...seen.entries()];
}
