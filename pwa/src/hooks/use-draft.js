// A device draft for a screen, re-read whenever any draft changes (sync results from
// this page, another tab or the service worker).
import { useEffect, useState } from "preact/hooks";
import { draftsChanged, getDraft } from "../lib/drafts.js";
import { useSignal } from "../lib/signal.js";

export function useDraft(localId) {
  const version = useSignal(draftsChanged);
  const [draft, setDraft] = useState(undefined);
  useEffect(() => {
    let live = true;
    getDraft(localId).then((found) => live && setDraft(found ?? null));
    return () => {
      live = false;
    };
  }, [localId, version]);
  return draft;
}
