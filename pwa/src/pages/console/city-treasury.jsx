// The treasury (Kasse) in the console: find notices and import them from the finance
// system's CSV, find a payment by Kassenzeichen and book a received transfer, make and
// download the SEPA direct debit files (pain.008) and the refund files (pain.001).
import { useRef, useState } from "preact/hooks";
import { Alert, Badge, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { asActionError, useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api, apiUpload } from "../../lib/api.js";
import { formatDate, formatDateTime, formatMoney, t } from "../../lib/i18n.js";
import { Confirm, DataTable, FileInput } from "./city-shared.jsx";
import { ConsolePage } from "./layout.jsx";
import "./city.css";

export function ConsoleTreasuryPage() {
  return (
    <ConsolePage title={t("console.treasury.title")}>
      <div class="kern-stack city-page">
        <p class="kern-body">{t("console.treasury.intro")}</p>
        <NoticeSearch />
        <NoticeImport />
        <PaymentSearch />
        <SepaExports />
        <RefundExports />
      </div>
    </ConsolePage>
  );
}

const NOTICE_BADGE = { open: "info", overdue: "warning", paid: "success" };

// --- Notices --------------------------------------------------------------------------------

function NoticeSearch() {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction({
    onError: (caught) => {
      setAttempt((count) => count + 1);
      return asActionError(caught);
    },
  });
  const search = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    const text = query.trim();
    if (!text) return setError({ message: null, fieldErrors: [{ field: "notice-q", message: t("console.treasury.query_needed") }] });
    const param = text.includes("@") ? `email=${encodeURIComponent(text)}` : `kassenzeichen=${encodeURIComponent(text)}`;
    run(async () => setFound(await api("GET", `/api/staff/notices?${param}`)));
  };
  const errors = fieldErrors(error);
  return (
    <section class="kern-stack" aria-labelledby="notices-heading">
      <h2 class="kern-heading-medium" id="notices-heading">
        {t("console.treasury.notices_heading")}
      </h2>
      <form class="kern-stack city-form" role="search" aria-labelledby="notices-heading" onSubmit={search} novalidate>
        <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
        <TextField id="notice-q" label={t("console.treasury.notice_query_label")} hint={t("console.treasury.notice_query_hint")} error={errors["notice-q"]} value={query} onInput={setQuery} autocomplete="off" />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>
            {t("console.treasury.search_notices")}
          </Button>
        </div>
      </form>
      {found?.length === 0 && (
        <p class="kern-body" role="status">
          {t("console.treasury.no_notices")}
        </p>
      )}
      {found?.length > 0 && (
        <DataTable caption={t("console.treasury.notices_caption")} head={[t("console.treasury.col_kassenzeichen"), t("console.treasury.col_title"), t("console.treasury.col_email"), t("console.treasury.col_total"), t("console.treasury.col_open"), t("console.treasury.col_due"), t("console.treasury.col_status")]}>
          {found.map((notice) => (
            <tr class="kern-table__row" key={notice.id}>
              <td class="kern-table__cell">{notice.kassenzeichen}</td>
              <td class="kern-table__cell">{notice.title}</td>
              <td class="kern-table__cell">{notice.email || "–"}</td>
              <td class="kern-table__cell">{formatMoney(notice.total_cents)}</td>
              <td class="kern-table__cell">{formatMoney(notice.open_cents)}</td>
              <td class="kern-table__cell">{notice.next_due_date ? formatDate(notice.next_due_date) : "–"}</td>
              <td class="kern-table__cell">
                <Badge kind={NOTICE_BADGE[notice.status] || "info"}>{t(`console.treasury.notice_${notice.status}`)}</Badge>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function NoticeImport() {
  const input = useRef(null);
  const [file, setFile] = useState(null);
  const [result, setResult] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction({
    onError: (caught) => {
      setAttempt((count) => count + 1);
      const shown = asActionError(caught);
      return {
        message: shown.fieldErrors?.length ? t("console.treasury.import_problems") : shown.message,
        fieldErrors: (shown.fieldErrors || []).map((item) => ({ ...item, field: "notice-file" })),
      };
    },
  });
  const submit = (event) => {
    event.preventDefault();
    setResult(null);
    if (!file) {
      setAttempt(attempt + 1);
      return setError({ message: null, fieldErrors: [{ field: "notice-file", message: t("console.treasury.choose_file") }] });
    }
    run(async () => {
      setResult(await apiUpload("/api/staff/notices/import", { file }));
      setFile(null);
      if (input.current) input.current.value = "";
    });
  };
  const problems = (error?.fieldErrors || []).map((item) => item.message);
  return (
    <section class="kern-stack" aria-labelledby="notice-import-heading">
      <h2 class="kern-heading-medium" id="notice-import-heading">
        {t("console.treasury.import_heading")}
      </h2>
      <form class="kern-stack city-form" onSubmit={submit} novalidate>
        <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
        <FileInput
          id="notice-file"
          label={t("console.treasury.file_label")}
          hint={t("console.treasury.file_hint")}
          problems={problems}
          inputRef={input}
          onChange={setFile}
        />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>
            {t("console.treasury.import")}
          </Button>
        </div>
      </form>
      {result && (
        <div class="kern-stack">
          <Alert kind="success" title={t("console.treasury.imported", { count: result.created.length })} />
          {result.skipped.length > 0 && (
            <DataTable caption={t("console.treasury.skipped_caption", { count: result.skipped.length })} head={[t("console.treasury.col_line"), t("console.treasury.col_kassenzeichen"), t("console.treasury.col_reason")]}>
              {result.skipped.map((row) => (
                <tr class="kern-table__row" key={`${row.line}-${row.kassenzeichen}`}>
                  <td class="kern-table__cell">{row.line}</td>
                  <td class="kern-table__cell">{row.kassenzeichen}</td>
                  <td class="kern-table__cell">{t(`console.treasury.skipped_${row.reason}`)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </div>
      )}
    </section>
  );
}

// --- Payments -------------------------------------------------------------------------------

const PAYMENT_BADGE = { succeeded: "success", failed: "danger", cancelled: "warning", refunded: "info" };

function PaymentSearch() {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState(null);
  const [booking, setBooking] = useState(null);
  const [booked, setBooked] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction({
    onError: (caught) => {
      setAttempt((count) => count + 1);
      return asActionError(caught);
    },
  });
  const book = useAction();
  const load = (text) => api("GET", `/api/staff/payments?kassenzeichen=${encodeURIComponent(text)}`);
  const search = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    setBooked(null);
    const text = query.trim();
    if (!text) return setError({ message: null, fieldErrors: [{ field: "payment-q", message: t("console.treasury.kassenzeichen_needed") }] });
    run(async () => setFound(await load(text)));
  };
  const confirm = () =>
    book.run(async () => {
      await api("POST", `/api/staff/payments/${booking.id}/transfer-received`, {});
      setBooked(booking);
      setBooking(null);
      setFound(await load(query.trim()));
    });
  const errors = fieldErrors(error);
  return (
    <section class="kern-stack" aria-labelledby="payments-heading">
      <h2 class="kern-heading-medium" id="payments-heading">
        {t("console.treasury.payments_heading")}
      </h2>
      <form class="kern-stack city-form" role="search" aria-labelledby="payments-heading" onSubmit={search} novalidate>
        <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
        <TextField id="payment-q" label={t("console.treasury.kassenzeichen_label")} error={errors["payment-q"]} value={query} onInput={setQuery} autocomplete="off" />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>
            {t("console.treasury.search_payments")}
          </Button>
        </div>
      </form>
      {booked && <Alert kind="success" title={t("console.treasury.transfer_booked", { amount: formatMoney(booked.amount_cents), kassenzeichen: booked.kassenzeichen })} />}
      {book.error && <Alert kind="danger" title={book.error.message} />}
      {found?.length === 0 && (
        <p class="kern-body" role="status">
          {t("console.treasury.no_payments")}
        </p>
      )}
      {found?.length > 0 && (
        <DataTable caption={t("console.treasury.payments_caption")} head={[t("console.treasury.col_created"), t("console.treasury.col_purpose"), t("console.treasury.col_email"), t("console.treasury.col_amount"), t("console.treasury.col_method"), t("console.treasury.col_status"), t("console.treasury.col_actions")]}>
          {found.map((payment) => (
            <tr class="kern-table__row" key={payment.id}>
              <td class="kern-table__cell">{formatDateTime(payment.created_at)}</td>
              <td class="kern-table__cell">{payment.purpose}</td>
              <td class="kern-table__cell">{payment.email || "–"}</td>
              <td class="kern-table__cell">{formatMoney(payment.amount_cents)}</td>
              <td class="kern-table__cell">{payment.provider_label}</td>
              <td class="kern-table__cell">
                <Badge kind={PAYMENT_BADGE[payment.status] || "info"}>{t(`console.treasury.payment_${payment.status}`)}</Badge>
              </td>
              <td class="kern-table__cell">
                {payment.provider === "transfer" && !payment.finished ? (
                  <Button variant="tertiary" onClick={() => setBooking(payment)} aria-label={t("console.treasury.mark_received_named", { amount: formatMoney(payment.amount_cents), purpose: payment.purpose })}>
                    {t("console.treasury.mark_received")}
                  </Button>
                ) : (
                  "–"
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {booking && (
        <Confirm
          id="transfer-question"
          question={t("console.treasury.transfer_question", { amount: formatMoney(booking.amount_cents), kassenzeichen: booking.kassenzeichen })}
          effect={t("console.treasury.transfer_effect")}
          confirmLabel={t("console.treasury.transfer_confirm")}
          busy={book.busy}
          onConfirm={confirm}
          onCancel={() => setBooking(null)}
        />
      )}
    </section>
  );
}

// --- Export files ---------------------------------------------------------------------------

function SepaExports() {
  const list = useResource("/api/staff/payments/sepa-exports");
  const [made, setMade] = useState(null);
  const { busy, error, run } = useAction();
  const create = () =>
    run(async () => {
      setMade(await api("POST", "/api/staff/payments/sepa-exports", {}));
      list.reload();
    });
  return (
    <section class="kern-stack" aria-labelledby="sepa-heading">
      <h2 class="kern-heading-medium" id="sepa-heading">
        {t("console.treasury.sepa_heading")}
      </h2>
      <p class="kern-body">{t("console.treasury.sepa_intro")}</p>
      {made && <Alert kind="success" title={t("console.treasury.sepa_made", { count: made.debit_count, amount: formatMoney(made.total_cents) })} />}
      {error && <Alert kind={error.code === "sepa_nothing_due" ? "info" : "danger"} title={error.message} />}
      <div class="kern-btn-wrapper">
        <Button onClick={create} disabled={busy}>
          {t("console.treasury.sepa_create")}
        </Button>
      </div>
      {list.error && <LoadError error={list.error} />}
      {!list.data && !list.error && <Loading />}
      {list.data?.length === 0 && <p class="kern-body">{t("console.treasury.sepa_none")}</p>}
      {list.data?.length > 0 && (
        <DataTable caption={t("console.treasury.sepa_caption")} head={[t("console.treasury.col_created"), t("console.treasury.col_count"), t("console.treasury.col_amount"), t("console.treasury.col_until"), t("console.treasury.col_file")]}>
          {list.data.map((item) => (
            <tr class="kern-table__row" key={item.id}>
              <td class="kern-table__cell">{formatDateTime(item.created_at)}</td>
              <td class="kern-table__cell">{item.debit_count}</td>
              <td class="kern-table__cell">{formatMoney(item.total_cents)}</td>
              <td class="kern-table__cell">{formatDate(item.collection_until)}</td>
              <td class="kern-table__cell">
                <a class="kern-link" href={item.file_url} download>
                  {t("console.treasury.download", { name: item.message_id })}
                </a>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function RefundExports() {
  const overview = useResource("/api/staff/payments/refund-exports");
  const [made, setMade] = useState(null);
  const { busy, error, run } = useAction();
  const create = () =>
    run(async () => {
      setMade(await api("POST", "/api/staff/payments/refund-exports"));
      overview.reload();
    });
  const data = overview.data;
  return (
    <section class="kern-stack" aria-labelledby="refunds-heading">
      <h2 class="kern-heading-medium" id="refunds-heading">
        {t("console.treasury.refunds_heading")}
      </h2>
      {overview.error && <LoadError error={overview.error} />}
      {!data && !overview.error && <Loading />}
      {data && (
        <p class="kern-body">
          {t("console.treasury.refunds_state", { ready: data.ready, amount: formatMoney(data.ready_cents), waiting: data.waiting_for_account })}
        </p>
      )}
      {made && <Alert kind="success" title={t("console.treasury.refunds_made", { count: made.refund_count, amount: formatMoney(made.total_cents) })} />}
      {error && <Alert kind={error.code === "refund_nothing_due" ? "info" : "danger"} title={error.message} />}
      <div class="kern-btn-wrapper">
        <Button onClick={create} disabled={busy}>
          {t("console.treasury.refunds_create")}
        </Button>
      </div>
      {data?.exports.length === 0 && <p class="kern-body">{t("console.treasury.refunds_none")}</p>}
      {data?.exports.length > 0 && (
        <DataTable caption={t("console.treasury.refunds_caption")} head={[t("console.treasury.col_created"), t("console.treasury.col_count"), t("console.treasury.col_amount"), t("console.treasury.col_file")]}>
          {data.exports.map((item) => (
            <tr class="kern-table__row" key={item.id}>
              <td class="kern-table__cell">{formatDateTime(item.created_at)}</td>
              <td class="kern-table__cell">{item.refund_count}</td>
              <td class="kern-table__cell">{formatMoney(item.total_cents)}</td>
              <td class="kern-table__cell">
                <a class="kern-link" href={item.file_url} download>
                  {t("console.treasury.download", { name: item.message_id })}
                </a>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
