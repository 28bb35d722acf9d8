// "Im Bürgerbüro erfasst": a clerk records a case handled at the counter in one click,
// for the online quote (online cases against counter cases). Only the service and the
// day are sent, nothing about the person. Each click carries its own idempotency key, so
// a retry after a lost answer does not count the case twice, while a second click is a
// second case.
import { useState } from "preact/hooks";
import { Button, ErrorSummary, fieldErrors } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { newId } from "../../lib/http.js";
import { formatDate, pick, t } from "../../lib/i18n.js";

const pad = (number) => String(number).padStart(2, "0");

/** Today as YYYY-MM-DD on this device's calendar. */
export function today(now = new Date()) {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The services a clerk may record cases for: those of their areas (all for admins),
 * as the server decides. */
export function counterServices(services, user) {
  if (user?.role === "admin") return services || [];
  const areas = user?.areas || [];
  return (services || []).filter((service) => areas.includes(service.definition?.area));
}

export function CounterCase({ services, user }) {
  const choices = counterServices(services, user);
  const [service, setService] = useState("");
  const [day, setDay] = useState(today);
  const [done, setDone] = useState([]);
  const { busy, error, run } = useAction();
  const chosen = service || choices[0]?.id || "";
  if (choices.length === 0) return null;
  const errors = fieldErrors(error);
  const record = () =>
    run(async () => {
      const body = { service_id: chosen, day };
      const saved = await api("POST", "/api/staff/counter-cases", body, { "Idempotency-Key": newId() });
      setDone((previous) => [...previous, saved]);
    });
  const last = done[done.length - 1];
  const title = (id) => pick(choices.find((item) => item.id === id)?.title) || id;
  return (
    <section class="kern-stack staff-counter" aria-labelledby="counter-case-heading">
      <h2 class="kern-heading-small" id="counter-case-heading">
        {t("staff_counter.heading")}
      </h2>
      <p class="kern-body">{t("staff_counter.intro")}</p>
      <ErrorSummary message={error?.message} errors={(error?.fieldErrors || []).map((item) => ({ ...item, field: item.field === "day" ? "counter-day" : "counter-service" }))} focusOnShow={false} />
      <div class="staff-filters">
        <div class="kern-form-input">
          <label class="kern-label" for="counter-service">{t("staff_counter.service")}</label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="counter-service" value={chosen} aria-invalid={errors.service_id ? "true" : undefined} onChange={(event) => setService(event.currentTarget.value)}>
              {choices.map((item) => (
                <option key={item.id} value={item.id}>{pick(item.title)}</option>
              ))}
            </select>
          </div>
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for="counter-day">{t("staff_counter.day")}</label>
          <input class="kern-form-input__input" type="date" id="counter-day" value={day} max={today()} aria-invalid={errors.day ? "true" : undefined} onInput={(event) => setDay(event.currentTarget.value)} />
        </div>
        <div class="kern-btn-wrapper">
          <Button onClick={record} disabled={busy || !chosen || !day}>{t("staff_counter.record")}</Button>
        </div>
      </div>
      <p class="kern-body" role="status" id="counter-case-status">
        {last && t("staff_counter.recorded", { service: title(last.service_id), day: formatDate(last.day), count: done.length })}
      </p>
    </section>
  );
}
