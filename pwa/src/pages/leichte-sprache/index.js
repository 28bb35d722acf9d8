// Leichte Sprache: the portal's journeys and every service in easy-to-read German.
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

export { EasyReadOverviewPage, EasyReadServicePage } from "./pages.jsx";
