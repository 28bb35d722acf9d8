// The Bürgerbüro's appointment screens, loaded on first use.
export { AppointmentBookPage } from "./book.jsx";
export { AppointmentManagePage } from "./manage.jsx";
export { AppointmentStaffPage } from "./staff.jsx";
export { ConsoleAppointmentsPage } from "./console.jsx";
