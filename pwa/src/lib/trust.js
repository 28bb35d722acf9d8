// Trust levels, lowest first, ordered as the server orders them (app/models/accounts.py):
// "basic" a confirmed e-mail address, "substantial" BundID with an ELSTER certificate,
// "high" the Online-Ausweis (directly or through BundID).
export const TRUST_LEVELS = ["basic", "substantial", "high"];

/** Whether an account at ``level`` may send a service that needs ``required``. */
export function trustAtLeast(level, required) {
  return TRUST_LEVELS.indexOf(level || "basic") >= TRUST_LEVELS.indexOf(required || "basic");
}
