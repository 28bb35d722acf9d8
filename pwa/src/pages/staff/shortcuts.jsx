// Keyboard shortcuts of the clerks' workspace: single keys without modifiers, never
// while the clerk types in a field, and a help dialog ("?") that lists them.
import { useEffect, useRef } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { addCatalogues, t } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

const TEXT_INPUTS = new Set(["text", "search", "email", "number", "tel", "url", "password", "date", "datetime-local", "month", "time", "week"]);

/** Whether a key press on ``target`` is someone typing (then shortcuts stay quiet). */
export function isTyping(target) {
  if (!target || typeof target.closest !== "function") return false;
  if (target.isContentEditable) return true;
  if (target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
  return target.tagName === "INPUT" && TEXT_INPUTS.has((target.type || "text").toLowerCase());
}

/**
 * Runs ``handlers[key]`` for a key pressed outside text fields and dialogs, without
 * Ctrl, Alt or Meta. Enter on a link or button keeps its own meaning. A handler that
 * returns ``false`` leaves the key to the browser.
 */
export function useShortcuts(handlers) {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
      if (event.key === "Enter" && event.target.closest?.("a, button, input, summary")) return;
      const handler = current.current[event.key];
      if (handler && handler(event) !== false) event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

/** The list of shortcuts in a modal dialog; ``shortcuts`` is ``[[key, textKey], …]``. */
export function ShortcutHelp({ open, onClose, shortcuts }) {
  const dialog = useRef(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} class="kern-dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <header class="kern-dialog__header">
        <h2 class="kern-heading-medium" id="shortcuts-title">{t("staff_ws.shortcuts")}</h2>
      </header>
      <div class="kern-dialog__body kern-stack">
        <p class="kern-body">{t("staff_ws.shortcuts_intro")}</p>
        <table class="kern-table kern-table--small">
          <caption class="visually-hidden">{t("staff_ws.shortcuts")}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">{t("staff_ws.shortcuts_key")}</th>
              <th class="kern-table__header" scope="col">{t("staff_ws.shortcuts_action")}</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {shortcuts.map(([key, text]) => (
              <tr class="kern-table__row" key={key}>
                <td class="kern-table__cell"><kbd>{key}</kbd></td>
                <td class="kern-table__cell">{t(text)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <footer class="kern-dialog__footer">
        <Button variant="secondary" onClick={onClose}>{t("staff_ws.shortcuts_close")}</Button>
      </footer>
    </dialog>
  );
}
