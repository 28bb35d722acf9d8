import "@kern-ux/native/dist/kern.min.css";
import "virtual:portal-fonts.css";
import "./styles.css";
import { render } from "preact";
import { App } from "./app.jsx";
import { startBackgroundWork } from "./lib/background.js";
import { startKiosk } from "./lib/kiosk.js";
import { languageReady } from "./lib/i18n.js";
import { city } from "./lib/city.js";
import { setMeta } from "./lib/db.js";
import { registerServiceWorker } from "./lib/sw-register.js";
import { takeCampaignTag } from "./lib/campaign.js";
import { online } from "./lib/connectivity.js";

// Before the first render: the terminal's large look and its setup link (lib/kiosk.js).
startKiosk();
// A flyer's ?q=<tag> leaves the address bar before the router reads it (lib/campaign.js).
takeCampaignTag({ online });
registerServiceWorker();
// A reader of a further language gets its texts first (German readers wait for nothing),
// so the page does not flash up in German.
languageReady.then(() => render(<App />, document.getElementById("app")));
startBackgroundWork();
// The service worker names the city in notifications it cannot read.
if (city) setMeta("city", { name: city.name }).catch(() => {});
