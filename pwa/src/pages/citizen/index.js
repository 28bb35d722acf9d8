// The citizen's personal screens: applications, inbox.
export { ApplicationsPage } from "./applications.jsx";
export { ApplicationDetailPage } from "./application-detail.jsx";
export { InboxPage, InboxMessagePage } from "./inbox.jsx";
export { InboxThreadPage } from "./inbox-thread.jsx";
