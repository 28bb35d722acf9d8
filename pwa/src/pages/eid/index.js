// The eID (Online-Ausweis) screens, loaded on first use.
import "./catalogue.js";

export { EidSignInPage, EidConfirmPage } from "./eid-pages.jsx";
export { EidReviewPage } from "./review.jsx";
