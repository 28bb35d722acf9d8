// Lists whose order matters (steps, fields, options): every item has "nach oben" /
// "nach unten" buttons for the keyboard and a handle to drag it with the mouse. A live
// region says where a moved item is now, and focus stays on the button that moved it.
import { useEffect, useState } from "preact/hooks";
import { t } from "../../../lib/i18n.js";
import { useAnnouncer } from "./announcer.jsx";
import "./steps.css";

// The item being dragged, by list: a drag over another list (a field dragged over the
// list of steps holding it) is not a drop target.
let dragged = null;

/** The sentence the live region reads after a move ("Feld „Name“ ist jetzt an Position 2 von 5."). */
export function movedText(name, position, count) {
  return t("console.builder.reorder.moved", { item: name, position, count });
}

/** Focus the element with ``id`` once the next render is on screen. */
export function useFocusAfterRender() {
  const [target, setTarget] = useState(null);
  useEffect(() => {
    if (!target) return undefined;
    // The editor page may draw the changed definition a frame later: look again a few times.
    let tries = 10;
    let frame = 0;
    const attempt = () => {
      const element = document.getElementById(target.id) || (target.fallback && document.getElementById(target.fallback));
      if (element && !element.disabled) element.focus();
      else if ((tries -= 1) > 0) frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, [target]);
  return (id, fallback) => setTarget({ id, fallback, at: Date.now() + Math.random() });
}

/**
 * An ordered list with move buttons and drag and drop.
 *
 * @param {object} props
 * @param {Array} props.items the list
 * @param {string} props.listId unique name of the list on the page (drags stay inside it)
 * @param {string} props.label what the list is, for its accessible name
 * @param {(item: any, index: number) => string} props.itemName how the item is called in
 *   button labels and announcements ("Feld „Name“")
 * @param {(index: number) => string} props.idFor DOM id prefix of the item at ``index``
 * @param {(from: number, to: number) => void} props.onMove
 * @param {(item: any, index: number, controls: any) => any} props.renderItem the item's
 *   content; ``controls`` are its move buttons and drag handle, placed where it fits
 * @param {boolean} [props.readOnly] no moving
 * @param {string} [props.class] extra class of the list
 */
export function ReorderList({ items, listId, label, itemName, idFor, onMove, renderItem, readOnly = false, class: extra = "" }) {
  const [region, say] = useAnnouncer();
  const focusLater = useFocusAfterRender();
  const [over, setOver] = useState(null);
  const count = items.length;

  const moveTo = (from, to, direction) => {
    if (to < 0 || to >= count || from === to) return;
    const name = itemName(items[from], from);
    onMove(from, to);
    say(movedText(name, to + 1, count));
    // Focus stays on the button that was used; at the end of the list it is disabled,
    // so the other one takes it.
    const own = `${idFor(to)}-${direction}`;
    const other = `${idFor(to)}-${direction === "up" ? "down" : "up"}`;
    const atEdge = (direction === "up" && to === 0) || (direction === "down" && to === count - 1);
    if (direction) focusLater(atEdge ? other : own, other);
  };

  const dragProps = (index) => ({
    onDragOver: (event) => {
      if (!dragged || dragged.listId !== listId) return;
      event.preventDefault();
      event.stopPropagation();
      event.dataTransfer.dropEffect = "move";
      if (over !== index) setOver(index);
    },
    onDragLeave: () => {
      if (over === index) setOver(null);
    },
    onDrop: (event) => {
      if (!dragged || dragged.listId !== listId) return;
      event.preventDefault();
      event.stopPropagation();
      const from = dragged.index;
      dragged = null;
      setOver(null);
      moveTo(from, index, null);
    },
  });

  return (
    <>
      <ol class={`builder-reorder ${extra}`} aria-label={label}>
        {items.map((item, index) => {
          const name = itemName(item, index);
          const base = idFor(index);
          const controls = readOnly ? null : (
            <div class="builder-reorder__controls">
              <span
                class="builder-reorder__handle"
                draggable="true"
                title={t("console.builder.reorder.drag", { item: name })}
                data-drag-handle={base}
                aria-hidden="true"
                onDragStart={(event) => {
                  dragged = { listId, index };
                  event.stopPropagation();
                  event.dataTransfer.effectAllowed = "move";
                  event.dataTransfer.setData("text/plain", name);
                  const row = event.currentTarget.closest("li");
                  if (row) event.dataTransfer.setDragImage(row, 16, 16);
                }}
                onDragEnd={() => {
                  dragged = null;
                  setOver(null);
                }}
              >
                ⠿
              </span>
              <button
                type="button"
                class="kern-btn kern-btn--tertiary builder-reorder__button"
                id={`${base}-up`}
                disabled={index === 0}
                onClick={() => moveTo(index, index - 1, "up")}
              >
                <span class="kern-label">
                  <span aria-hidden="true">↑ </span>
                  <span class="visually-hidden">{name} </span>
                  {t("console.builder.reorder.up")}
                </span>
              </button>
              <button
                type="button"
                class="kern-btn kern-btn--tertiary builder-reorder__button"
                id={`${base}-down`}
                disabled={index === count - 1}
                onClick={() => moveTo(index, index + 1, "down")}
              >
                <span class="kern-label">
                  <span aria-hidden="true">↓ </span>
                  <span class="visually-hidden">{name} </span>
                  {t("console.builder.reorder.down")}
                </span>
              </button>
            </div>
          );
          return (
            <li key={index} class={over === index ? "builder-reorder__item builder-reorder__item--over" : "builder-reorder__item"} {...dragProps(index)}>
              {renderItem(item, index, controls)}
            </li>
          );
        })}
      </ol>
      {region}
    </>
  );
}
