// The form screens, loaded together on first use with the validation messages the
// server uses (one catalogue for both, so device and server say the same thing).
import deValidation from "../../../../app/locales/de/validation.json";
import enValidation from "../../../../app/locales/en/validation.json";
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de: { ...deValidation, ...de }, en: { ...enValidation, ...en } });

export { ServicePage } from "./service.jsx";
export { FormStepPage } from "./form-step.jsx";
export { FormCheckPage } from "./form-check.jsx";
export { FormSentPage } from "./form-sent.jsx";
export { FormConflictPage } from "./form-conflict.jsx";
