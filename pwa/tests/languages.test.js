// The build's language list (pwa/languages.config.js) and the font files per script
// (pwa/scripts/subset-fonts.js). Run with `npm test` (node's test runner).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as fonts from "../fonts.config.js";
import { KNOWN, configuredLanguages } from "../languages.config.js";
import { rangesByScript, unicodeRange } from "../scripts/subset-fonts.js";

describe("PORTAL_LANGUAGES in the build", () => {
  test("empty means every known language, German first", () => {
    assert.deepEqual(configuredLanguages(undefined), KNOWN);
    assert.deepEqual(configuredLanguages(" "), KNOWN);
    assert.deepEqual(configuredLanguages("uk, DE,en"), ["de", "en", "uk"]);
  });

  test("an unknown code or a list without German stops the build", () => {
    assert.throws(() => configuredLanguages("de,fr"), /unknown language\(s\) fr/);
    assert.throws(() => configuredLanguages("en,tr"), /must include de/);
  });
});

describe("font files per script", () => {
  test("each script the languages write gets its own ranges; Latin carries the base set", () => {
    const byScript = rangesByScript(["de", "en", "tr", "ar", "uk"], fonts);
    assert.deepEqual(Object.keys(byScript).sort(), ["arabic", "cyrillic", "latin"]);
    assert.match(unicodeRange(byScript.latin), /^U\+0000-017F, U\+1E9E, /);
    assert.equal(unicodeRange(byScript.cyrillic), "U+02BC, U+0400-045F, U+0490-0491, U+2116");
    assert.equal(unicodeRange(byScript.arabic), "U+0600-06FF, U+FB50-FDFF, U+FE70-FEFF");
  });

  test("a portal without Ukrainian and Arabic builds Latin files only", () => {
    assert.deepEqual(Object.keys(rangesByScript(["de", "en"], fonts)), ["latin"]);
  });

  test("every script's faces share the Latin faces' weights", () => {
    // Different weight ranges would let one script's face win the match for all text.
    const weights = (script) => fonts.SCRIPTS[script].faces.map((face) => face.weight);
    for (const script of Object.keys(fonts.SCRIPTS)) assert.deepEqual(weights(script), weights("latin"));
  });

  test("a language without ranges stops the build", () => {
    assert.throws(() => rangesByScript(["de", "xx"], fonts), /no LANGUAGE_RANGES for: xx/);
  });
});
