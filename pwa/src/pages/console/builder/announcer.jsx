// The one live region the builder's sections and lists use to say what a button did.
import { useEffect, useRef, useState } from "preact/hooks";

/**
 * A live region with a function to say something; returns ``[element, say]``. The text
 * is cleared first and set a moment later, so that the same sentence twice (an item
 * moved down twice) is read twice.
 */
export function useAnnouncer() {
  const [text, setText] = useState("");
  const timer = useRef(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  const say = (next) => {
    setText("");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setText(next), 50);
  };
  const region = (
    <p class="visually-hidden" role="status" aria-live="polite">
      {text}
    </p>
  );
  return [region, say];
}
