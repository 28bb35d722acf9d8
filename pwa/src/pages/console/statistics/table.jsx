// The figures of a chart as a table: the same cells on screen and in the CSV download.
// A cell is {kind, value}: "text", "count" (suppressed counts are null and read "weniger
// als 5", never 0), "share" (0..1, written as percent), "hours"; ratios and medians the
// server left out (too few cases) read "keine Angabe".
import { Button } from "../../../components/forms.jsx";
import { locale, t } from "../../../lib/i18n.js";
import { csvName, download, formatNumber, toCsv } from "./csv.js";

export const text = (value) => ({ kind: "text", value });
export const count = (value) => ({ kind: "count", value });
export const share = (value) => ({ kind: "share", value });
export const hours = (value) => ({ kind: "hours", value });

/** A cell as text; ``lang`` chooses the number format (the CSV is always German). */
export function cellText(cell, lang = locale.get()) {
  const { kind, value } = cell;
  if (kind === "text") return value ?? "";
  if (kind === "count") return value === null || value === undefined ? t("console.statistics.fewer_than") : formatNumber(value, 0, lang);
  if (value === null || value === undefined) return t("console.statistics.no_figure");
  if (kind === "share") return `${formatNumber(value * 100, 1, lang)} %`;
  if (kind === "hours") return t("console.statistics.hours_value", { value: formatNumber(value, 1, lang) });
  return String(value);
}

/**
 * A table with a visible caption, column headers and row headers (the first cell of each
 * row), and a button that downloads the same table as CSV.
 */
export function FigureTable({ id, caption, head, rows }) {
  const save = () => download(csvName(caption), toCsv(head, rows.map((row) => row.map((cell) => cellText(cell, "de")))));
  return (
    <div class="stats-table">
      <div class="kern-table-responsive city-table" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
        <table class="kern-table kern-table--small" id={id}>
          <caption class="city-table__caption" id={`${id}-caption`}>
            {caption}
          </caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              {head.map((label) => (
                <th class="kern-table__header" scope="col" key={label}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {rows.map((row) => (
              <tr class="kern-table__row" key={row[0].value}>
                <th class="kern-table__header" scope="row">
                  {cellText(row[0])}
                </th>
                {row.slice(1).map((cell, index) => (
                  <td class={cell.kind === "text" ? "kern-table__cell" : "kern-table__cell stats-number"} key={index}>
                    {cellText(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={save} aria-describedby={`${id}-caption`}>
          {t("console.statistics.csv")}
        </Button>
      </div>
    </div>
  );
}
