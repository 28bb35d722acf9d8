// The citizens' survey screens, loaded on first use.
export { SurveyPage, SurveyThanksPage } from "./survey.jsx";
