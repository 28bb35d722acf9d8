import "@kern-ux/native/dist/kern.min.css";
import "virtual:portal-fonts.css";
import "./styles.css";
import { render } from "preact";
import { App } from "./app.jsx";
import { startBackgroundWork } from "./lib/background.js";
import { registerServiceWorker } from "./lib/sw-register.js";

registerServiceWorker();
render(<App />, document.getElementById("app"));
startBackgroundWork();
