// The console's sections in the order of its navigation. A section is a screen of
// `index.js` at a path under /verwaltung (routes.js lists the same paths). Sections are
// for admins; ROLE_SECTIONS names the ones other roles may open (the server checks the
// same on every request).
export const SECTIONS = [
  { path: "/verwaltung", labelKey: "console.nav.start", exact: true },
  { path: "/verwaltung/dienste", labelKey: "console.services.nav" },
  { path: "/verwaltung/benutzer", labelKey: "console.users.nav" },
  { path: "/verwaltung/uebergaben", labelKey: "console.handoffs.nav" },
  { path: "/verwaltung/rueckmeldungen", labelKey: "console.feedback.nav" },
  { path: "/verwaltung/umfragen", labelKey: "console.surveys.nav" },
  { path: "/verwaltung/mitteilungen", labelKey: "console.broadcasts.nav" },
  { path: "/verwaltung/parkzonen", labelKey: "console.parking.nav" },
  { path: "/verwaltung/strassen", labelKey: "console.streets.nav" },
  { path: "/verwaltung/parkausweise", labelKey: "console.permits.nav" },
  { path: "/verwaltung/kasse", labelKey: "console.treasury.nav" },
  { path: "/verwaltung/aufbewahrung", labelKey: "console.retention.nav" },
  { path: "/verwaltung/protokoll", labelKey: "console.audit.nav" },
  { path: "/verwaltung/statistik", labelKey: "console.statistics.nav" },
  { path: "/verwaltung/flyer", labelKey: "console.flyers.nav" },
  { path: "/verwaltung/kitas", labelKey: "console.kita.nav" },
  { path: "/verwaltung/termine", labelKey: "console.appointments.nav" },
  { path: "/verwaltung/terminals", labelKey: "console.terminals.nav" },
  { path: "/verwaltung/meldungen", labelKey: "console.reports.nav" },
];

// The sections a role other than admin may open, by path; the first is where it lands.
export const ROLE_SECTIONS = {
  statistics: ["/verwaltung/statistik", "/verwaltung/umfragen", "/verwaltung/termine"],
};

/** Whether ``section`` covers ``path`` (the section's own page or one below it). */
export function sectionCovers(section, path) {
  return section.exact ? path === section.path : path === section.path || path.startsWith(`${section.path}/`);
}

/** Whether ``user`` may open the console screen at ``path``: admins every one. */
export function mayOpenPath(user, path) {
  if (!user) return false;
  if (user.role === "admin") return true;
  return (ROLE_SECTIONS[user.role] || []).some((allowed) => path === allowed || path.startsWith(`${allowed}/`));
}

/** Where the console starts for ``user`` (null: not at all). */
export function consoleHome(user) {
  if (user?.role === "admin") return "/verwaltung";
  return ROLE_SECTIONS[user?.role]?.[0] ?? null;
}
