// Keeps the screen on while a pass is shown or the scanner runs (Screen Wake Lock API,
// where the browser has it). The lock ends when the page hides; it is taken again when
// the page comes back.
import { useEffect, useState } from "preact/hooks";

export function useWakeLock(active) {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!active || !navigator.wakeLock) return undefined;
    let sentinel = null;
    let stopped = false;
    const acquire = async () => {
      try {
        const lock = await navigator.wakeLock.request("screen");
        if (stopped) {
          lock.release().catch(() => {});
          return;
        }
        sentinel = lock;
        setHeld(true);
        lock.addEventListener("release", () => setHeld(false));
      } catch {
        setHeld(false);
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible" && (!sentinel || sentinel.released)) acquire();
    };
    acquire();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stopped = true;
      document.removeEventListener("visibilitychange", onVisibility);
      sentinel?.release().catch(() => {});
    };
  }, [active]);
  return held;
}
