// The verdict after a scan: green "Gültig" or red with the reason, the plates large to
// compare with the car. Data from the pass is shown only once its signature verified
// (the verdict then carries claims).
import { useEffect, useRef } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { formatDate, t } from "../../lib/i18n.js";
import { dayToIso } from "../../lib/passes/days.js";

export function Verdict({ verdict, zone, onNext }) {
  const heading = useRef(null);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: "start" });
  }, [verdict]);
  const claims = verdict.claims;
  const from = claims ? formatDate(dayToIso(claims.validFrom)) : "";
  const to = claims ? formatDate(dayToIso(claims.validTo)) : "";
  const reasonKey = verdict.reason === "valid" && !zone ? "valid_no_zone" : verdict.reason;
  return (
    <section
      class={verdict.valid ? "verdict verdict--valid" : "verdict verdict--invalid"}
      aria-labelledby="verdict-title"
      data-reason={verdict.reason}
    >
      <div class="verdict__banner">
        <h2 class="verdict__title" id="verdict-title" tabIndex={-1} ref={heading}>
          <span class="verdict__icon" aria-hidden="true">{verdict.valid ? "✓" : "✗"}</span>
          {t(`officer.verdict.${verdict.reason}`)}
        </h2>
        <p class="verdict__reason">{t(`officer.reason.${reasonKey}`, { zone: claims?.zone, checked: zone, from, to })}</p>
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
      <p class="verdict__timing">{t("officer.checked_in", { ms: Math.max(1, Math.round(verdict.ms)) })}</p>
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={onNext}>{t("officer.next")}</Button>
      </div>
    </section>
  );
}
