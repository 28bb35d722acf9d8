// The verdict after a scan: green "Gültig", red with the reason, or amber "Prüfung nicht
// möglich" when the device lacks the keys to tell; the plates large to compare with the
// car, and the age of the check data. Data from the pass is shown only once its
// signature verified (the verdict then carries claims).
import { useEffect, useRef } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { formatDate, t } from "../../lib/i18n.js";
import { dayToIso } from "../../lib/passes/days.js";
import { NOT_SYNCED } from "../../lib/passes/readiness.js";
import { DataAges } from "./data-age.jsx";

// Class names written out in full: the build keeps only CSS rules whose names it finds.
function look(verdict) {
  if (verdict.valid) return { className: "verdict verdict--valid", icon: "✓" };
  if (verdict.reason === NOT_SYNCED) return { className: "verdict verdict--unchecked", icon: "?" };
  return { className: "verdict verdict--invalid", icon: "✗" };
}

/** The reason's text key: "valid" says whether the zone was checked, "not_synced" why. */
function reasonKey(verdict, zone) {
  if (verdict.reason === "valid" && !zone) return "valid_no_zone";
  if (verdict.reason === NOT_SYNCED) return `${NOT_SYNCED}.${verdict.cause}`;
  return verdict.reason;
}

/** The verdict for ``verdict`` (scannerVerdict), checked in ``zone``, with data ``state``. */
export function Verdict({ verdict, zone, state, onNext }) {
  const heading = useRef(null);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: "start" });
  }, [verdict]);
  const claims = verdict.claims;
  const from = claims ? formatDate(dayToIso(claims.validFrom)) : "";
  const to = claims ? formatDate(dayToIso(claims.validTo)) : "";
  const { className, icon } = look(verdict);
  return (
    <section
      class={className}
      aria-labelledby="verdict-title"
      data-reason={verdict.reason}
    >
      <div class="verdict__banner">
        <h2 class="verdict__title" id="verdict-title" tabIndex={-1} ref={heading}>
          <span class="verdict__icon" aria-hidden="true">{icon}</span>
          {t(`officer.verdict.${verdict.reason}`)}
        </h2>
        <p class="verdict__reason">{t(`officer.reason.${reasonKey(verdict, zone)}`, { zone: claims?.zone, checked: zone, from, to })}</p>
      </div>
      {claims && (
        <>
          <p class="verdict__plates-label">{t("officer.plates_compare")}</p>
          <ul class="verdict__plates">
            {claims.plates.map((plate) => (
              <li key={plate}>{plate}</li>
            ))}
          </ul>
          <dl class="verdict__facts">
            <div>
              <dt>{t("officer.pass_zone")}</dt>
              <dd>{claims.zone}</dd>
            </div>
            <div>
              <dt>{t("officer.pass_validity")}</dt>
              <dd>{from} – {to}</dd>
            </div>
            <div>
              <dt>{t("officer.pass_number")}</dt>
              <dd>{claims.permitNo}</dd>
            </div>
          </dl>
        </>
      )}
      {state && (
        <div class="verdict__ages">
          <p class="verdict__ages-label">{t("officer.data_as_of")}</p>
          <DataAges state={state} scope="verdict-" />
        </div>
      )}
      <p class="verdict__timing">{t("officer.checked_in", { ms: Math.max(1, Math.round(verdict.ms)) })}</p>
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={onNext}>{t("officer.next")}</Button>
      </div>
    </section>
  );
}
