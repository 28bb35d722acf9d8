// Open payments (Bezahlplattform): the citizen's notices with their instalments, fees of
// applications still waiting for payment, and every payment made with its receipt.
import { DescriptionList } from "../../components/description-list.jsx";
import { Badge } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { formatDate, formatDateTime, formatMoney, pick, t } from "../../lib/i18n.js";
import { Link, queryParam, useLocation } from "../../lib/router.jsx";
import "./catalogue.js";
import { PayFlow, withParam } from "./pay-flow.jsx";
import { Refund } from "./refund.jsx";
import { DocumentLink } from "../../components/document-link.jsx";

const STATUS_KIND = { open: "info", overdue: "danger", paid: "success" };

function NoticeStatus({ status }) {
  return <Badge kind={STATUS_KIND[status] || "info"}>{t(`pay.status.${status}`)}</Badge>;
}

function kindName(kind) {
  const key = `pay.kind.${kind}`;
  const text = t(key);
  return text === key ? t("pay.kind.other") : text;
}

export function NoticesPage() {
  return (
    <RequireSignIn title={t("pay.notices_title")}>
      <Notices />
    </RequireSignIn>
  );
}

/** Payments with a receipt (or a transfer still expected), newest first. */
function PaymentList({ payments, labelled }) {
  const shown = (payments || []).filter(
    (payment) => payment.status === "succeeded" || payment.status === "refunded" || (payment.provider === "transfer" && !payment.finished),
  );
  if (!shown.length) return <p class="kern-body">{t("pay.history_empty")}</p>;
  return (
    <ul class="kern-list item-list" aria-labelledby={labelled}>
      {shown.map((payment) => (
        <li key={payment.id} class="item-list__item">
          <span class="kern-body">{payment.description || payment.purpose}</span>
          <span class="kern-body kern-body--small list-meta">
            {t("pay.history_item", {
              amount: formatMoney(payment.amount_cents),
              provider: payment.provider_label,
              date: formatDateTime(payment.succeeded_at || payment.created_at),
            })}
          </span>
          {payment.receipt_url ? (
            <DocumentLink href={payment.receipt_url} name={t("kiosk.receipt_named", { what: payment.description || payment.purpose })}>
              {t("pay.receipt_named", { what: payment.description || payment.purpose })}
            </DocumentLink>
          ) : (
            <Badge kind="warning">{t("pay.history_waiting")}</Badge>
          )}
        </li>
      ))}
    </ul>
  );
}

function Notices() {
  const notices = useResource("/api/notices");
  const applications = useResource("/api/applications");
  const payments = useResource("/api/payments");
  const open = (notices.data || []).filter((notice) => notice.status !== "paid");
  const paid = (notices.data || []).filter((notice) => notice.status === "paid");
  const waiting = (applications.data || []).filter((application) => application.status === "awaiting_payment");
  return (
    <Page title={t("pay.notices_title")}>
      <p class="kern-body">{t("pay.notices_intro")}</p>
      <LoadError error={!notices.data && notices.error} />
      {!notices.data && !notices.error && <Loading />}
      {notices.data && open.length === 0 && waiting.length === 0 && <p class="kern-body">{t("pay.notices_empty")}</p>}
      {open.length > 0 && (
        <section class="kern-stack" aria-labelledby="open-heading">
          <h2 class="kern-heading-medium" id="open-heading">
            {t("pay.open_heading")}
          </h2>
          <ul class="kern-list item-list">
            {open.map((notice) => (
              <li key={notice.id} class="item-list__item">
                <Link class="kern-link" href={`/zahlungen/${notice.id}`}>
                  {notice.title}
                </Link>
                <NoticeStatus status={notice.status} />
                <span class="kern-body list-meta">
                  {notice.collection === "direct_debit"
                    ? t("pay.notice_debit_amount", { amount: formatMoney(notice.open_cents) })
                    : t("pay.notice_open_amount", { amount: formatMoney(notice.open_cents) })}
                  {notice.next_due_date && ` · ${t("pay.notice_next_due", { date: formatDate(notice.next_due_date) })}`}
                </span>
                <span class="kern-body kern-body--small list-meta">
                  {kindName(notice.kind)} · {t("pay.kassenzeichen")} {notice.kassenzeichen}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {waiting.length > 0 && (
        <section class="kern-stack" aria-labelledby="waiting-heading">
          <h2 class="kern-heading-medium" id="waiting-heading">
            {t("pay.applications_heading")}
          </h2>
          <ul class="kern-list item-list">
            {waiting.map((application) => (
              <li key={application.id} class="item-list__item">
                <Link class="kern-link" href={`/antraege/${application.id}/bezahlen`}>
                  {pick(application.title)}
                </Link>
                <span class="kern-body list-meta">
                  {formatMoney(application.fee_cents)} · {t("pay.application_reference")} {application.reference_display}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {paid.length > 0 && (
        <section class="kern-stack" aria-labelledby="paid-heading">
          <h2 class="kern-heading-medium" id="paid-heading">
            {t("pay.paid_heading")}
          </h2>
          <ul class="kern-list item-list">
            {paid.map((notice) => (
              <li key={notice.id} class="item-list__item">
                <Link class="kern-link" href={`/zahlungen/${notice.id}`}>
                  {notice.title}
                </Link>
                <NoticeStatus status={notice.status} />
                <span class="kern-body kern-body--small list-meta">
                  {t("pay.notice_paid_total", { amount: formatMoney(notice.total_cents) })} · {t("pay.kassenzeichen")} {notice.kassenzeichen}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="kern-stack" aria-labelledby="history-heading">
        <h2 class="kern-heading-medium" id="history-heading">
          {t("pay.history_heading")}
        </h2>
        <LoadError error={!payments.data && payments.error} />
        {payments.data && <PaymentList payments={payments.data} labelled="history-heading" />}
      </section>
    </Page>
  );
}

export function NoticePage({ noticeId }) {
  return (
    <RequireSignIn title={t("pay.notices_title")}>
      <NoticeDetail noticeId={noticeId} />
    </RequireSignIn>
  );
}

function NoticeFacts({ notice }) {
  const rows = [
    [t("pay.kassenzeichen"), notice.kassenzeichen],
    [t("pay.issued_on"), formatDate(notice.issued_on)],
    [t("pay.total"), formatMoney(notice.total_cents)],
    [t("pay.open_amount"), formatMoney(notice.open_cents)],
  ];
  return (
    <dl class="kern-description-list">
      {rows.map(([label, value]) => (
        <div class="kern-description-list-item" key={label}>
          <dt class="kern-description-list-item__key">{label}</dt>
          <dd class="kern-description-list-item__value">{value}</dd>
        </div>
      ))}
      <div class="kern-description-list-item">
        <dt class="kern-description-list-item__key">{t("pay.state")}</dt>
        <dd class="kern-description-list-item__value">
          <NoticeStatus status={notice.status} />
        </dd>
      </div>
    </dl>
  );
}

const isDebit = (instalment) => instalment.collection === "direct_debit";

/** "Wird per Lastschrift eingezogen": the mandate and the creditor, instead of pay buttons. */
function DirectDebit({ notice }) {
  const mandate = notice.mandate || {};
  const rows = [
    [t("pay.debit_mandate"), mandate.reference],
    [t("pay.debit_account"), `${mandate.account_holder}, ${mandate.iban}`],
    [t("pay.debit_creditor"), `${mandate.creditor_name}, ${mandate.creditor_id}`],
  ];
  return (
    <section class="kern-stack" aria-labelledby="debit-heading">
      <h2 class="kern-heading-medium" id="debit-heading">
        {t("pay.debit_heading")}
      </h2>
      <p class="kern-body">{t("pay.debit_intro")}</p>
      <DescriptionList rows={rows} />
    </section>
  );
}

/** How the amount was computed: months × monthly rate for each period. */
function Computation({ notice }) {
  if (!notice.periods || !notice.periods.length) return null;
  return (
    <section class="kern-stack" aria-labelledby="computation-heading">
      <h2 class="kern-heading-medium" id="computation-heading">
        {t("pay.computation_heading")}
      </h2>
      <ul class="kern-list">
        {notice.periods.map((period) => (
          <li key={`${period.year}-${period.first_month}`} class="kern-body">
            {t("pay.computation_period", {
              from: period.first_month,
              to: period.last_month,
              year: period.year,
              months: period.months,
              monthly: formatMoney(period.monthly_cents),
              amount: formatMoney(period.amount_cents),
            })}
          </li>
        ))}
      </ul>
      <p class="kern-body kern-body--small">{t("pay.computation_rounding")}</p>
      {notice.ended_on && <p class="kern-body">{t("pay.ended_on", { date: formatDate(notice.ended_on) })}</p>}
      {notice.refund_cents > 0 && !notice.refund && <p class="kern-body">{t("pay.refund", { amount: formatMoney(notice.refund_cents) })}</p>}
    </section>
  );
}

function instalmentLine(instalment) {
  if (instalment.cancelled) return t("pay.instalment_cancelled", { date: formatDate(instalment.due_date) });
  if (instalment.paid) {
    return isDebit(instalment)
      ? t("pay.instalment_debited", { date: formatDate(instalment.collection_date || instalment.paid_at) })
      : t("pay.instalment_paid_at", { date: formatDate(instalment.paid_at) });
  }
  if (isDebit(instalment)) return t("pay.instalment_debit", { date: formatDate(instalment.collection_date || instalment.due_date) });
  return t("pay.instalment_due", { date: formatDate(instalment.due_date) });
}

function instalmentStatus(instalment) {
  if (instalment.cancelled) return <Badge kind="info">{t("pay.status.cancelled")}</Badge>;
  if (!instalment.paid && isDebit(instalment)) return <Badge kind="info">{t("pay.status.direct_debit")}</Badge>;
  return <NoticeStatus status={instalment.paid ? "paid" : instalment.overdue ? "overdue" : "open"} />;
}

function NoticeDetail({ noticeId }) {
  const { data: notice, error, reload } = useResource(`/api/notices/${encodeURIComponent(noticeId)}`);
  if (!notice) {
    return (
      <Page title={t("pay.notices_title")}>
        {error ? <LoadError error={error.status === 404 ? { message: t("pay.not_found") } : error} /> : <Loading />}
        <p>
          <Link class="kern-link" href="/zahlungen">
            {t("pay.back_notices")}
          </Link>
        </p>
      </Page>
    );
  }
  // Only what the citizen pays themselves gets a pay button (not debits, not cancelled).
  const open = notice.instalments.filter((instalment) => !instalment.paid && !instalment.cancelled && !isDebit(instalment));
  const payHref = (instalment) => `/zahlungen/${notice.id}/bezahlen${instalment ? `?rate=${instalment.id}` : ""}`;
  return (
    <Page title={notice.title} caption={kindName(notice.kind)}>
      {notice.description && <p class="kern-body">{notice.description}</p>}
      <NoticeFacts notice={notice} />
      {notice.collection === "direct_debit" && <DirectDebit notice={notice} />}
      <Computation notice={notice} />
      <Refund notice={notice} onChanged={reload} />
      <section class="kern-stack" aria-labelledby="instalments-heading">
        <h2 class="kern-heading-medium" id="instalments-heading">
          {t("pay.instalments_heading")}
        </h2>
        <ul class="kern-list item-list">
          {notice.instalments.map((instalment) => (
            <li key={instalment.id} class="item-list__item">
              <strong class="kern-body">
                {t("pay.instalment", { number: instalment.number })}: {formatMoney(instalment.amount_cents)}
              </strong>
              {instalmentStatus(instalment)}
              <span class="kern-body kern-body--small list-meta">{instalmentLine(instalment)}</span>
              {open.includes(instalment) && (
                <Link class="kern-btn kern-btn--secondary" href={payHref(instalment)}>
                  <span class="kern-label">{t("pay.instalment_pay", { number: instalment.number })}</span>
                </Link>
              )}
            </li>
          ))}
        </ul>
        {open.length > 1 && (
          <div class="kern-btn-wrapper">
            <Link class="kern-btn kern-btn--primary" href={payHref(null)}>
              <span class="kern-label">{t("pay.pay_rest", { amount: formatMoney(notice.payable_cents) })}</span>
            </Link>
          </div>
        )}
      </section>
      <section class="kern-stack" aria-labelledby="notice-payments-heading">
        <h2 class="kern-heading-medium" id="notice-payments-heading">
          {t("pay.payments_heading")}
        </h2>
        <PaymentList payments={notice.payments} labelled="notice-payments-heading" />
      </section>
      <p>
        <Link class="kern-link" href="/zahlungen">
          {t("pay.back_notices")}
        </Link>
      </p>
    </Page>
  );
}

export function NoticePayPage({ noticeId }) {
  return (
    <RequireSignIn title={t("pay.notices_title")}>
      <NoticePay noticeId={noticeId} />
    </RequireSignIn>
  );
}

function NoticePay({ noticeId }) {
  const { search } = useLocation();
  const rate = queryParam(search, "rate");
  const { data: notice, error, reload } = useResource(`/api/notices/${encodeURIComponent(noticeId)}`);
  if (!notice) {
    return (
      <Page title={t("pay.notices_title")}>
        {error ? <LoadError error={error.status === 404 ? { message: t("pay.not_found") } : error} /> : <Loading />}
      </Page>
    );
  }
  const instalment = rate ? notice.instalments.find((item) => item.id === rate) : null;
  const amount = instalment ? instalment.amount_cents : notice.payable_cents;
  const returnPath = withParam(`/zahlungen/${notice.id}/bezahlen`, "rate", instalment ? instalment.id : null);
  const returning = Boolean(queryParam(search, "payment"));
  const settled = instalment ? instalment.paid || instalment.cancelled || isDebit(instalment) : notice.payable_cents === 0;
  const rows = [
    [t("pay.kassenzeichen"), notice.kassenzeichen],
    [instalment ? t("pay.instalment", { number: instalment.number }) : t("pay.what_rest"), formatMoney(amount)],
  ];
  if (instalment) rows.push([t("pay.due"), formatDate(instalment.due_date)]);
  return (
    <Page title={t("pay.what_heading")} caption={notice.title}>
      <DescriptionList rows={rows} />
      {settled && !returning ? (
        <p class="kern-body">{t(notice.collection === "direct_debit" ? "pay.debit_nothing_to_pay" : "pay.nothing_due")}</p>
      ) : (
        <PayFlow
          subjectType={instalment ? "instalment" : "notice"}
          subjectId={instalment ? instalment.id : notice.id}
          returnPath={returnPath}
          onFinished={reload}
        />
      )}
      <p>
        <Link class="kern-link" href={`/zahlungen/${notice.id}`}>
          {t("pay.back_notice")}
        </Link>
      </p>
    </Page>
  );
}
