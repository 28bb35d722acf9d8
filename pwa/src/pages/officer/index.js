// The enforcement officers' screens: the pass scanner (offline) and the plate look-up.
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";
import "./officer.css";

addCatalogues({ de, en });

export { ScannerPage } from "./scanner.jsx";
export { PlateLookupPage } from "./plate-lookup.jsx";
