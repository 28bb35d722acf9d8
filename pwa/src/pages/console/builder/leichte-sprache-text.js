// The service's summary in Leichte Sprache as the builder's text area shows it, and back:
// the title on the first line, then parts of a heading line and one sentence per line,
// separated by blank lines.

/** The summary as the text area shows it. */
export function summaryText(summary) {
  if (!summary) return "";
  const parts = (summary.sections || []).map((section) => [section.heading, ...(section.sentences || [])].join("\n"));
  return [summary.title || "", ...parts].join("\n\n");
}

/** The text area's text as a summary (undefined when empty: the service has none). */
export function parseSummary(text) {
  const blocks = text
    .split(/\n[ \t]*\n/)
    .map((block) => block.split("\n").map((line) => line.trim()).filter(Boolean))
    .filter((lines) => lines.length);
  if (!blocks.length) return undefined;
  const [titleLines, ...rest] = blocks;
  // Lines right under the title (no blank line between) start the first part.
  const parts = titleLines.length > 1 ? [titleLines.slice(1), ...rest] : rest;
  return {
    title: titleLines[0],
    sections: parts.map(([heading, ...sentences]) => ({ heading, sentences })),
  };
}
