// Which link opens the AusweisApp here: eid:// on smartphones and tablets, the local
// http://127.0.0.1:24727 address on computers and the Bürgerbüro terminal.

export function isMobileDevice() {
  if (typeof navigator === "undefined") return false;
  if (navigator.userAgentData?.mobile) return true;
  if (/Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent || "")) return true;
  // iPadOS reports itself as a Mac; a touch screen without a mouse gives it away.
  const media = (query) => typeof window.matchMedia === "function" && window.matchMedia(query).matches;
  return media("(pointer: coarse)") && media("(hover: none)");
}

/** The card's upper-case name as a greeting ("ERIKA" -> "Erika"). */
export function greetingName(identity) {
  if (!identity) return "";
  const words = `${identity.given_names || ""} ${identity.family_name || ""}`.trim().toLocaleLowerCase("de-DE");
  return words.replace(/(^|[\s-])(\p{L})/gu, (match, space, letter) => space + letter.toLocaleUpperCase("de-DE"));
}
