// The pass as a QR code, drawn on the device from the pass text (works offline). Black
// on white with the 4-module quiet zone, scaled to the screen width.
import { useMemo } from "preact/hooks";
import { qrPath } from "../../lib/passes/qr.js";

export function PassQrCode({ text, label }) {
  const { size, path } = useMemo(() => qrPath(text), [text]);
  const full = size + 8;
  return (
    <svg
      class="pass-qr__code"
      viewBox={`-4 -4 ${full} ${full}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect x="-4" y="-4" width={full} height={full} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
