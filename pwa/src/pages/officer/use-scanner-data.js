// The check data on this device (key set, revocation list, zones) for the scanner, kept
// fresh by itself: a sync when the screen opens, whenever the network comes back and
// every few minutes while the screen stays open. A device that was never synced by hand
// thus still has the keys before its first scan, whenever it had a network since.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { online } from "../../lib/connectivity.js";
import { load, loadAll } from "../../lib/passes/store.js";
import { deviceKeyset, syncShared } from "../../lib/passes/sync.js";

export const AUTO_SYNC_EVERY_MS = 5 * 60_000;

/** "done", "offline" or "failed", from a syncScannerData result. */
function outcome(result) {
  if (result.ok) return "done";
  return Object.values(result.errors).includes("network") ? "offline" : "failed";
}

/** The parsed form of stored data: what verifyPass needs. */
export function verifyOptions(data) {
  return {
    keyset: data.keyset,
    revoked: new Set(data.state?.revocations?.entries || []),
    latestSequences: new Map(Object.entries(data.state?.sequences || {})),
  };
}

/**
 * {state, keyset, revoked, sequences, syncing, syncResult, sync(manual), reload()}.
 * ``syncResult`` is {outcome, manual, first} of the last sync: ``first`` when it brought
 * the first data onto the device.
 */
export function useScannerData() {
  const [data, setData] = useState({ state: null, keyset: null });
  const [syncing, setSyncing] = useState(false);
  const [syncResult, setSyncResult] = useState(null);
  const alive = useRef(true);
  const reloads = useRef(0);

  // Later reloads win: an early read of an empty store must not overwrite synced data.
  const reload = async () => {
    const number = ++reloads.current;
    const state = await loadAll();
    const keyset = state.keyset ? await deviceKeyset(state.keyset).catch(() => null) : null;
    const next = { state, keyset };
    if (alive.current && number === reloads.current) setData(next);
    return next;
  };

  const sync = async (manual = false) => {
    setSyncing(true);
    try {
      const before = Boolean(await load("keyset").catch(() => null));
      const result = await syncShared();
      const next = await reload();
      if (alive.current) setSyncResult({ outcome: outcome(result), manual, first: !before && Boolean(next.keyset) });
      return next;
    } catch {
      // The device's storage failed: say so; what the screen shows stays as it was.
      if (alive.current) setSyncResult({ outcome: "failed", manual: true, first: false });
      return data;
    } finally {
      if (alive.current) setSyncing(false);
    }
  };

  useEffect(() => {
    alive.current = true;
    reload().catch(() => {});
    // navigator.onLine false means certainly offline; a failed attempt costs nothing else.
    const automatic = () => {
      if (navigator.onLine) sync(false);
    };
    automatic();
    const unsubscribe = online.subscribe((isOnline) => isOnline && automatic());
    window.addEventListener("online", automatic);
    const timer = setInterval(automatic, AUTO_SYNC_EVERY_MS);
    return () => {
      alive.current = false;
      unsubscribe();
      window.removeEventListener("online", automatic);
      clearInterval(timer);
    };
  }, []);

  const revoked = useMemo(() => new Set(data.state?.revocations?.entries || []), [data.state?.revocations]);
  const sequences = useMemo(() => new Map(Object.entries(data.state?.sequences || {})), [data.state?.sequences]);
  return { ...data, revoked, sequences, syncing, syncResult, sync, reload };
}
