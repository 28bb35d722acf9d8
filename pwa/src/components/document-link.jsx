// A document of the citizen's (notice, certificate, permit, receipt): a download at
// home, a print button at the Bürgerbüro terminal, where nothing may be left on the
// device for the next visitor.
import { useState } from "preact/hooks";
import { t } from "../lib/i18n.js";
import { isKiosk } from "../lib/kiosk.js";
import { printDocument } from "../lib/print.js";

/**
 * ``href`` the document, ``name`` how a person calls it (for the print button), the
 * children the download link's text; ``download`` the file name to save it as, if any.
 */
export function DocumentLink({ href, name, download = true, class: className = "kern-link", children }) {
  if (!isKiosk()) {
    return (
      <a class={className} href={href} download={download}>
        {children}
      </a>
    );
  }
  return <PrintButton href={href} name={name} />;
}

function PrintButton({ href, name }) {
  const [state, setState] = useState("idle");
  const print = async () => {
    setState("busy");
    try {
      await printDocument(href, t("kiosk.print_frame", { name }));
      setState("done");
    } catch {
      setState("failed");
    }
  };
  return (
    <span class="kiosk-print">
      <button type="button" class="kern-btn kern-btn--secondary" onClick={print} disabled={state === "busy"} data-kiosk-print>
        <span class="kern-label">{t("kiosk.print", { name })}</span>
      </button>
      <span class="kern-body" role="status">
        {state === "done" && t("kiosk.printed", { name })}
        {state === "failed" && t("kiosk.print_failed", { name })}
      </span>
    </span>
  );
}
