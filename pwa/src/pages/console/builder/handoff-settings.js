// What the builder knows of the built-in hand-off backends' target settings (the
// backends check them when the definition loads; this only decides which inputs to show).

// The settings of the built-in backends, in the order an admin fills them in. A city's
// own backend has none listed here: its settings are edited as JSON.
export const BACKEND_SETTINGS = {
  webhook: [
    { key: "url", type: "url", required: true },
    { key: "secret", required: true },
  ],
  fit_connect: [{ key: "destination_id", required: true }, { key: "service_identifier" }, { key: "service_name" }, { key: "schema_uri", type: "url" }],
  email: [{ key: "to", type: "email", required: true }, { key: "subject_prefix" }],
};

// The moments a target is handed off at, should the parts catalogue not list them.
export const MOMENTS = ["submitted", "paid", "decided"];

/** The environment variable a webhook target's secret name is read from. */
export function webhookSecretVariable(name) {
  return `HANDOFF_WEBHOOK_SECRET_${String(name || "").toUpperCase()}`;
}

/** A target's ``settings`` when its backend becomes ``backend``: only the keys that
 * backend knows (every key for a city's own backend, whose settings are not listed). */
export function settingsFor(backend, settings) {
  const object = settings && typeof settings === "object" && !Array.isArray(settings) ? settings : {};
  const known = BACKEND_SETTINGS[backend];
  if (!known) return object;
  return Object.fromEntries(Object.entries(object).filter(([key]) => known.some((item) => item.key === key)));
}
