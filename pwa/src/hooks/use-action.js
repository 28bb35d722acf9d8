// Runs a form action: marks the form busy, clears and catches errors, and turns a
// lost connection into a message the citizen can act on.
import { useState } from "preact/hooks";
import { t } from "../lib/i18n.js";

/**
 * What an action returns when it has sent the browser to another page: the form
 * stays busy so it cannot be sent twice while the next page loads.
 */
export const LEAVING = Symbol("leaving");

/** The error to show for ``caught``: a lost connection becomes a plain message. */
export function asActionError(caught) {
  return caught?.code === "network" ? { message: t("errors.network"), fieldErrors: [] } : caught;
}

/** For ``onError``: keep what was thrown as it is (the screen words it itself). */
export const asThrown = (caught) => caught;

/**
 * ``{busy, error, setError, run}``: ``run(action)`` awaits ``action()`` with the form
 * marked busy and keeps what it throws in ``error`` (``{message, fieldErrors}``, ready
 * for ``ErrorSummary`` and ``fieldErrors``). It resolves to the action's result, or
 * to ``undefined`` when the action failed. ``onError(caught)``, where a screen shows
 * failures its own way, turns what was thrown into the ``error`` to keep (``null``
 * for none).
 */
export function useAction({ onError = asActionError } = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (action) => {
    setBusy(true);
    setError(null);
    let result;
    try {
      result = await action();
    } catch (caught) {
      setError(onError(caught));
    } finally {
      if (result !== LEAVING) setBusy(false);
    }
    return result;
  };
  return { busy, error, setError, run };
}
