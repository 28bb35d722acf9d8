// The texts of the BundID screens, with the server's messages for each BundID error
// code (one catalogue for both, so the page says what the API says).
import deServer from "../../../../app/locales/de/bundid.json";
import enServer from "../../../../app/locales/en/bundid.json";
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

const errorsOnly = (catalogue) =>
  Object.fromEntries(Object.entries(catalogue).filter(([key]) => key.startsWith("bundid.error.") || key.startsWith("errors.bundid_")));

addCatalogues({ de: { ...errorsOnly(deServer), ...de }, en: { ...errorsOnly(enServer), ...en } });
