// How old the check data on the device is (key set and revocation list), shown on the
// scanner and on every verdict: an officer must see whether a "valid" rests on an old
// revocation list.
import { formatDateTime, locale, t } from "../../lib/i18n.js";
import { dataAge } from "../../lib/passes/sync.js";

const DAY_MS = 24 * 3600 * 1000;

/** "gerade eben", "vor 3 Minuten", "vor 25 Stunden"; from two days on the date itself. */
export function ageText(ms, fetchedAt) {
  if (ms < 60_000) return t("officer.age.now");
  const format = new Intl.RelativeTimeFormat(locale.get() === "en" ? "en-GB" : "de-DE", { numeric: "always" });
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return format.format(-minutes, "minute");
  if (ms < 2 * DAY_MS) return format.format(-Math.round(minutes / 60), "hour");
  return t("officer.age.on", { date: formatDateTime(new Date(fetchedAt).toISOString()) });
}

function Age({ record, ms, name }) {
  if (!record) return <span data-age={name}>{t("officer.never")}</span>;
  return (
    <span data-age={name}>
      {t("officer.synced", { age: ageText(ms, record.fetchedAt) })}
    </span>
  );
}

/**
 * The ages of key set and revocation list in ``state`` (the stored records). ``scope``
 * prefixes the data-age attributes where the list appears a second time on a screen.
 */
export function DataAges({ state, scope = "", children }) {
  const age = dataAge(state);
  return (
    <ul class="scanner-data__list">
      <li>
        <span class="scanner-data__name">{t("officer.keys")}:</span>{" "}
        <Age record={state.keyset} ms={age.keyset} name={`${scope}keyset`} />
      </li>
      <li>
        <span class="scanner-data__name">{t("officer.revocations")}:</span>{" "}
        <Age record={state.revocations} ms={age.revocations} name={`${scope}revocations`} />
        {children}
      </li>
    </ul>
  );
}
