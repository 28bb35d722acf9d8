// The draft being edited: loaded once, saved a moment after each change (and on
// "Speichern") with If-Match, so that two admins never overwrite each other silently.
// A refused save (412) becomes a conflict the admin resolves; nothing is thrown away
// without that choice.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, apiGet } from "../../../lib/api.js";

const AUTOSAVE_MS = 1200;

export const editorPath = (serviceId, version) => `/api/admin/services/${encodeURIComponent(serviceId)}/versions/${version}/editor`;

/**
 * ``{record, definition, problems, status, conflict, error, notice, change, save,
 * takeTheirs, keepMine, publish, reload}``. ``status`` is ``loading``, ``saved``,
 * ``unsaved``, ``saving``, ``failed`` (no connection or refused) or ``conflict``.
 * ``notice`` says why the editor reloaded by itself (``frozen``: published meanwhile).
 */
export function useWorkingCopy(serviceId, version) {
  const path = editorPath(serviceId, version);
  const [record, setRecord] = useState(null);
  const [definition, setDefinition] = useState(null);
  const [problems, setProblems] = useState([]);
  const [status, setStatus] = useState("loading");
  const [conflict, setConflict] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  // What the server holds and what is on screen, read by the timers without re-rendering.
  const revision = useRef(null);
  const latest = useRef(null);
  const saved = useRef(null);
  const timer = useRef(null);
  const inFlight = useRef(null);

  const accept = (data) => {
    revision.current = data.revision;
    saved.current = data.definition;
    setRecord(data);
    setProblems(data.problems || []);
  };

  const reload = useCallback(async () => {
    clearTimeout(timer.current);
    setStatus("loading");
    try {
      const { data } = await apiGet(path);
      accept(data);
      latest.current = data.definition;
      setDefinition(data.definition);
      setConflict(null);
      setError(null);
      setStatus("saved");
    } catch (caught) {
      setError(caught);
      setStatus("failed");
    }
  }, [path]);

  useEffect(() => {
    reload();
    return () => clearTimeout(timer.current);
  }, [reload]);

  // A refusal that the admin cannot fix by editing: someone saved in between (412 with
  // the current state: the conflict screen), the tag was not understood (412 without:
  // read the draft again), or the version was published meanwhile (409: it reloads
  // read-only and says so). Returns true when it handled ``caught``.
  const refused = (caught, mine) => {
    if (caught.status === 412 && caught.body?.current) {
      setConflict({ mine, theirs: caught.body.current });
      setStatus("conflict");
      return true;
    }
    if (caught.status === 412 || (caught.status === 409 && caught.code === "definition_frozen")) {
      if (caught.status === 409) setNotice("frozen");
      reload();
      return true;
    }
    return false;
  };

  const save = useCallback(
    async ({ over } = {}) => {
      clearTimeout(timer.current);
      // One save at a time: whoever waits looks again after each one, since another
      // waiter may have started the next; two saves never carry the same If-Match.
      while (inFlight.current) await inFlight.current;
      const sending = latest.current;
      if (sending === saved.current && over === undefined) return true;
      setStatus("saving");
      const attempt = (async () => {
        try {
          const data = await api("PUT", path, { definition: sending }, { "If-Match": `"${over ?? revision.current}"` });
          accept(data);
          // The server keeps the working copy as sent: what was sent is what is saved.
          saved.current = sending;
          setConflict(null);
          setError(null);
          const current = latest.current === sending;
          setStatus(current ? "saved" : "unsaved");
          return current;
        } catch (caught) {
          if (!refused(caught, sending)) {
            setError(caught);
            if (caught.fieldErrors?.length) setProblems(caught.fieldErrors);
            setStatus("failed");
          }
          return false;
        }
      })();
      inFlight.current = attempt;
      let result;
      try {
        result = await attempt;
      } finally {
        inFlight.current = null;
      }
      // The server answers with its own copy of the definition (never the same object):
      // what was sent is what counts, else every save would start the next one.
      if (result === false || latest.current === sending) return result;
      return save();
    },
    [path],
  );

  const change = useCallback(
    (next) => {
      latest.current = next;
      setDefinition(next);
      if (conflict) return;
      setStatus("unsaved");
      clearTimeout(timer.current);
      timer.current = setTimeout(() => save(), AUTOSAVE_MS);
    },
    [conflict, save],
  );

  // The other version wins: the admin's changes are dropped (they saw them side by side).
  const takeTheirs = () => reload();
  // The admin's version wins, knowingly: saved over the revision the conflict showed.
  const keepMine = () => save({ over: conflict.theirs.revision });

  /** Save what is on screen, then publish exactly the revision saved (If-Match): a
   * colleague's save in between is a conflict, never published unseen. Resolves to
   * true, or false with the problems shown. */
  const publish = async () => {
    if (!(await save())) return false;
    while (inFlight.current) await inFlight.current;
    try {
      await api("POST", `/api/admin/services/${encodeURIComponent(serviceId)}/versions/${version}/publish`, undefined, { "If-Match": `"${revision.current}"` });
      return true;
    } catch (caught) {
      if (!refused(caught, latest.current)) {
        setError(caught);
        if (caught.fieldErrors?.length) setProblems(caught.fieldErrors);
      }
      return false;
    }
  };

  return { record, definition, problems, status, conflict, error, notice, change, save, takeTheirs, keepMine, publish, reload };
}
