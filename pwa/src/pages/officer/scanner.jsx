// The scanner: reads the QR code with the camera (native BarcodeDetector or the ZXing
// polyfill), verifies the pass on the device against the cached key set and revocation
// list, and shows the verdict in well under a second. Works offline after one sync.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Button } from "../../components/forms.jsx";
import { Page } from "../../components/page.jsx";
import { formatDateTime, locale, t } from "../../lib/i18n.js";
import { getDetector } from "../../lib/passes/detector.js";
import { lacksKey, NOT_SYNCED, scannerVerdict } from "../../lib/passes/readiness.js";
import { save } from "../../lib/passes/store.js";
import { dataAge, rememberSequence } from "../../lib/passes/sync.js";
import { verifyPass } from "../../lib/passes/verify.js";
import { useWakeLock } from "../../lib/passes/wake-lock.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { DataAges } from "./data-age.jsx";
import { RequireOfficer } from "./require-officer.jsx";
import { useScannerData, verifyOptions } from "./use-scanner-data.js";
import { Verdict } from "./verdict.jsx";

const SCAN_EVERY_MS = 120;
// An unknown kid with a key set older than this, and a network: fetch the keys first.
const REFRESH_KEYS_AFTER_MS = 60_000;

export function ScannerPage() {
  return (
    <RequireOfficer title={t("officer.scanner_title")}>
      <Scanner />
    </RequireOfficer>
  );
}

function Scanner() {
  const device = useScannerData();
  const { state, syncing, syncResult } = device;
  const [zone, setZone] = useState("");
  const [camera, setCamera] = useState("off");
  const [verdict, setVerdict] = useState(null);
  const [manual, setManual] = useState("");
  const [manualError, setManualError] = useState(null);
  const [, setTick] = useState(0);
  const lang = useSignal(locale);
  const video = useRef(null);
  const stream = useRef(null);
  const timer = useRef(null);
  const checking = useRef(false);
  useWakeLock(camera === "scanning" || camera === "starting");
  // The camera loop runs across renders: it reads the newest data and zone from here.
  const latest = useRef({});
  latest.current = { state, keyset: device.keyset, revoked: device.revoked, sequences: device.sequences, zone };
  const lastText = useRef(null);

  useEffect(() => {
    if (state && state.zone !== undefined) setZone(state.zone || "");
  }, [state === null]);
  // Ages tick on while the screen is open; the reader is prepared ahead of the first scan.
  useEffect(() => {
    const interval = setInterval(() => setTick((n) => n + 1), 30_000);
    getDetector().catch(() => {});
    return () => {
      clearInterval(interval);
      stopCamera();
    };
  }, []);

  // Keys arriving while "cannot check" shows: check the same pass again.
  useEffect(() => {
    if (device.keyset && verdict?.reason === NOT_SYNCED && lastText.current) check(lastText.current);
  }, [device.keyset]);

  const chooseZone = (value) => {
    setZone(value);
    save("zone", value).catch(() => {});
  };

  const check = async (text, decodedAt = performance.now()) => {
    lastText.current = text;
    const now = latest.current;
    let data = { state: now.state, keyset: now.keyset, revoked: now.revoked, latestSequences: now.sequences };
    const verify = () => verifyPass(text, { ...data, zone: now.zone || null });
    let result = await verify();
    // A key the device has not seen may have been published since the last sync.
    const keysetAge = now.state ? dataAge(now.state).keyset : null;
    if (lacksKey(result, data.keyset) && navigator.onLine && (keysetAge === null || keysetAge > REFRESH_KEYS_AFTER_MS)) {
      const synced = await device.sync(false);
      data = { state: synced.state, ...verifyOptions(synced) };
      result = await verify();
    }
    result = scannerVerdict(result, { keyset: data.keyset, keysetAge: data.state ? dataAge(data.state).keyset : null });
    const ms = performance.now() - decodedAt;
    if (result.claims) rememberSequence(result.claims).catch(() => {});
    navigator.vibrate?.(result.valid ? 80 : result.reason === NOT_SYNCED ? [100, 100, 100, 100, 100] : [200, 100, 200]);
    setVerdict({ ...result, ms, zone: now.zone || "", state: data.state });
  };

  function stopCamera() {
    clearTimeout(timer.current);
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    if (video.current) video.current.srcObject = null;
  }

  const scanLoop = async (detector) => {
    if (!stream.current || checking.current) return;
    try {
      if (video.current && video.current.readyState >= 2) {
        const codes = await detector.instance.detect(video.current);
        const code = codes.find((item) => item.rawValue?.startsWith("BPA1:")) || codes.find((item) => item.rawValue);
        if (code && stream.current) {
          const decodedAt = performance.now();
          checking.current = true;
          stopCamera();
          setCamera("off");
          await check(code.rawValue, decodedAt);
          checking.current = false;
          return;
        }
      }
    } catch {
      // A frame the reader could not take (e.g. while the video starts): try the next.
    }
    timer.current = setTimeout(() => scanLoop(detector), SCAN_EVERY_MS);
  };

  const startCamera = async () => {
    setVerdict(null);
    setCamera("starting");
    if (!navigator.mediaDevices?.getUserMedia) {
      setCamera("missing");
      return;
    }
    let detector;
    try {
      detector = await getDetector();
    } catch {
      setCamera("failed");
      return;
    }
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (error) {
      setCamera(error?.name === "NotAllowedError" || error?.name === "SecurityError" ? "denied" : "missing");
      return;
    }
    setCamera("scanning");
    const element = video.current;
    element.srcObject = stream.current;
    await element.play().catch(() => {});
    scanLoop(detector);
  };

  const next = () => {
    setVerdict(null);
    startCamera();
  };

  const submitManual = async (event) => {
    event.preventDefault();
    // Base45 may contain and end with spaces: only line breaks from pasting are removed.
    const text = manual.replace(/[\r\n]+/g, "");
    if (!text) {
      setManualError(t("officer.manual_empty"));
      return;
    }
    setManualError(null);
    stopCamera();
    setCamera("off");
    await check(text);
  };

  const age = state ? dataAge(state) : null;
  const missing = state && (!state.keyset || !state.revocations || !device.keyset);
  const syncMessage = syncResult && (syncResult.manual ? `officer.sync_${syncResult.outcome}` : syncResult.first ? "officer.sync_first" : null);
  const zones = state?.zones?.zones || [];
  const cameraMessage = { denied: "officer.camera_denied", missing: "officer.camera_missing", failed: "officer.camera_failed" }[camera];
  return (
    <Page title={t("officer.scanner_title")}>
      <p class="kern-body">{t("officer.scanner_intro")}</p>

      <section class="kern-stack scanner-data" aria-labelledby="data-heading">
        <h2 class="kern-heading-small" id="data-heading">{t("officer.data_heading")}</h2>
        {missing && (
          <Alert kind="warning" title={t("officer.missing_title")} live={false}>
            <p class="kern-body">{t("officer.missing_text")}</p>
          </Alert>
        )}
        {!missing && age?.stale && (
          <Alert kind="warning" title={t("officer.stale_title")} live={false}>
            <p class="kern-body">{t("officer.stale_text")}</p>
          </Alert>
        )}
        {state && (
          <DataAges state={state} key={lang}>
            {state.revocations && (
              <span class="scanner-data__detail">
                {" "}
                ({t("officer.list_version", { version: state.revocations.version, time: formatDateTime(new Date(state.revocations.issuedAt * 1000).toISOString()) })})
              </span>
            )}
          </DataAges>
        )}
        <div class="kern-btn-wrapper">
          <Button variant="secondary" onClick={() => device.sync(true)} disabled={syncing}>{syncing ? t("officer.syncing") : t("officer.sync")}</Button>
        </div>
        <div role="status" class="scanner-data__result">
          {syncMessage && <p class="kern-body">{t(syncMessage)}</p>}
        </div>
      </section>

      <div class="kern-form-input">
        <label class="kern-label" for="zone">{t("officer.zone_label")}</label>
        <div class="kern-form-input__select-wrapper">
          <select class="kern-form-input__select" id="zone" value={zone} onChange={(event) => chooseZone(event.currentTarget.value)}>
            <option value="">{t("officer.zone_none")}</option>
            {zones.map((item) => (
              <option key={item.code} value={item.code}>{t("officer.zone_option", { code: item.code, name: item.name })}</option>
            ))}
          </select>
        </div>
      </div>

      {verdict && <Verdict verdict={verdict} zone={verdict.zone} state={verdict.state} onNext={next} />}

      {!verdict && (
        <section class="kern-stack scanner-camera" aria-label={t("officer.camera_label")}>
          <video
            ref={video}
            class={camera === "scanning" ? "scanner-camera__video" : "scanner-camera__video scanner-camera__video--hidden"}
            muted
            playsInline
            aria-hidden="true"
          />
          {camera === "starting" && <p class="kern-body" role="status">{t("officer.camera_starting")}</p>}
          {camera === "scanning" && <p class="kern-body" role="status">{t("officer.camera_looking")}</p>}
          {cameraMessage && <Alert kind="warning" title={t(cameraMessage)} />}
          <div class="kern-btn-wrapper">
            {camera === "scanning" || camera === "starting" ? (
              <Button variant="secondary" onClick={() => { stopCamera(); setCamera("off"); }}>{t("officer.camera_stop")}</Button>
            ) : (
              <Button onClick={startCamera}>{t("officer.camera_start")}</Button>
            )}
          </div>
        </section>
      )}

      <section class="kern-stack" aria-labelledby="manual-heading">
        <h2 class="kern-heading-small" id="manual-heading">{t("officer.manual_heading")}</h2>
        <form class="kern-stack" onSubmit={submitManual} noValidate>
          <div class={manualError ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
            <label class="kern-label" for="pass-text">{t("officer.manual_label")}</label>
            <div class="kern-hint" id="pass-text-hint">{t("officer.manual_hint")}</div>
            {manualError && (
              <p class="kern-error" id="pass-text-error">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                <span class="kern-body">{manualError}</span>
              </p>
            )}
            <textarea
              class={manualError ? "kern-form-input__input kern-form-input__input--error" : "kern-form-input__input"}
              id="pass-text"
              rows={3}
              value={manual}
              spellcheck={false}
              autocomplete="off"
              autocapitalize="characters"
              aria-describedby={manualError ? "pass-text-hint pass-text-error" : "pass-text-hint"}
              aria-invalid={manualError ? "true" : undefined}
              onInput={(event) => setManual(event.currentTarget.value)}
            />
          </div>
          <div class="kern-btn-wrapper">
            <Button type="submit" variant="secondary">{t("officer.manual_check")}</Button>
          </div>
        </form>
      </section>

      <p>
        <Link class="kern-link" href="/kontrolle/kennzeichen">{t("officer.plate_link")}</Link>
      </p>
    </Page>
  );
}
