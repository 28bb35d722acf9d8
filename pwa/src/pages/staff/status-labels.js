// Status labels for clerks' lists, from the services' workflow tables (the queue API
// sends only status ids). Clerks read their own wording ("Neu eingegangen", "Wartet
// auf Zahlung"), the citizen's label where a workflow has none for them.
import { addCatalogues, pick, t } from "../../lib/i18n.js";
import { loadCatalogue, loadDefinition } from "../../lib/catalogue.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

// The engine's own statuses, before a workflow starts.
const ENGINE = ["draft", "awaiting_payment"];

export async function loadServices() {
  const { data } = await loadCatalogue();
  const definitions = await Promise.all(data.map((service) => loadDefinition(service.id).catch(() => null)));
  return data.map((service, index) => ({ ...service, definition: definitions[index] }));
}

/** A workflow status's label for clerks. */
export function staffLabel(status) {
  return pick(status.staff_label || status.label);
}

export function statusLabel(services, serviceId, status) {
  if (ENGINE.includes(status)) return t(`staff_status.${status}`);
  const service = services?.find((s) => s.id === serviceId);
  const found = service?.definition?.workflow?.statuses?.find((s) => s.id === status);
  return found ? staffLabel(found) : status;
}

/** Every status the services know, for the filter. */
export function allStatuses(services) {
  const seen = new Map([["awaiting_payment", t("staff_status.awaiting_payment")]]);
  for (const service of services || []) {
    for (const status of service.definition?.workflow?.statuses || []) if (!seen.has(status.id)) seen.set(status.id, staffLabel(status));
  }
  return [...seen.entries()];
}
