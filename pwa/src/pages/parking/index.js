// The citizen's parking wallet: permits, the pass as a QR code, print@home PDF,
// changing plates, renewing and giving a permit back.
import { addCatalogues } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";
import "./parking.css";

addCatalogues({ de, en });

export { WalletPage } from "./wallet.jsx";
export { PermitPage } from "./permit.jsx";
export { PlateChangePage } from "./plates.jsx";
export { CancelPermitPage } from "./cancel.jsx";
