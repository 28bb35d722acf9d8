// The console's screens (admins only), loaded on first use.
export { ConsoleStartPage } from "./start.jsx";
export { ConsoleParkingPage } from "./city-parking.jsx";
export { ConsoleStreetsPage } from "./city-streets.jsx";
export { ConsolePermitsPage } from "./city-permits.jsx";
export { ConsoleTreasuryPage } from "./city-treasury.jsx";
