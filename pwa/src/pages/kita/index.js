// The day-care screens, loaded on first use.
export { KitaFacilitiesPage } from "./facilities.jsx";
export { KitaOffersPage } from "./offers.jsx";
export { KitaConfirmPage } from "./confirm.jsx";
export { KitaAllocationPage, KitaDemandPage } from "./allocation.jsx";
export { ConsoleKitaPage } from "./console.jsx";
