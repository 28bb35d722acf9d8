// Which input shows each field type (components/fields.jsx picks it from here). The
// server's field type registry (app/service_definitions/field_types) must list the same
// types: tests/service_definitions/test_field_type_registry.py compares the two.
export const RENDERER_BY_TYPE = Object.freeze({
  text: "text",
  textarea: "text",
  number: "text",
  date: "text",
  email: "text",
  phone: "text",
  iban: "text",
  licence_plate: "text",
  select: "choice",
  radio: "choice",
  checkbox: "checkbox",
  address: "address",
  file: "file",
  // A repeat group is not one input: its items become pages of their own (pages.js).
  repeat: "group",
});
