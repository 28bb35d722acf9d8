// The flyer's campaign tag on the device: which tags are taken, how the address is
// cleaned, repeats within half an hour counted once, and old reports dropped. Run with
// `npm test` (node's test runner).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  MAX_AGE_MS,
  REPEAT_MS,
  isLandingPage,
  isRepeat,
  noteSeen,
  outcome,
  prune,
  serviceOf,
  tagOf,
  withoutTag,
} from "../src/lib/campaign.js";

describe("campaign tags", () => {
  test("only tags of the campaign form are taken", () => {
    assert.equal(tagOf("?q=flyer-steuer-2027"), "flyer-steuer-2027");
    assert.equal(tagOf("?x=1&q=abc"), "abc");
    for (const bad of ["", "?q=", "?q=ab", "?q=Flyer", "?q=-abc", "?q=abc-", "?q=a--b", `?q=${"a".repeat(41)}`, "?q=a%20b"]) {
      assert.equal(tagOf(bad), null, bad);
    }
  });

  test("the address keeps everything but the tag", () => {
    assert.equal(withoutTag("?q=flyer"), "");
    assert.equal(withoutTag("?lang=en&q=flyer"), "?lang=en");
  });

  test("a service page names its service, other pages none", () => {
    assert.equal(serviceOf("/leistungen/waste_bins"), "waste_bins");
    assert.equal(serviceOf("/leistungen/waste_bins/"), "waste_bins");
    assert.equal(serviceOf("/"), null);
    assert.equal(serviceOf("/leistungen/waste_bins/anleitung"), null);
  });

  test("only the start page and service pages take a tag", () => {
    assert.equal(isLandingPage("/"), true);
    assert.equal(isLandingPage("/leistungen/waste_bins"), true);
    assert.equal(isLandingPage("/verwaltung/benutzer"), false);
    assert.equal(isLandingPage("/hilfe"), false);
  });

  test("the same landing within half an hour counts once", () => {
    const entry = { tag: "flyer", service_id: "waste_bins" };
    const seen = noteSeen({}, entry, 1000);
    assert.equal(isRepeat(seen, entry, 1000 + REPEAT_MS - 1), true);
    assert.equal(isRepeat(seen, entry, 1000 + REPEAT_MS), false);
    assert.equal(isRepeat(seen, { tag: "flyer", service_id: null }, 2000), false);
    const later = noteSeen(seen, { tag: "other" }, 1000 + REPEAT_MS);
    assert.deepEqual(Object.keys(later), ["other\u0000"]);
  });

  test("reports older than a day are dropped, answers decide the rest", () => {
    const now = Date.parse("2027-03-02T12:00:00Z");
    const fresh = { tag: "a1c", at: new Date(now - 1000).toISOString() };
    const old = { tag: "b1c", at: new Date(now - MAX_AGE_MS - 1).toISOString() };
    assert.deepEqual(prune([old, fresh], now), [fresh]);
    assert.equal(outcome(204), "sent");
    assert.equal(outcome(422), "drop");
    for (const status of [0, 403, 429, 500]) assert.equal(outcome(status), "keep");
  });
});
