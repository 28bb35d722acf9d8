// Which caches the Bürgerbüro terminal's wipe keeps (pwa/src/lib/cache-names.js): the
// app shell and public data only, never the personal cache or an unknown one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PERSONAL_CACHE, isPublicCache, roleCacheName } from "../src/lib/cache-names.js";

test("the app shell, the catalogue, definitions and role assets stay", () => {
  for (const name of ["workbox-precache-v2-http://localhost:5000/", "catalogue", "definitions", roleCacheName("officer")]) {
    assert.ok(isPublicCache(name), name);
  }
});

test("personal data and caches nobody declared public go", () => {
  for (const name of [PERSONAL_CACHE, "workbox-runtime", "passes", "catalogue-old", ""]) {
    assert.equal(isPublicCache(name), false, name);
  }
});
