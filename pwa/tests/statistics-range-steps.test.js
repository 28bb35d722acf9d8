// The statistics' range picker sends whole months (a first and a last day); give-up
// steps are named per service.
import assert from "node:assert/strict";
import { test } from "node:test";
import { firstDay, lastDay, lastTwelveMonths, monthChoices, rangeDays } from "../src/pages/console/statistics/range.js";
import { giveUpStepName } from "../src/pages/console/statistics/steps.js";

test("a month range becomes its first and last day", () => {
  assert.equal(firstDay("2026-03"), "2026-03-01");
  assert.equal(lastDay("2026-01"), "2026-01-31");
  assert.equal(lastDay("2026-04"), "2026-04-30");
  assert.equal(lastDay("2026-02"), "2026-02-28");
  assert.equal(lastDay("2024-02"), "2024-02-29");
  assert.equal(lastDay("2026-12"), "2026-12-31");
  assert.deepEqual(rangeDays({ from: "2025-12", to: "2026-11" }), { from: "2025-12-01", to: "2026-11-30" });
});

test("the default is the twelve months up to the end of this month", () => {
  assert.deepEqual(lastTwelveMonths(new Date(2026, 11, 5)), { from: "2026-01", to: "2026-12" });
  assert.deepEqual(lastTwelveMonths(new Date(2026, 0, 31)), { from: "2025-02", to: "2026-01" });
  assert.deepEqual(rangeDays(lastTwelveMonths(new Date(2026, 1, 10))), { from: "2025-03-01", to: "2026-02-28" });
});

test("the picker offers this month first and ten years back", () => {
  const months = monthChoices(new Date(2026, 11, 5));
  assert.equal(months[0], "2026-12");
  assert.equal(months.at(-1), "2017-01");
  assert.equal(months.length, 120);
  assert.equal(new Set(months).size, months.length);
});

test("give-up steps: one service's by title, over all services as 'Service: Step'", () => {
  const check = "Prüfen und Senden";
  assert.equal(giveUpStepName("tree", "Baum", check), "Baum");
  assert.equal(giveUpStepName("tree", "", check), "tree");
  assert.equal(giveUpStepName("_submitted", "_submitted", check), check);
  assert.equal(giveUpStepName("trees/tree", "Baumschnitt: Baum", check), "Baumschnitt: Baum");
  assert.equal(giveUpStepName("trees/_submitted", "Baumschnitt: _submitted", check), "Baumschnitt: Prüfen und Senden");
  assert.equal(giveUpStepName("trees/_submitted", "", check), "trees: Prüfen und Senden");
});
