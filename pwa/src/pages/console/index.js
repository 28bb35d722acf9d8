// The console's screens (admins only), loaded on first use.
export { ConsoleStartPage } from "./start.jsx";
