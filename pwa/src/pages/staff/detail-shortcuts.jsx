// Keyboard shortcuts on a case: assign it to me, jump to the status change or the
// note, back to the queue, and "?" for the list.
import { useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { t } from "../../lib/i18n.js";
import { navigate } from "../../lib/router.jsx";
import { ShortcutHelp, useShortcuts } from "./shortcuts.jsx";

export const DETAIL_SHORTCUTS = [
  ["a", "staff_ws.key.assign_me_detail"],
  ["s", "staff_ws.key.status"],
  ["n", "staff_ws.key.note"],
  ["u", "staff_ws.key.back"],
  ["?", "staff_ws.key.help"],
];

function focusFirst(selector) {
  const element = document.querySelector(selector);
  if (!element) return false;
  element.scrollIntoView({ block: "center" });
  element.focus();
  return true;
}

export function DetailShortcuts({ onAssignToMe }) {
  const [help, setHelp] = useState(false);
  useShortcuts({
    a: onAssignToMe,
    s: () => focusFirst("input[name='status-to']"),
    n: () => focusFirst("#note-text"),
    u: () => navigate("/sachbearbeitung"),
    "?": () => setHelp(true),
  });
  return (
    <>
      <div class="kern-btn-wrapper">
        <Button variant="tertiary" onClick={() => setHelp(true)}>{t("staff_ws.shortcuts_open")}</Button>
      </div>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} shortcuts={DETAIL_SHORTCUTS} />
    </>
  );
}
