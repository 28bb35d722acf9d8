// The statistics' client-side CSV (pwa/src/pages/console/statistics/csv.js): what a
// German spreadsheet opens without asking.
import assert from "node:assert/strict";
import { test } from "node:test";
import { csvName, formatNumber, toCsv } from "../src/pages/console/statistics/csv.js";

test("a byte order mark, semicolons and CRLF line ends", () => {
  const text = toCsv(["Zeitraum", "Online"], [["2026-01", "12"], ["Gesamt", "1.234"]]);
  assert.equal(text, "\uFEFFZeitraum;Online\r\n2026-01;12\r\nGesamt;1.234\r\n");
});

test("cells with separators, quotes or line breaks are quoted", () => {
  const text = toCsv(["a"], [["x;y"], ['sagt "ja"'], ["zwei\nZeilen"], [null]]);
  assert.equal(text, '\uFEFFa\r\n"x;y"\r\n"sagt ""ja"""\r\n"zwei\nZeilen"\r\n\r\n');
});

test("numbers in German format", () => {
  assert.equal(formatNumber(54.5454, 1), "54,5");
  assert.equal(formatNumber(1234567), "1.234.567");
  assert.equal(formatNumber(0.5, 1, "en"), "0.5");
});

test("file names from captions", () => {
  assert.equal(csvName("Online-Quote je Zeitraum"), "online-quote-je-zeitraum.csv");
  assert.equal(csvName("Zahlungen je Zahlart (Übersicht)"), "zahlungen-je-zahlart-uebersicht.csv");
  assert.equal(csvName("…"), "tabelle.csv");
});
