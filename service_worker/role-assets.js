// Files only some roles need (the officers' scanner with its 1 MB WebAssembly, the
// clerks' screens) are not precached for every visitor. The build marks them in the
// manifest with their group (pwa/scripts/role-assets.js); a device keeps a group in a
// cache of its own once the page asks for it, i.e. once an officer or clerk is signed in
// there (pwa/src/lib/role-assets.js), and this worker serves them from that cache first,
// so the scanner starts without network. Citizens' devices never fetch them ahead.
import { registerRoute } from "workbox-routing";
import { ROLE_ASSETS_MESSAGE, roleCacheName } from "../pwa/src/lib/cache-names.js";

/** Sets up the group caches for the manifest entries that carry a ``group``. */
export function registerRoleAssets(entries) {
  const urlsOf = new Map(); // group → absolute URLs
  const groupOf = new Map(); // pathname → group
  for (const { url, group } of entries) {
    const absolute = new URL(url, self.location.href);
    groupOf.set(absolute.pathname, group);
    urlsOf.set(group, [...(urlsOf.get(group) ?? []), absolute.href]);
  }

  /** Puts the group's files of this version into its cache; a file held already is kept. */
  async function fill(group) {
    const cache = await caches.open(roleCacheName(group));
    const held = new Set((await cache.keys()).map((request) => request.url));
    // Hashed file names: a name held is the right content.
    await cache.addAll(urlsOf.get(group).filter((url) => !held.has(url)));
  }

  /** Removes files of earlier versions from the group's cache. */
  async function prune(group) {
    const cache = await caches.open(roleCacheName(group));
    const current = new Set(urlsOf.get(group));
    await Promise.all((await cache.keys()).filter((request) => !current.has(request.url)).map((request) => cache.delete(request)));
  }

  /** The groups this device holds already (their caches exist). */
  async function heldGroups() {
    const held = await Promise.all([...urlsOf.keys()].map(async (group) => ((await caches.has(roleCacheName(group))) ? group : null)));
    return held.filter(Boolean);
  }

  // From the group's cache when there, else from the network without keeping a copy: a
  // citizen who opens /kontrolle must not end up with the officers' files.
  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && groupOf.has(url.pathname),
    async ({ request, url }) => (await caches.match(request, { cacheName: roleCacheName(groupOf.get(url.pathname)) })) || fetch(request),
  );

  // The page asks for its user's groups and waits for the answer on the port it sends.
  self.addEventListener("message", (event) => {
    if (event.data?.type !== ROLE_ASSETS_MESSAGE) return;
    const groups = (event.data.groups ?? []).filter((group) => urlsOf.has(group));
    const done = Promise.all(groups.map(fill)).then(
      () => ({ ok: true, groups }),
      (error) => ({ ok: false, error: String(error) }),
    );
    event.waitUntil(done.then((answer) => event.ports[0]?.postMessage(answer)));
  });

  // A new version brings its files along for the groups this device holds, so an
  // update never leaves the officer without a scanner offline: when a download fails
  // (offline, flaky network) the install fails too, as it does for the precache, and
  // the version in charge stays with its files until the next update check ...
  self.addEventListener("install", (event) => {
    event.waitUntil(heldGroups().then((groups) => Promise.all(groups.map(fill))));
  });
  // ... and, once it is in charge, drops the files of the version before.
  self.addEventListener("activate", (event) => {
    event.waitUntil(
      heldGroups()
        .then((groups) => Promise.all(groups.map(prune)))
        .catch(() => {}),
    );
  });
}
