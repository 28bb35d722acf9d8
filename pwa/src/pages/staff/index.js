// The clerks' screens.
export { StaffQueuePage } from "./queue.jsx";
export { StaffDetailPage } from "./detail.jsx";
