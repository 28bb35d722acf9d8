// The builder's text area for Leichte Sprache: a summary becomes text and comes back
// unchanged; blank lines separate parts, extra spaces and blank lines do not matter.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSummary, summaryText } from "../src/pages/console/builder/leichte-sprache-text.js";

const SUMMARY = {
  title: "Hund anmelden",
  sections: [
    { heading: "Worum geht es?", sentences: ["Sie haben einen Hund.", "Sie melden ihn in {city} an."] },
    { heading: "Was kostet das?", sentences: ["Die Steuer kostet Geld."] },
  ],
};

test("a summary comes back from its text unchanged", () => {
  const text = summaryText(SUMMARY);
  assert.equal(text, "Hund anmelden\n\nWorum geht es?\nSie haben einen Hund.\nSie melden ihn in {city} an.\n\nWas kostet das?\nDie Steuer kostet Geld.");
  assert.deepEqual(parseSummary(text), SUMMARY);
});

test("spaces, several blank lines and a part right under the title are read as meant", () => {
  const text = "  Hund anmelden \nWorum geht es?\nSie haben einen Hund.\n\n\n \nWas kostet das?\nDie Steuer kostet Geld.\n";
  assert.deepEqual(parseSummary(text), {
    title: "Hund anmelden",
    sections: [
      { heading: "Worum geht es?", sentences: ["Sie haben einen Hund."] },
      { heading: "Was kostet das?", sentences: ["Die Steuer kostet Geld."] },
    ],
  });
});

test("an empty text removes the summary, a heading alone keeps an empty part for the server to refuse", () => {
  assert.equal(parseSummary(" \n\n "), undefined);
  assert.equal(summaryText(undefined), "");
  assert.deepEqual(parseSummary("Titel\n\nNur eine Überschrift"), { title: "Titel", sections: [{ heading: "Nur eine Überschrift", sentences: [] }] });
});
