// The page behind the link in the appointment mails: see the booking, move it to another
// free time, or cancel it. No account needed: the link is the key.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { Confirm } from "../console/city-shared.jsx";
import { DayPicker, Summary, TimeList, formatLongDay, servicesQuery } from "./shared.jsx";
import "./catalogue.js";
import "./appointments.css";

export function AppointmentManagePage({ token }) {
  const { data, error } = useResource(`/api/appointments/manage/${encodeURIComponent(token)}`);
  const [current, setCurrent] = useState(null);
  const [notice, setNotice] = useState(null);
  const appointment = current || data;
  return (
    <Page title={t("appointments.manage.title")}>
      {error && (error.status === 404 ? <Alert kind="warning">{t("appointments.manage.unknown")}</Alert> : <LoadError error={error} />)}
      {!appointment && !error && <Loading />}
      {appointment && (
        <Manage
          token={token}
          appointment={appointment}
          notice={notice}
          onChanged={(changed, message) => {
            setCurrent(changed);
            setNotice(message);
          }}
        />
      )}
      <p>
        <Link class="kern-link" href="/termine">
          {t("appointments.manage.new")}
        </Link>
      </p>
    </Page>
  );
}

function Manage({ token, appointment, notice, onChanged }) {
  const [mode, setMode] = useState("view");
  const action = useAction();
  const cancel = () =>
    action.run(async () => {
      const changed = await api("POST", `/api/appointments/manage/${encodeURIComponent(token)}/cancel`);
      setMode("view");
      onChanged(changed, t("appointments.manage.cancelled"));
    });
  return (
    <div class="kern-stack">
      {notice && <Alert kind="success">{notice}</Alert>}
      {action.error && <ErrorSummary errors={action.error.fieldErrors || []} message={action.error.message} />}
      <Summary appointment={appointment} />
      {appointment.may_change && mode === "view" && (
        <div class="kern-btn-wrapper">
          <Button onClick={() => setMode("move")}>{t("appointments.manage.move")}</Button>
          <Button variant="secondary" onClick={() => setMode("cancel")}>
            {t("appointments.manage.cancel")}
          </Button>
        </div>
      )}
      {mode === "cancel" && (
        <Confirm
          id="cancel-question"
          question={t("appointments.manage.cancel_question")}
          effect={t("appointments.manage.cancel_effect")}
          confirmLabel={t("appointments.manage.cancel_confirm")}
          onConfirm={cancel}
          onCancel={() => setMode("view")}
          busy={action.busy}
        />
      )}
      {mode === "move" && (
        <Move
          token={token}
          appointment={appointment}
          onDone={(changed) => {
            setMode("view");
            onChanged(changed, t("appointments.manage.moved"));
          }}
          onBack={() => setMode("view")}
        />
      )}
    </div>
  );
}

function Move({ token, appointment, onDone, onBack }) {
  const [day, setDay] = useState(null);
  const slugs = appointment.services.map((service) => service.slug);
  const days = useResource(`/api/appointments/days?${servicesQuery(slugs)}`);
  const times = useResource(day ? `/api/appointments/times?${servicesQuery(slugs)}&day=${day}` : null);
  const action = useAction();
  const pick = (time) =>
    action.run(async () => {
      const changed = await api("POST", `/api/appointments/manage/${encodeURIComponent(token)}/move`, { starts_at: time.starts_at });
      onDone(changed);
    });
  return (
    <section class="kern-stack" aria-labelledby="move-heading">
      <h2 class="kern-heading-medium" id="move-heading" tabIndex={-1} ref={(node) => node?.focus()}>
        {day ? t("appointments.times.heading", { day: formatLongDay(day) }) : t("appointments.days.heading")}
      </h2>
      {action.error && <ErrorSummary errors={action.error.fieldErrors || []} message={action.error.message} />}
      {!day && days.data && <DayPicker days={days.data} onPick={setDay} />}
      {day && times.data && <TimeList times={times.data} onPick={pick} busy={action.busy} />}
      {(days.error || times.error) && <LoadError error={days.error || times.error} />}
      <div class="kern-btn-wrapper">
        {day && (
          <Button variant="secondary" onClick={() => setDay(null)}>
            {t("appointments.times.other_day")}
          </Button>
        )}
        <Button variant="tertiary" onClick={onBack}>
          {t("appointments.manage.keep")}
        </Button>
      </div>
    </section>
  );
}
