// A small history router: the app has a handful of routes and needs no dependency for them.
import { useEffect, useState } from "preact/hooks";

const listeners = new Set();

// Client-side route changes since the page loaded. The first page keeps the focus at the
// document start (the skip link is the first Tab stop, as after any full load); only a
// route change moves it to the new page's heading. A redirect before the user did
// anything (replacing the address while the first page loads) is still the first page.
let routeChanges = 0;
let interacted = false;

if (typeof window !== "undefined") {
  const note = () => {
    interacted = true;
  };
  window.addEventListener("pointerdown", note, { capture: true, once: true });
  window.addEventListener("keydown", note, { capture: true, once: true });
  window.addEventListener("popstate", () => {
    routeChanges += 1;
  });
}

/** Has the route changed on the client since the page loaded? (Then focus moves.) */
export function routeChanged() {
  return routeChanges > 0;
}

export function navigate(path, { replace = false } = {}) {
  if (!replace || interacted) routeChanges += 1;
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  listeners.forEach((listener) => listener());
  if (!path.includes("#")) window.scrollTo(0, 0);
}

const current = () => ({ path: window.location.pathname, search: window.location.search, hash: window.location.hash });

export function useLocation() {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return location;
}

/** The route matching ``path``: [component, params]; patterns look like "/antrag/:id". */
export function matchRoute(routes, path) {
  const parts = path.replace(/\/+$/, "").split("/");
  for (const [pattern, component] of routes) {
    const want = pattern.replace(/\/+$/, "").split("/");
    if (want.length !== parts.length) continue;
    const params = {};
    const matches = want.every((piece, index) => {
      if (piece.startsWith(":")) {
        params[piece.slice(1)] = decodeURIComponent(parts[index]);
        return parts[index] !== "";
      }
      return piece === parts[index];
    });
    if (matches) return [component, params];
  }
  return [null, {}];
}

export function queryParam(search, name) {
  return new URLSearchParams(search).get(name);
}

/** Only paths inside the app may be followed after sign-in (no open redirects). */
export function safeReturnPath(value) {
  return typeof value === "string" && /^\/(?!\/)[\w\-/.#?=&%]*$/.test(value) ? value : null;
}

/** Internal links navigate without a reload; modified clicks keep browser behaviour. */
export function Link({ href, children, ...props }) {
  const onClick = (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...props}>
      {children}
    </a>
  );
}
