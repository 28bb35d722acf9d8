// The payment screens (open notices, paying a notice, an instalment or an application's
// fee), loaded on first use.
import "./catalogue.js";

export { NoticesPage, NoticePage, NoticePayPage } from "./notices.jsx";
export { ApplicationPayPage } from "./application-pay.jsx";
