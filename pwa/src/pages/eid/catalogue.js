// The texts of the eID screens, with the server's messages for each eID error code
// (one catalogue for both, so the page says what the API says).
import deServer from "../../../../app/locales/de/eid.json";
import enServer from "../../../../app/locales/en/eid.json";
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

const errorsOnly = (catalogue) =>
  Object.fromEntries(Object.entries(catalogue).filter(([key]) => key.startsWith("eid.error.") || key.startsWith("errors.eid_")));

addCatalogues({ de: { ...errorsOnly(deServer), ...de }, en: { ...errorsOnly(enServer), ...en } });
