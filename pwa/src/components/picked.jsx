// A text from a service definition in the reader's language. Where the definition has
// no translation, the German text stands in: it carries lang="de" (so screen readers
// read it as German, and the browser lays it out left to right in Arabic pages) and a
// visible hint in the reader's language says that it is German.
import { locale, pickText, t } from "../lib/i18n.js";
import { direction } from "../lib/languages.js";

/**
 * ``text``: a ``{de, en, …}`` text; ``format`` shapes the shown string (hyphenation).
 * ``block``: the text is a paragraph of its own (a hint, a description); in a right-to-
 * left page its German stand-in then runs as a left-to-right block, not as a phrase.
 */
export function Picked({ text, format = (value) => value, block = false }) {
  const picked = pickText(text);
  if (!picked.fallback) return format(picked.text);
  if (block) {
    return (
      <span class="picked-block" lang={picked.lang} dir={direction(picked.lang)}>
        {format(picked.text)}{" "}
        <span class="lang-fallback" lang={locale.get()} dir={direction(locale.get())}>
          ({t("lang.in_german")})
        </span>
      </span>
    );
  }
  return (
    <>
      <span lang={picked.lang} dir={direction(picked.lang)}>
        {format(picked.text)}
      </span>{" "}
      <span class="lang-fallback" lang={locale.get()} dir={direction(locale.get())}>
        ({t("lang.in_german")})
      </span>
    </>
  );
}
