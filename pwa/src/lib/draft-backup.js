// A synchronous copy of the answers being typed, for the few milliseconds before the
// IndexedDB write commits: a reload or a killed tab right after a keystroke would
// otherwise lose it. The copy is removed as soon as IndexedDB has the same answers.
const key = (localId) => `draft-backup:${localId}`;

export function writeBackup(localId, answers) {
  const at = Date.now();
  try {
    localStorage.setItem(key(localId), JSON.stringify({ answers, at }));
  } catch {
    // Storage full or blocked: IndexedDB still gets the answers a moment later.
  }
  return at;
}

export function clearBackup(localId, at) {
  try {
    const stored = JSON.parse(localStorage.getItem(key(localId)) || "null");
    if (!at || stored?.at === at) localStorage.removeItem(key(localId));
  } catch {
    localStorage.removeItem(key(localId));
  }
}

/** Answers newer than the stored draft, left behind by an interrupted write. */
export function pendingBackup(draft) {
  try {
    const stored = JSON.parse(localStorage.getItem(key(draft.localId)) || "null");
    if (stored && stored.at > Date.parse(draft.updatedAt || 0)) return stored.answers;
  } catch {
    // Unreadable copy: IndexedDB has the answers.
  }
  return null;
}
