// Who may open which console screen (pwa/src/pages/console/sections.js): admins all,
// the statistics role its sections only, everyone else none.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SECTIONS, consoleHome, mayOpenPath } from "../src/pages/console/sections.js";

const admin = { role: "admin" };
const statistics = { role: "statistics" };
const clerk = { role: "staff", areas: ["umwelt"] };

test("admins open every section and start at the overview", () => {
  for (const section of SECTIONS) assert.ok(mayOpenPath(admin, section.path), section.path);
  assert.ok(mayOpenPath(admin, "/verwaltung/dienste/waste_bins"));
  assert.equal(consoleHome(admin), "/verwaltung");
});

test("the statistics role opens the statistics and the surveys only", () => {
  assert.ok(mayOpenPath(statistics, "/verwaltung/statistik"));
  assert.ok(mayOpenPath(statistics, "/verwaltung/umfragen"));
  assert.ok(mayOpenPath(statistics, "/verwaltung/umfragen/zufriedenheit"));
  for (const path of ["/verwaltung", "/verwaltung/dienste", "/verwaltung/benutzer", "/verwaltung/protokoll", "/verwaltung/statistikx"]) {
    assert.equal(mayOpenPath(statistics, path), false, path);
  }
  assert.equal(consoleHome(statistics), "/verwaltung/statistik");
});

test("clerks, officers, citizens and nobody open nothing", () => {
  for (const user of [clerk, { role: "officer" }, { role: "citizen" }, null, undefined]) {
    assert.equal(mayOpenPath(user, "/verwaltung/statistik"), false);
    assert.equal(consoleHome(user), null);
  }
});
