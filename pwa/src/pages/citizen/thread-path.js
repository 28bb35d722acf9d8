// Where one inbox thread is in the PWA.

/** The page of the thread ``key`` (an application's id, or a message's own key). */
export const threadPath = (key) => `/postfach/verlauf/${encodeURIComponent(key)}`;
