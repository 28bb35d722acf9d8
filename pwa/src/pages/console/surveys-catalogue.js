// The texts of the console's survey screens and the builder's survey section.
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/surveys.de.json";
import en from "./locales/surveys.en.json";

addCatalogues({ de, en });
