// Draws the pass as a QR code from its text, on the device (so the wallet shows it
// offline): alphanumeric mode, error correction Q, smallest version that fits, the
// mask with the lowest penalty, as docs/pass-format.md section 6 prescribes.
import qrcode from "qrcode-generator";

/** The QR symbol as an SVG path ("M x y h1 v1 h-1 z" per dark module) and its size. */
export function qrPath(text) {
  const code = qrcode(0, "Q");
  code.addData(text, "Alphanumeric");
  code.make();
  const size = code.getModuleCount();
  let path = "";
  for (let row = 0; row < size; row += 1) {
    let col = 0;
    while (col < size) {
      if (!code.isDark(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < size && code.isDark(row, col)) col += 1;
      path += `M${start} ${row}h${col - start}v1h${start - col}z`;
    }
  }
  return { size, path };
}
