// The console's screens (admins only), loaded on first use.
export { ConsoleStartPage } from "./start.jsx";
export { ConsoleServicesPage } from "./services-list.jsx";
export { ConsoleServicePage } from "./services-detail.jsx";
export { ConsoleServiceNewPage } from "./services-new.jsx";
export { ConsoleUsersPage } from "./people-list.jsx";
export { ConsoleInvitePage } from "./people-invite.jsx";
export { ConsoleUserPage } from "./people-user.jsx";
export { ConsoleFeedbackDetailPage, ConsoleFeedbackPage } from "./feedback.jsx";
export { ConsoleAuditPage } from "./audit.jsx";
export { ConsoleHandoffsPage } from "./handoffs.jsx";
export { ConsoleRetentionPage } from "./retention.jsx";
export { ConsoleBroadcastsPage } from "./broadcasts.jsx";
export { ConsoleParkingPage } from "./city-parking.jsx";
export { ConsoleStreetsPage } from "./city-streets.jsx";
export { ConsolePermitsPage } from "./city-permits.jsx";
export { ConsoleTreasuryPage } from "./city-treasury.jsx";
export { ConsoleSurveyNewPage, ConsoleSurveyResultsPage, ConsoleSurveysPage } from "./surveys.jsx";
export { ConsoleStatisticsPage } from "./statistics/page.jsx";
