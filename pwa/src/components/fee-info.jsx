// Fees: the rules of a service before starting, and the computed statement on the check page.
import { formatMoney, pick, t } from "../lib/i18n.js";

const PERIOD_KEYS = { yearly: "fees.per_year", once: "fees.once" };

/** What a service costs, in words, from its rules (before anything is answered). */
export function FeeRules({ definition }) {
  const fees = definition.fees;
  if (!fees?.rules?.length) return <p class="kern-body">{t("fees.none")}</p>;
  const rows = [];
  for (const rule of fees.rules) {
    if (rule.kind === "tiered") {
      for (const tier of rule.tiers) rows.push([pick(tier.label || rule.label), tier.unit_cents]);
    } else {
      rows.push([pick(rule.label), rule.amount_cents]);
    }
  }
  return (
    <>
      <dl class="kern-description-list">
        {rows.map(([label, cents]) => (
          <div class="kern-description-list-item" key={label}>
            <dt class="kern-description-list-item__key">{label}</dt>
            <dd class="kern-description-list-item__value">
              {formatMoney(cents)} {t(PERIOD_KEYS[fees.period] || "fees.once")}
            </dd>
          </div>
        ))}
      </dl>
      {fees.note && <p class="kern-body">{pick(fees.note)}</p>}
    </>
  );
}

export function FeeStatement({ fees, note }) {
  if (!fees.lines.length) return <p class="kern-body">{t("fees.none")}</p>;
  // A narrow column (a phone at 200 % zoom, the builder's preview) may scroll the table:
  // then it must be reachable and named for keyboard users.
  return (
    <div class="kern-table-responsive" tabIndex={0} role="region" aria-label={t("fees.caption")}>
      <table class="kern-table">
        <caption class="visually-hidden">{t("fees.caption")}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">{t("fees.item")}</th>
            <th class="kern-table__header kern-table__header--numeric" scope="col">{t("fees.amount")}</th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {fees.lines.map((line) => (
            <tr class="kern-table__row" key={`${line.rule}-${pick(line.label)}`}>
              <td class="kern-table__cell">
                {pick(line.label)}
                {line.quantity > 1 && ` (${line.quantity} × ${formatMoney(line.unit_cents)})`}
              </td>
              <td class="kern-table__cell kern-table__cell--numeric">{formatMoney(line.amount_cents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot class="kern-table__footer">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="row">
              {t("fees.total")} {fees.period === "yearly" && t("fees.per_year")}
            </th>
            <td class="kern-table__cell kern-table__cell--numeric">
              <strong>{formatMoney(fees.total_cents)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      {note && <p class="kern-body">{pick(note)}</p>}
    </div>
  );
}

export function PaymentPolicy({ policy }) {
  if (!policy || policy === "none") return null;
  return <p class="kern-body">{t(policy === "before_submission" ? "fees.pay_before" : "fees.pay_after")}</p>;
}
