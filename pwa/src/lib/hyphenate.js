// Soft hyphens (U+00AD) between the syllables of long German words, so
// "Bewohnerparkausweis" breaks with a hyphen on a narrow screen even where the browser
// has no German hyphenation dictionary (CSS "hyphens: auto" then does nothing and the
// word would be cut at any letter, without a hyphen). The patterns come from the
// "hyphen" package, so titles a city adds itself are hyphenated like the built-in ones.
//
// The patterns are loaded after the first render, in their own chunk, and only for
// German pages. Until they are there, text is shown unchanged; components using
// useHyphenate() render again once they have arrived.
import { useEffect } from "preact/hooks";
import { locale } from "./i18n.js";
import { signal, useSignal } from "./signal.js";

/**
 * The loaded module with hyphenateGerman(text), or null until it is there. (Not the
 * function itself: useSignal's state setter would call a function value as an updater.)
 */
export const germanHyphenation = signal(null);

let loading = null;

/** Loads the German patterns once; after a failed load the next page shown tries again. */
export function loadGermanHyphenator() {
  loading ??= import("./hyphenator-de.js").then(
    (module) => germanHyphenation.set(module),
    () => {
      loading = null;
    },
  );
  return loading;
}

/** ``text`` with soft hyphens in its long words when ``lang`` is German and the patterns are loaded. */
export function hyphenate(text, lang) {
  const loaded = germanHyphenation.get();
  if (typeof text !== "string" || lang !== "de" || !loaded) return text;
  return loaded.hyphenateGerman(text);
}

/**
 * A hyphenate(text) for the current page language. Starts loading the German patterns
 * after the first render of a German page, and renders the component again when they
 * have arrived.
 */
export function useHyphenate() {
  const lang = useSignal(locale);
  useSignal(germanHyphenation);
  useEffect(() => {
    if (lang === "de") loadGermanHyphenator();
  }, [lang]);
  return (text) => hyphenate(text, lang);
}
