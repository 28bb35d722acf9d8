// Soft hyphens (U+00AD) in the long German compounds of the portal's own vocabulary, so
// "Bewohnerparkausweis" breaks as "Bewohner-/parkausweis" on a narrow screen even where
// the browser has no German hyphenation dictionary (CSS "hyphens: auto" then does
// nothing and the word would be cut at any letter, without a hyphen). Words that are not
// made of known parts stay as they are and are left to the browser.
const SHY = "\u00ad";
const MIN_WORD = 10;

// Parts of compounds in titles and headings (lower case; with linking "s" where German
// joins with one, e.g. "geburts"). A part stands for itself and its inflected forms.
const PARTS = new Set(
  `ab abfall abgaben an anzeige antrag antrags auf aufbewahrungs aufforderung auftrags
  aus auskunft ausweis barriere bearbeiter bearbeiterin bearbeitung bearbeitungs
  behälter benachrichtigung bescheid bescheinigung besitz bestätigung bewohner
  bürger daten eingangs empfangs fahrzeug freiheit fristen funktion gebühren geburts
  gericht gesellschaft gesetz gewerbe grund gültigkeits handels handwerks haupt hunde
  inhaber inhaberin kenn konto landes liste marke melde meldung navigation
  niederlassung nummer park parkraum personal personen portal prüf raum register
  rolle sach satzung schein scheibe schutz sperr stand steller stellerin sterbe steuer
  überwachung urkunde verbindung verzeichnis wind zahlungs zeichen zeitraum zone zweig`
    .split(/\s+/)
    .filter(Boolean),
);
const ENDINGS = ["", "e", "n", "en", "s", "es", "er"];
const WORD = new RegExp(`[A-Za-zÄÖÜäöüß]{${MIN_WORD},}`, "g");

/** The word cut into known parts ([word] when it is not made of them). */
function parts(word) {
  const lower = word.toLowerCase();
  // best[i]: the fewest parts covering lower[0, i), as cut positions.
  const best = new Array(lower.length + 1).fill(null);
  best[0] = [];
  for (let end = 1; end <= lower.length; end += 1) {
    for (let start = 0; start < end; start += 1) {
      if (!best[start] || !PARTS.has(lower.slice(start, end))) continue;
      const cuts = [...best[start], end];
      if (!best[end] || cuts.length < best[end].length) best[end] = cuts;
    }
  }
  for (const ending of ENDINGS) {
    const covered = best[lower.length - ending.length];
    if (covered && covered.length > 1 && (ending === "" || lower.endsWith(ending))) {
      const cuts = [0, ...covered.slice(0, -1), lower.length];
      return cuts.slice(1).map((cut, index) => word.slice(cuts[index], cut));
    }
  }
  return [word];
}

/** ``text`` with soft hyphens between the parts of known German compounds (``lang`` "de"). */
export function hyphenate(text, lang) {
  if (typeof text !== "string" || lang !== "de") return text;
  return text.replace(WORD, (word) => parts(word).join(SHY));
}
