// The texts of the survey screens, the banner and the satisfaction question.
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });
