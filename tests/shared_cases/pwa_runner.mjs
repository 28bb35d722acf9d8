// Runs the shared field-type cases against the PWA's form logic, without a build: it
// imports the plain ES modules the PWA bundles and prints one JSON result per case.
// Input (stdin): {kind: "validation" | "conditions" | "fees", cases: [{id, today, ...}]}.
import { readFileSync } from "node:fs";
import { parseIso } from "../../pwa/src/lib/form/dates.js";
import { evaluate } from "../../pwa/src/lib/form/conditions.js";
import { activeWarnings, computeFees } from "../../pwa/src/lib/form/fees.js";
import { buildPages } from "../../pwa/src/lib/form/pages.js";
import { validateAll } from "../../pwa/src/lib/form/validate.js";

function validation(item, today) {
  const pages = buildPages(item.definition, item.answers, today);
  const errors = validateAll(item.definition, pages, item.answers, today).map(({ path, code, params }) => ({ path, code, params }));
  const warnings = activeWarnings(item.definition, item.answers, today).map(({ warning, path }) => ({ path, code: `warning.${warning.id}` }));
  return { errors, warnings };
}

function conditions(item, today) {
  return evaluate(item.condition, (name) => item.values[name], today);
}

function fees(item, today) {
  const result = computeFees(item.definition, item.answers, today);
  return { total_cents: result.total_cents, lines: result.lines.map((line) => [line.rule, line.quantity, line.unit_cents]) };
}

const run = { validation, conditions, fees };
const input = JSON.parse(readFileSync(0, "utf8"));
const results = {};
for (const item of input.cases) {
  try {
    results[item.id] = { result: run[input.kind](item, parseIso(item.today)) };
  } catch (error) {
    results[item.id] = { error: String(error?.stack || error) };
  }
}
process.stdout.write(JSON.stringify(results));
