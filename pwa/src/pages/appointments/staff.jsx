// The Bürgerbüro's day plan for its staff: one counter, one day, the bookings by time with
// the marks the counter needs (arrived, done, no-show), and blocking times.
import { useState } from "preact/hooks";
import { Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { DataTable, SelectField } from "../console/city-shared.jsx";
import { formatLongDay, formatTime, todayThere, zonedInstant } from "./shared.jsx";
import "./catalogue.js";
import "./appointments.css";

export function AppointmentStaffPage() {
  return (
    <RequireSignIn title={t("appointments.staff.title")}>
      <Page title={t("appointments.staff.title")} wide>
        <Plan />
      </Page>
    </RequireSignIn>
  );
}

function Plan() {
  const counters = useResource("/api/staff/appointments/counters");
  const [counterId, setCounterId] = useState("");
  const [day, setDay] = useState(todayThere());
  if (counters.error) return <LoadError error={counters.error} />;
  if (!counters.data) return <Loading />;
  const chosen = counterId || String(counters.data[0]?.id || "");
  return (
    <div class="kern-stack">
      <div class="kern-stack">
        <SelectField id="counter" label={t("appointments.staff.counter")} value={chosen} onChange={setCounterId} options={counters.data.map((c) => [String(c.id), c.name])} />
        <TextField id="day" type="date" label={t("appointments.staff.day")} value={day} onInput={(value) => value && setDay(value)} />
      </div>
      {chosen && <DayPlan counterId={chosen} day={day} />}
    </div>
  );
}

function DayPlan({ counterId, day }) {
  const { data, error, reload } = useResource(`/api/staff/appointments/plan?day=${day}&counter_id=${counterId}`);
  const action = useAction();
  const act = (method, path, body) =>
    action.run(async () => {
      await api(method, path, body);
      reload();
    });
  if (error) return <LoadError error={error} />;
  if (!data) return <Loading />;
  return (
    <div class="kern-stack">
      <h2 class="kern-heading-medium">{t("appointments.staff.plan_heading", { counter: data.counter.name, day: formatLongDay(day) })}</h2>
      {action.error && <ErrorSummary errors={action.error.fieldErrors || []} message={action.error.message} />}
      {data.appointments.length === 0 ? (
        <p class="kern-body">{t("appointments.staff.empty")}</p>
      ) : (
        <DataTable caption={t("appointments.staff.plan_caption")} hiddenCaption head={["time", "name", "services", "status", "actions"].map((c) => t(`appointments.staff.col.${c}`))}>
          {data.appointments.map((entry) => (
            <tr class="kern-table__row" key={entry.id}>
              <td class="kern-table__cell">{`${formatTime(entry.starts_at)}–${formatTime(entry.ends_at)}`}</td>
              <td class="kern-table__cell">
                {entry.name}
                <br />
                <span class="kern-body kern-body--small">{entry.reference}</span>
              </td>
              <td class="kern-table__cell">{entry.services.join(", ")}</td>
              <td class="kern-table__cell" data-status={entry.status}>
                {t(`appointments.status.${entry.status}`)}
              </td>
              <td class="kern-table__cell">
                <div class="appointments-plan__actions">
                  {entry.actions.map((mark) => (
                    <Button
                      key={mark}
                      variant={mark === "no_show" ? "secondary" : "primary"}
                      disabled={action.busy}
                      onClick={() => act("POST", `/api/staff/appointments/${entry.id}/mark`, { action: mark })}
                      aria-label={t(`appointments.staff.mark_for.${mark}`, { name: entry.name, time: formatTime(entry.starts_at) })}
                    >
                      {t(`appointments.staff.mark.${mark}`)}
                    </Button>
                  ))}
                  {entry.actions.length === 0 && "–"}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2 class="kern-heading-medium">{t("appointments.staff.blocks")}</h2>
      {data.blocks.length === 0 ? (
        <p class="kern-body">{t("appointments.staff.no_blocks")}</p>
      ) : (
        <ul class="appointments-list">
          {data.blocks.map((block) => (
            <li key={block.id} class="kern-body">
              {t("appointments.staff.block_entry", { from: formatTime(block.starts_at), to: formatTime(block.ends_at), reason: block.reason || "–" })}{" "}
              <Button variant="tertiary" disabled={action.busy} onClick={() => act("DELETE", `/api/staff/appointments/blocks/${block.id}`)} aria-label={t("appointments.staff.unblock_for", { from: formatTime(block.starts_at) })}>
                {t("appointments.staff.unblock")}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <BlockForm counterId={counterId} day={day} onDone={reload} />
    </div>
  );
}

function BlockForm({ counterId, day, onDone }) {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  const action = useAction();
  const errors = fieldErrors(action.error);
  const submit = (event) => {
    event.preventDefault();
    action.run(async () => {
      if (!from || !to) {
        const missing = [!from && { field: "block-from", message: t("appointments.staff.time_required") }, !to && { field: "block-to", message: t("appointments.staff.time_required") }].filter(Boolean);
        throw { message: t("appointments.staff.block_problem"), fieldErrors: missing };
      }
      await api("POST", "/api/staff/appointments/blocks", { counter_id: Number(counterId), starts_at: zonedInstant(day, from), ends_at: zonedInstant(day, to), reason });
      setFrom("");
      setTo("");
      setReason("");
      onDone();
    });
  };
  return (
    <form class="kern-stack" onSubmit={submit} noValidate aria-labelledby="block-heading">
      <h3 class="kern-heading-small" id="block-heading">
        {t("appointments.staff.block_heading")}
      </h3>
      {action.error && <ErrorSummary errors={action.error.fieldErrors || []} message={action.error.message} />}
      <TextField id="block-from" type="time" step="300" label={t("appointments.staff.block_from")} value={from} onInput={setFrom} error={errors["block-from"] || errors.starts_at} />
      <TextField id="block-to" type="time" step="300" label={t("appointments.staff.block_to")} value={to} onInput={setTo} error={errors["block-to"] || errors.ends_at} />
      <TextField id="block-reason" label={t("appointments.staff.block_reason")} value={reason} onInput={setReason} error={errors.reason} />
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={action.busy}>
          {t("appointments.staff.block")}
        </Button>
      </div>
    </form>
  );
}
