// Which refusals drop a queued satisfaction answer (pwa/src/lib/survey-outcome.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { isFinal } from "../src/lib/survey-outcome.js";

test("a refusal that would come again on every retry is final", () => {
  for (const status of [400, 403, 404, 410, 413, 422]) assert.equal(isFinal(status), true, String(status));
});

test("signed out, not yet submitted, busy, offline and server errors stay queued", () => {
  for (const status of [0, 401, 408, 409, 429, 500, 502, 503]) assert.equal(isFinal(status), false, String(status));
});
