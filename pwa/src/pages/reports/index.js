// The defect report screens, loaded on first use (the map's code only with a map).
export { ReportsPublicPage } from "./public.jsx";
export { ReportNewPage } from "./new.jsx";
export { MyReportsPage } from "./mine.jsx";
export { ReportTrackPage } from "./track.jsx";
export { StaffReportPage, StaffReportsPage } from "./staff.jsx";
export { ConsoleReportsPage } from "./console.jsx";
