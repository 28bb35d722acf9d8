// The console's sections in the order of its navigation. A section is a screen of
// `index.js` at a path under /verwaltung (routes.js lists the same paths).
export const SECTIONS = [
  { path: "/verwaltung", labelKey: "console.nav.start", exact: true },
  { path: "/verwaltung/dienste", labelKey: "console.services.nav" },
  { path: "/verwaltung/benutzer", labelKey: "console.users.nav" },
  { path: "/verwaltung/rueckmeldungen", labelKey: "console.feedback.nav" },
  { path: "/verwaltung/umfragen", labelKey: "console.surveys.nav" },
  { path: "/verwaltung/mitteilungen", labelKey: "console.broadcasts.nav" },
  { path: "/verwaltung/parkzonen", labelKey: "console.parking.nav" },
  { path: "/verwaltung/strassen", labelKey: "console.streets.nav" },
  { path: "/verwaltung/parkausweise", labelKey: "console.permits.nav" },
  { path: "/verwaltung/kasse", labelKey: "console.treasury.nav" },
  { path: "/verwaltung/protokoll", labelKey: "console.audit.nav" },
];
