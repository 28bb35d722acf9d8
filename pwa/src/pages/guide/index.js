// The guide of every service, generated from its definition (docs/guides.md).
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

export { GuidePage } from "./guide.jsx";
