// Housing benefit: the non-binding estimate before applying.
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

export { EstimatePage } from "./estimate.jsx";
