// QR code reading from the camera: the browser's own BarcodeDetector where it reads QR
// codes (Android, macOS, ChromeOS), otherwise the barcode-detector polyfill. The
// polyfill's ZXing WebAssembly is served by the portal itself (hashed file in
// static/dist/assets), never from a CDN. Only officers' devices fetch it: the service
// worker caches it with the rest of the officers' screens (lib/role-assets.js), and
// both the polyfill and this file's chunk are loaded on the officers' screens only.
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

export { wasmUrl };

let detector = null;

async function nativeDetector() {
  if (typeof globalThis.BarcodeDetector !== "function") return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    return formats.includes("qr_code") ? new globalThis.BarcodeDetector({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

async function polyfillDetector() {
  const { BarcodeDetector, prepareZXingModule } = await import("barcode-detector/ponyfill");
  await prepareZXingModule({
    overrides: {
      locateFile: (path, prefix) => (path.endsWith(".wasm") ? new URL(wasmUrl, location.href).href : prefix + path),
    },
    fireImmediately: true,
  });
  return new BarcodeDetector({ formats: ["qr_code"] });
}

/** A detector with detect(source) → [{rawValue}], and which kind it is. */
export async function getDetector() {
  if (!detector) {
    const native = await nativeDetector();
    detector = native ? { kind: "native", instance: native } : { kind: "polyfill", instance: await polyfillDetector() };
  }
  return detector;
}
