// A page: sets the document title and moves focus to the heading on navigation, so screen
// readers announce the new page as they would after a full load. A link target in the
// address (#field) gets the focus instead, so "change" links land on the field.
import { useEffect, useRef } from "preact/hooks";
import { t } from "../lib/i18n.js";

export function Page({ title, caption, children, wide = false }) {
  const heading = useRef(null);
  useEffect(() => {
    document.title = `${caption ? `${title} – ${caption}` : title} – ${t("app.name")}`;
    const target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target) {
      target.focus();
      target.scrollIntoView({ block: "center" });
    } else {
      heading.current?.focus();
    }
  }, [title, caption]);
  return (
    <div class={wide ? "page page--wide kern-stack" : "page kern-stack"}>
      <h1 class="kern-heading-large" tabIndex={-1} ref={heading}>
        {caption && <span class="page__caption kern-preline">{caption}</span>}
        {title}
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
