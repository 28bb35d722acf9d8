// Tables as CSV files made in the browser: the figures the screen shows, in the form a
// German spreadsheet opens without asking (UTF-8 with BOM, ";" between cells, decimal
// comma), so nothing is sent to the server to download what is already on screen.

/** A number the way the table and the CSV write it (German grouping and decimal comma). */
export function formatNumber(value, digits = 0, lang = "de") {
  return new Intl.NumberFormat(lang === "en" ? "en-GB" : "de-DE", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

function cell(value) {
  const text = value === null || value === undefined ? "" : String(value);
  // Quote cells holding the separator, quotes or line breaks (RFC 4180 style).
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text of a table: a byte order mark, the head, then one line per row. */
export function toCsv(head, rows) {
  const lines = [head, ...rows].map((row) => row.map(cell).join(";"));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** A file name from a caption: lower case letters, digits and dashes only. */
export function csvName(caption) {
  const base = caption
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${base || "tabelle"}.csv`;
}

/** Offers ``text`` as a file download named ``filename``. */
export function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
