// The builder's hand-off targets: which settings survive a change of backend, and the
// environment variable a webhook's secret name stands for.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BACKEND_SETTINGS, settingsFor, webhookSecretVariable } from "../src/pages/console/builder/handoff-settings.js";

test("a change of backend keeps only the settings the new one knows", () => {
  const webhook = { url: "https://fach.example/antraege", secret: "steueramt" };
  assert.deepEqual(settingsFor("email", { ...webhook, to: "steueramt@stadt.example" }), { to: "steueramt@stadt.example" });
  assert.deepEqual(settingsFor("webhook", webhook), webhook);
  assert.deepEqual(settingsFor("fit_connect", webhook), {});
});

test("a city's own backend keeps every setting, and a broken value becomes none", () => {
  assert.deepEqual(settingsFor("city_archive", { folder: "a" }), { folder: "a" });
  assert.deepEqual(settingsFor("email", "{not json"), {});
  assert.deepEqual(settingsFor("webhook", ["url"]), {});
  assert.deepEqual(settingsFor("webhook", undefined), {});
});

test("every built-in backend lists its required settings first", () => {
  for (const [backend, settings] of Object.entries(BACKEND_SETTINGS)) {
    const required = settings.map((item) => Boolean(item.required));
    assert.deepEqual(required, [...required].sort((a, b) => b - a), backend);
  }
});

test("a webhook's secret name stands for an environment variable", () => {
  assert.equal(webhookSecretVariable("steueramt"), "HANDOFF_WEBHOOK_SECRET_STEUERAMT");
});
