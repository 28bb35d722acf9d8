// The builder's "Anleitung" (pwa/src/pages/console/builder/guide-model.js): what the
// guide derives by itself, how answers from the field components become examples, the
// guide kept free of empty parts, notes and examples left without their step or field,
// and fields the examples themselves hide.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  boundsFromToday,
  derivedBefore,
  exampleValue,
  guideSteps,
  hiddenByExamples,
  isRelativeDate,
  strayParts,
  takesNoExample,
  tidyGuide,
  withGuidePart,
} from "../src/pages/console/builder/guide-model.js";

const text = (de) => ({ de, en: de });

function dogTax() {
  return {
    id: "dogs_demo",
    trust_level: "basic",
    steps: [
      {
        id: "holder",
        title: text("Halter"),
        fields: [
          { id: "holder_name", type: "text", label: text("Name") },
          { id: "holder_address", type: "address", label: text("Anschrift") },
          { id: "previous_owner", type: "checkbox", label: text("Vorbesitzer") },
          { id: "previous_name", type: "text", label: text("Name des Vorbesitzers"), visible_if: { field: "previous_owner", is_true: true } },
        ],
      },
      {
        id: "dogs",
        title: text("Hunde"),
        fields: [
          {
            id: "dogs",
            type: "repeat",
            label: text("Hunde"),
            fields: [
              { id: "dog_name", type: "text", label: text("Name") },
              { id: "dangerous", type: "checkbox", label: text("Gefährlich") },
              { id: "dangerous_since", type: "date", label: text("Seit"), visible_if: { field: "dangerous", is_true: true } },
              { id: "certificate", type: "file", label: text("Nachweis"), accept: ["application/pdf"], max_size_bytes: 1000 },
            ],
          },
          { id: "weight", type: "number", label: text("Gewicht") },
        ],
      },
      { title: text("Ohne Kennung"), fields: [] },
    ],
  };
}

test("the guide derives ID card, IBAN, documents and payment from the definition", () => {
  assert.deepEqual(derivedBefore(dogTax()), [{ kind: "documents", fields: [text("Nachweis")] }]);
  const high = { ...dogTax(), trust_level: "high", fees: { rules: [{ id: "fee" }] } };
  high.steps[0].fields.push({ id: "iban", type: "iban", label: text("IBAN") });
  assert.deepEqual(
    derivedBefore(high).map((item) => item.kind),
    ["eid", "iban", "documents", "payment"],
  );
  assert.deepEqual(derivedBefore({ steps: [] }), []);
});

test("steps without an id are left out; fields keep the form's order", () => {
  const steps = guideSteps(dogTax());
  assert.deepEqual(
    steps.map(({ step }) => step.id),
    ["holder", "dogs"],
  );
  assert.deepEqual(
    steps[1].fields.map((field) => field.id),
    ["dogs", "weight"],
  );
});

test("answers from the field components become examples", () => {
  const [holder, dogs] = guideSteps(dogTax());
  const [name, address, previous] = holder.fields;
  const [group, weight] = dogs.fields;
  assert.equal(exampleValue(name, "  "), undefined);
  assert.equal(exampleValue(name, "Erika "), "Erika ");
  assert.equal(exampleValue(address, "city"), "city");
  assert.deepEqual(exampleValue(address, { street: "Markt", house_number: "" }), { street: "Markt" });
  assert.equal(exampleValue(address, { street: " ", house_number: "" }), undefined);
  assert.equal(exampleValue(previous, false), false);
  assert.equal(exampleValue(previous, undefined), undefined);
  assert.equal(exampleValue(weight, "12"), 12);
  assert.equal(exampleValue(weight, "12,5"), "12,5");
  assert.equal(exampleValue({ id: "kind", type: "select" }, null), undefined);
  assert.deepEqual(exampleValue(group, [{ dog_name: "Bello", dangerous: false, dangerous_since: "" }, {}]), [{ dog_name: "Bello", dangerous: false }, {}]);
  assert.equal(exampleValue(group, []), undefined);
  assert.ok(takesNoExample(group.fields[3]));
  assert.ok(takesNoExample({ type: "select", options_from: "kita_facilities" }));
  assert.equal(takesNoExample(name), false);
});

test("the guide keeps no empty parts and goes when nothing is left", () => {
  let definition = withGuidePart(dogTax(), ["examples", "holder_name"], "Erika Mustermann");
  definition = withGuidePart(definition, ["steps", "holder"], text("Ihr Name"));
  assert.deepEqual(definition.guide, { examples: { holder_name: "Erika Mustermann" }, steps: { holder: text("Ihr Name") } });
  definition = withGuidePart(definition, ["examples", "holder_name"], undefined);
  assert.deepEqual(definition.guide, { steps: { holder: text("Ihr Name") } });
  definition = withGuidePart(definition, ["steps", "holder"], undefined);
  assert.equal("guide" in definition, false);
  assert.equal(tidyGuide({ before: [], steps: {}, after: undefined }), undefined);
  assert.deepEqual(tidyGuide({ before: [text("Impfpass")] }), { before: [text("Impfpass")] });
});

test("notes and examples of steps and fields the form no longer has are found", () => {
  const definition = { ...dogTax(), guide: { steps: { holder: text("a"), owner: text("b") }, examples: { holder_name: "x", dog_count: 2 } } };
  assert.deepEqual(strayParts(definition), { steps: ["owner"], examples: ["dog_count"] });
});

test("fields the other examples hide are named, in repeat items too", () => {
  const definition = {
    ...dogTax(),
    guide: { examples: { previous_owner: false, previous_name: "Max", dogs: [{ dog_name: "Bello", dangerous: true }, { dog_name: "Luna" }] } },
  };
  const hidden = hiddenByExamples(definition);
  assert.deepEqual([...hidden.top], ["previous_name"]);
  assert.deepEqual(
    hidden.items.dogs.map((set) => [...set]),
    [[], ["dangerous_since"]],
  );
  // A definition still being written hides nothing rather than breaking the section.
  assert.deepEqual([...hiddenByExamples({ steps: [{ id: "x", fields: [{ id: "a", type: "text", visible_if: { all: "no" } }] }] }).top], []);
});

test("a date example is relative where the field's bounds count from today", () => {
  for (const value of ["today", "-30y", "+5wd", "-14d", "+2w", "+3m"]) assert.equal(isRelativeDate(value), true, value);
  for (const value of ["2024-03-14", "30y", "-y", "+5x", "", undefined, 3]) assert.equal(isRelativeDate(value), false, String(value));
  assert.equal(boundsFromToday({ type: "date", min_date: "-120y", max_date: "today" }), true);
  assert.equal(boundsFromToday({ type: "date", min_date: "2024-01-01" }), false);
  assert.equal(boundsFromToday({ type: "date" }), false);
  assert.equal(derivedBefore({ trust_level: "substantial", steps: [] }).some((item) => item.kind === "substantial"), true);
});
