// A minimal observable value with a Preact hook, for app-wide state (session, language).
import { useEffect, useState } from "preact/hooks";

export function signal(initial) {
  let value = initial;
  const listeners = new Set();
  return {
    get: () => value,
    set(next) {
      value = next;
      listeners.forEach((listener) => listener(value));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useSignal(sig) {
  const [value, setValue] = useState(sig.get());
  useEffect(() => {
    // A change between the first render and this subscription would be missed.
    setValue(sig.get());
    return sig.subscribe(setValue);
  }, [sig]);
  return value;
}
