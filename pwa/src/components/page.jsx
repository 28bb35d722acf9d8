// A page: sets the document title and, after a client-side route change, moves focus to
// the heading, so screen readers announce the new page as they would after a full load.
// On the first load the focus stays at the document start, where a full load leaves it
// (the skip link is the first Tab stop). A link target in the address (#field) gets the
// focus instead, so "change" links land on the field.
import { useEffect, useRef } from "preact/hooks";
import { useHyphenate } from "../lib/hyphenate.js";
import { t } from "../lib/i18n.js";
import { routeChanged } from "../lib/router.jsx";
import { Picked } from "./picked.jsx";

/** ``titleSource``: the ``{de, en, …}`` text ``title`` was picked from, if any, so a
 * German stand-in for a missing translation is marked as such. */
export function Page({ title, titleSource, caption, children, wide = false }) {
  const heading = useRef(null);
  const hyphenate = useHyphenate();
  useEffect(() => {
    document.title = `${caption ? `${title} – ${caption}` : title} – ${t("app.name")}`;
    const target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target) {
      target.focus();
      target.scrollIntoView({ block: "center" });
    } else if (routeChanged()) {
      heading.current?.focus();
    }
  }, [title, caption]);
  return (
    <div class={wide ? "page page--wide kern-stack" : "page kern-stack"}>
      <h1 class="kern-heading-large" tabIndex={-1} ref={heading}>
        {caption && <span class="page__caption kern-preline">{hyphenate(caption)}</span>}
        {titleSource ? <Picked text={titleSource} format={hyphenate} /> : hyphenate(title)}
      </h1>
      {children}
    </div>
  );
}

export function Loading() {
  return (
    <p class="kern-body" role="status">
      {t("app.loading")}
    </p>
  );
}
