// Loads personal data from the API for a screen; ``cachedAt`` is set when the service
// worker answered from its copy because the network was gone.
import { useCallback, useEffect, useState } from "preact/hooks";
import { apiGet } from "../lib/api.js";

export function useResource(path) {
  const [state, setState] = useState({ data: null, error: null, cachedAt: null, loading: true });
  const load = useCallback(() => {
    if (!path) return;
    apiGet(path).then(
      ({ data, cachedAt }) => setState({ data, cachedAt, error: null, loading: false }),
      (error) => setState((previous) => ({ ...previous, error, loading: false })),
    );
  }, [path]);
  useEffect(load, [load]);
  return { ...state, reload: load };
}
