// The clerk's decision values between the server and the inputs
// (pwa/src/pages/staff/decision-values.js): euros typed, cents sent.
import assert from "node:assert/strict";
import { test } from "node:test";
import { centsText, parseEuros, startTexts, valuesToSend } from "../src/pages/staff/decision-values.js";

const FIELDS = [
  { id: "monthly_amount_cents", type: "money", value: 61200 },
  { id: "period_from", type: "date", value: "2025-03-01" },
  { id: "remark", type: "text", value: null },
];

test("euros as clerks type them become cents", () => {
  const cases = [
    ["612", 61200],
    ["612,5", 61250],
    ["612,50 €", 61250],
    ["1.234,56", 123456],
    ["1,234.56", 123456],
    ["612.05", 61205],
    ["0,01", 1],
    ["viel", null],
    ["612,505", null],
    ["-5", null],
    ["", null],
  ];
  for (const [typed, cents] of cases) assert.equal(parseEuros(typed), cents, typed);
});

test("proposals are shown as the clerk would type them", () => {
  assert.equal(centsText(61250, "de"), "612,50");
  assert.equal(centsText(61250, "en"), "612.50");
  assert.deepEqual(startTexts(FIELDS, "de"), { monthly_amount_cents: "612,00", period_from: "2025-03-01", remark: "" });
});

test("cents are sent; what is no amount goes to the server as typed; empty inputs are left out", () => {
  assert.deepEqual(valuesToSend(FIELDS, { monthly_amount_cents: "456,78", period_from: "2025-03-01", remark: " " }), {
    monthly_amount_cents: 45678,
    period_from: "2025-03-01",
  });
  assert.deepEqual(valuesToSend(FIELDS, { monthly_amount_cents: "viel" }), { monthly_amount_cents: "viel" });
});
