// Printing a document at the Bürgerbüro terminal instead of saving it there: the PDF is
// fetched, put into a hidden frame as a blob: address of this origin, and that frame's
// print() is called. Chromium started with --kiosk-printing prints without a dialog
// (docs/kiosk.md). The frame is reused; the reload at the end of the visit removes it.
const FRAME_ID = "kiosk-print-frame";

function printFrame(title) {
  let frame = document.getElementById(FRAME_ID);
  if (!frame) {
    frame = document.createElement("iframe");
    frame.id = FRAME_ID;
    frame.className = "kiosk-print-frame";
    frame.tabIndex = -1;
    frame.setAttribute("aria-hidden", "true");
    document.body.append(frame);
  }
  frame.title = title;
  return frame;
}

/** Fetch the document at ``href`` and print it; resolves once printing was asked for. */
export async function printDocument(href, title) {
  const response = await fetch(href, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const blob = await response.blob();
  const frame = printFrame(title);
  const previous = frame.dataset.url;
  const url = URL.createObjectURL(blob.type === "application/pdf" ? blob : new Blob([blob], { type: "application/pdf" }));
  frame.dataset.url = url;
  await new Promise((resolve) => {
    frame.onload = resolve;
    frame.src = url;
  });
  if (previous) URL.revokeObjectURL(previous);
  frame.contentWindow?.focus();
  frame.contentWindow?.print();
}
