// The console's screens (admins only), loaded on first use.
export { ConsoleStartPage } from "./start.jsx";
export { ConsoleFeedbackDetailPage, ConsoleFeedbackPage } from "./feedback.jsx";
export { ConsoleAuditPage } from "./audit.jsx";
export { ConsoleBroadcastsPage } from "./broadcasts.jsx";
