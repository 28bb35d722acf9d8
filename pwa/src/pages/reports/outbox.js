// Sending the device's report outbox from the page: at once, and again whenever the
// portal can be reached after a time offline (Background Sync does it too where the
// browser has it; the idempotency key keeps the two from making two reports).
import { useEffect, useState } from "preact/hooks";
import { session } from "../../lib/api.js";
import { online } from "../../lib/connectivity.js";
import { locale } from "../../lib/i18n.js";
import { OUTBOX_CHANNEL, queuedReports, sendOutbox } from "../../lib/report-outbox.js";

export function outboxContext() {
  const current = session.get();
  return { userId: current.user?.id ?? null, csrf: current.csrf_token, locale: locale.get() };
}

export async function flushOutbox() {
  if ((await queuedReports()).length === 0) return null;
  return sendOutbox(outboxContext());
}

/** Keeps the outbox moving while the page is open; ``version`` changes when it did. */
export function useOutbox() {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((value) => value + 1);
    flushOutbox().then(bump, () => {});
    const stop = online.subscribe((now) => {
      if (now) flushOutbox().then(bump, () => {});
    });
    const channel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(OUTBOX_CHANNEL);
    if (channel) channel.onmessage = bump;
    return () => {
      stop?.();
      channel?.close();
    };
  }, []);
  return version;
}
