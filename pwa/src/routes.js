// Which screen answers which address. German paths, as citizens see and share them.
import { lazyPage } from "./components/lazy.jsx";
import { HomePage } from "./pages/home.jsx";
import { SignInPage } from "./pages/sign-in.jsx";

const forms = () => import("./pages/form/index.js");
const citizen = () => import("./pages/citizen/index.js");
const info = () => import("./pages/info/index.js");
const staff = () => import("./pages/staff/index.js");
const account = () => import("./pages/account.jsx");
const parking = () => import("./pages/parking/index.js");
const officer = () => import("./pages/officer/index.js");
const eid = () => import("./pages/eid/index.js");
const bundid = () => import("./pages/bundid/index.js");
const payments = () => import("./pages/payments/index.js");
const consolePages = () => import("./pages/console/index.js");
const builder = () => import("./pages/console/builder/editor-page.jsx");
const surveys = () => import("./pages/surveys/index.js");
const wohngeld = () => import("./pages/wohngeld/index.js");
const kita = () => import("./pages/kita/index.js");
const appointments = () => import("./pages/appointments/index.js");
const reports = () => import("./pages/reports/index.js");
const easyRead = () => import("./pages/leichte-sprache/index.js");
const guides = () => import("./pages/guide/index.js");

export const ROUTES = [
  ["/", HomePage],
  ["/anmelden", SignInPage],
  ["/anmelden/ausweis", lazyPage(eid, "EidSignInPage")],
  ["/konto/ausweis", lazyPage(eid, "EidConfirmPage")],
  ["/konto/ausweis-daten", lazyPage(eid, "EidReviewPage")],
  ["/anmelden/bundid", lazyPage(bundid, "BundidSignInPage")],
  ["/konto/bundid-daten", lazyPage(bundid, "BundidReviewPage")],
  ["/zahlungen", lazyPage(payments, "NoticesPage")],
  ["/zahlungen/:noticeId", lazyPage(payments, "NoticePage")],
  ["/zahlungen/:noticeId/bezahlen", lazyPage(payments, "NoticePayPage")],
  ["/antraege/:applicationId/bezahlen", lazyPage(payments, "ApplicationPayPage")],
  ["/konto", lazyPage(account, "AccountPage")],
  ["/leistungen/:serviceId", lazyPage(forms, "ServicePage")],
  ["/leistungen/:serviceId/anleitung", lazyPage(guides, "GuidePage")],
  ["/antrag/:localId/pruefen", lazyPage(forms, "FormCheckPage")],
  ["/antrag/:localId/gesendet", lazyPage(forms, "FormSentPage")],
  ["/antrag/:localId/abgleich", lazyPage(forms, "FormConflictPage")],
  ["/antrag/:localId/:pageKey", lazyPage(forms, "FormStepPage")],
  ["/antraege", lazyPage(citizen, "ApplicationsPage")],
  ["/antraege/:applicationId", lazyPage(citizen, "ApplicationDetailPage")],
  ["/postfach", lazyPage(citizen, "InboxPage")],
  ["/postfach/:messageId", lazyPage(citizen, "InboxMessagePage")],
  ["/postfach/verlauf/:threadKey", lazyPage(citizen, "InboxThreadPage")],
  ["/umfragen/:surveyId", lazyPage(surveys, "SurveyPage")],
  ["/umfragen/:surveyId/danke", lazyPage(surveys, "SurveyThanksPage")],
  ["/hilfe", lazyPage(info, "HelpPage")],
  ["/hilfe/:topic", lazyPage(info, "HelpTopicPage")],
  ["/datenschutz", lazyPage(info, "PrivacyPage")],
  ["/impressum", lazyPage(info, "ImprintPage")],
  ["/barrierefreiheit", lazyPage(info, "AccessibilityPage")],
  ["/leichte-sprache", lazyPage(easyRead, "EasyReadOverviewPage")],
  ["/leichte-sprache/:serviceId", lazyPage(easyRead, "EasyReadServicePage")],
  ["/sachbearbeitung", lazyPage(staff, "StaffQueuePage")],
  ["/sachbearbeitung/:reference", lazyPage(staff, "StaffDetailPage")],
  ["/parkausweis", lazyPage(parking, "WalletPage")],
  ["/parkausweis/:permitId", lazyPage(parking, "PermitPage")],
  ["/parkausweis/:permitId/kennzeichen", lazyPage(parking, "PlateChangePage")],
  ["/parkausweis/:permitId/rueckgabe", lazyPage(parking, "CancelPermitPage")],
  ["/kontrolle", lazyPage(officer, "ScannerPage")],
  ["/kontrolle/kennzeichen", lazyPage(officer, "PlateLookupPage")],
  ["/verwaltung", lazyPage(consolePages, "ConsoleStartPage")],
  ["/verwaltung/dienste", lazyPage(consolePages, "ConsoleServicesPage")],
  ["/verwaltung/dienste/neu", lazyPage(consolePages, "ConsoleServiceNewPage")],
  ["/verwaltung/dienste/:serviceId", lazyPage(consolePages, "ConsoleServicePage")],
  ["/verwaltung/dienste/:serviceId/v/:version/bearbeiten", lazyPage(builder, "ConsoleServiceEditorPage")],
  ["/verwaltung/benutzer", lazyPage(consolePages, "ConsoleUsersPage")],
  ["/verwaltung/terminals", lazyPage(consolePages, "ConsoleTerminalsPage")],
  ["/verwaltung/benutzer/einladen", lazyPage(consolePages, "ConsoleInvitePage")],
  ["/verwaltung/benutzer/:userId", lazyPage(consolePages, "ConsoleUserPage")],
  ["/verwaltung/rueckmeldungen", lazyPage(consolePages, "ConsoleFeedbackPage")],
  ["/verwaltung/rueckmeldungen/:feedbackId", lazyPage(consolePages, "ConsoleFeedbackDetailPage")],
  ["/verwaltung/mitteilungen", lazyPage(consolePages, "ConsoleBroadcastsPage")],
  ["/verwaltung/uebergaben", lazyPage(consolePages, "ConsoleHandoffsPage")],
  ["/verwaltung/aufbewahrung", lazyPage(consolePages, "ConsoleRetentionPage")],
  ["/verwaltung/protokoll", lazyPage(consolePages, "ConsoleAuditPage")],
  ["/verwaltung/parkzonen", lazyPage(consolePages, "ConsoleParkingPage")],
  ["/verwaltung/strassen", lazyPage(consolePages, "ConsoleStreetsPage")],
  ["/verwaltung/parkausweise", lazyPage(consolePages, "ConsolePermitsPage")],
  ["/verwaltung/kasse", lazyPage(consolePages, "ConsoleTreasuryPage")],
  ["/verwaltung/umfragen", lazyPage(consolePages, "ConsoleSurveysPage")],
  ["/verwaltung/umfragen/neu", lazyPage(consolePages, "ConsoleSurveyNewPage")],
  ["/verwaltung/umfragen/:surveyId", lazyPage(consolePages, "ConsoleSurveyResultsPage")],
  ["/verwaltung/statistik", lazyPage(consolePages, "ConsoleStatisticsPage")],
  ["/verwaltung/flyer", lazyPage(consolePages, "ConsoleFlyersPage")],
  ["/wohngeld/schaetzen", lazyPage(wohngeld, "EstimatePage")],
  ["/kitas", lazyPage(kita, "KitaFacilitiesPage")],
  ["/kita/angebote", lazyPage(kita, "KitaOffersPage")],
  ["/kita/bestaetigen", lazyPage(kita, "KitaConfirmPage")],
  ["/kita/vergabe", lazyPage(kita, "KitaAllocationPage")],
  ["/kita/vergabe/:facilityId", lazyPage(kita, "KitaDemandPage")],
  ["/verwaltung/kitas", lazyPage(kita, "ConsoleKitaPage")],
  ["/termine", lazyPage(appointments, "AppointmentBookPage")],
  ["/termin/:token", lazyPage(appointments, "AppointmentManagePage")],
  ["/buergerbuero", lazyPage(appointments, "AppointmentStaffPage")],
  ["/verwaltung/termine", lazyPage(appointments, "ConsoleAppointmentsPage")],
  ["/meldungen", lazyPage(reports, "ReportsPublicPage")],
  ["/meldungen/neu", lazyPage(reports, "ReportNewPage")],
  ["/meldungen/meine", lazyPage(reports, "MyReportsPage")],
  ["/meldungen/verfolgen/:token", lazyPage(reports, "ReportTrackPage")],
  ["/meldungen/bearbeitung", lazyPage(reports, "StaffReportsPage")],
  ["/meldungen/bearbeitung/:reportId", lazyPage(reports, "StaffReportPage")],
  ["/verwaltung/meldungen", lazyPage(reports, "ConsoleReportsPage")],
];
