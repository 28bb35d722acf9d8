// The BundID screens, loaded on first use.
import "./catalogue.js";

export { BundidSignInPage, BundidReviewPage } from "./bundid-pages.jsx";
