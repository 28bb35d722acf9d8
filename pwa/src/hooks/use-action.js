// Runs a form action: marks the form busy, clears and catches errors, and turns a
// lost connection into a message the citizen can act on.
import { useState } from "preact/hooks";
import { t } from "../lib/i18n.js";

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (action) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught.code === "network" ? { message: t("errors.network"), fieldErrors: [] } : caught);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
