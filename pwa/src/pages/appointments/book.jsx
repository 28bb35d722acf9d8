// Booking an appointment at the Bürgerbüro, one thing per step: what for → (the online
// service, where there is one) → day → time → name and e-mail → confirmation. Signed in
// or not; the confirmation mail carries the link to move or cancel.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api, session } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { DayPicker, Summary, TimeList, formatLongDay, formatTime, servicesQuery } from "./shared.jsx";
import "./catalogue.js";
import "./appointments.css";

export function AppointmentBookPage() {
  const { data, error } = useResource("/api/appointments/services");
  const [step, setStep] = useState("services");
  const [chosen, setChosen] = useState([]);
  const [day, setDay] = useState(null);
  const [time, setTime] = useState(null);
  const [booked, setBooked] = useState(null);
  const go = (next) => setStep(next);
  let body;
  if (error) body = <LoadError error={error} />;
  else if (!data) body = <Loading />;
  else if (data.length === 0) body = <p class="kern-body">{t("appointments.services.none")}</p>;
  else if (step === "services")
    body = (
      <ServicesStep
        services={data}
        chosen={chosen}
        onDone={(slugs) => {
          setChosen(slugs);
          go(data.some((s) => slugs.includes(s.slug) && s.online_service) ? "online" : "day");
        }}
      />
    );
  else if (step === "online") body = <OnlineStep services={data.filter((s) => chosen.includes(s.slug) && s.online_service)} onBack={() => go("services")} onNext={() => go("day")} />;
  else if (step === "day")
    body = (
      <DayStep
        chosen={chosen}
        onBack={() => go("services")}
        onPick={(picked) => {
          setDay(picked);
          go("time");
        }}
      />
    );
  else if (step === "time")
    body = (
      <TimeStep
        chosen={chosen}
        day={day}
        onBack={() => go("day")}
        onPick={(picked) => {
          setTime(picked);
          go("details");
        }}
      />
    );
  else if (step === "details")
    body = (
      <DetailsStep
        chosen={chosen}
        time={time}
        onBack={() => go("time")}
        onTaken={() => go("time")}
        onBooked={(made) => {
          setBooked(made);
          go("done");
        }}
      />
    );
  else body = <DoneStep appointment={booked} />;
  return (
    <Page title={t("appointments.book.title")}>
      {step === "services" && <MyAppointments />}
      {body}
    </Page>
  );
}

/** A signed-in citizen's coming bookings, each linking to its manage page. */
function MyAppointments() {
  const current = useSignal(session);
  const signedIn = current.authenticated && current.user?.role === "citizen";
  const { data } = useResource(signedIn ? "/api/appointments/mine" : null);
  const coming = (data || []).filter((appointment) => appointment.status === "booked");
  if (!signedIn || coming.length === 0) return null;
  return (
    <section class="kern-stack" aria-labelledby="mine-heading">
      <h2 class="kern-heading-medium" id="mine-heading">
        {t("appointments.mine.heading")}
      </h2>
      <ul class="appointments-list">
        {coming.map((appointment) => (
          <li key={appointment.reference}>
            <Link class="kern-link" href={appointment.manage_path}>
              {t("appointments.mine.entry", { day: formatLongDay(appointment.starts_at), time: formatTime(appointment.starts_at), services: appointment.services.map((s) => s.name).join(", ") })}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A step's heading, focused when the step appears so screen readers announce it. */
function StepHeading({ children }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 class="kern-heading-medium" tabIndex={-1} ref={ref}>
      {children}
    </h2>
  );
}

function ServicesStep({ services, chosen, onDone }) {
  const [picked, setPicked] = useState(chosen);
  const [problem, setProblem] = useState(null);
  const toggle = (slug, on) => setPicked(on ? [...picked, slug] : picked.filter((s) => s !== slug));
  const submit = (event) => {
    event.preventDefault();
    if (picked.length === 0) {
      setProblem(t("appointments.services.required"));
      return;
    }
    onDone(picked);
  };
  return (
    <form class="kern-stack" onSubmit={submit} noValidate>
      <StepHeading>{t("appointments.services.heading")}</StepHeading>
      <p class="kern-body">{t("appointments.book.intro")}</p>
      {problem && <ErrorSummary errors={[{ field: `service-${services[0].slug}`, message: problem }]} />}
      <fieldset class={problem ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"}>
        <legend class="kern-label">{t("appointments.services.legend")}</legend>
        <div class="kern-fieldset__body">
          {services.map((service) => (
            <div class="kern-form-check" key={service.slug}>
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={`service-${service.slug}`}
                name="services"
                value={service.slug}
                checked={picked.includes(service.slug)}
                onChange={(event) => toggle(service.slug, event.currentTarget.checked)}
              />
              <label class="kern-label" for={`service-${service.slug}`}>
                {t("appointments.services.option", { name: service.name, minutes: service.duration_minutes })}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div class="kern-btn-wrapper">
        <Button type="submit">{t("appointments.next")}</Button>
      </div>
    </form>
  );
}

function OnlineStep({ services, onBack, onNext }) {
  return (
    <div class="kern-stack">
      <StepHeading>{t("appointments.online.heading")}</StepHeading>
      <p class="kern-body">{t("appointments.online.intro")}</p>
      <ul class="appointments-list">
        {services.map((service) => (
          <li key={service.slug}>
            <Link class="kern-btn kern-btn--primary" href={`/leistungen/${service.online_service}`}>
              <span class="kern-label">{t("appointments.online.apply", { name: service.name })}</span>
            </Link>
          </li>
        ))}
      </ul>
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={onNext}>
          {t("appointments.online.book_anyway")}
        </Button>
        <Button variant="tertiary" onClick={onBack}>
          {t("appointments.back")}
        </Button>
      </div>
    </div>
  );
}

function DayStep({ chosen, onBack, onPick }) {
  const { data, error } = useResource(`/api/appointments/days?${servicesQuery(chosen)}`);
  return (
    <div class="kern-stack">
      <StepHeading>{t("appointments.days.heading")}</StepHeading>
      {error && <LoadError error={error} />}
      {!data && !error && <Loading />}
      {data && <DayPicker days={data} onPick={onPick} />}
      <div class="kern-btn-wrapper">
        <Button variant="tertiary" onClick={onBack}>
          {t("appointments.back")}
        </Button>
      </div>
    </div>
  );
}

function TimeStep({ chosen, day, onBack, onPick }) {
  const { data, error } = useResource(`/api/appointments/times?${servicesQuery(chosen)}&day=${day}`);
  return (
    <div class="kern-stack">
      <StepHeading>{t("appointments.times.heading", { day: formatLongDay(day) })}</StepHeading>
      {error && <LoadError error={error} />}
      {!data && !error && <Loading />}
      {data && <TimeList times={data} onPick={onPick} />}
      <div class="kern-btn-wrapper">
        <Button variant="tertiary" onClick={onBack}>
          {t("appointments.times.other_day")}
        </Button>
      </div>
    </div>
  );
}

function DetailsStep({ chosen, time, onBack, onBooked, onTaken }) {
  const current = useSignal(session);
  const [name, setName] = useState("");
  const [email, setEmail] = useState(current.user?.email || "");
  const [key] = useState(() => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.replace(".", "")));
  const action = useAction();
  const errors = fieldErrors(action.error);
  const submit = (event) => {
    event.preventDefault();
    action.run(async () => {
      const made = await api("POST", "/api/appointments", { services: chosen, starts_at: time.starts_at, name, email }, { "Idempotency-Key": key });
      onBooked(made);
    });
  };
  const taken = action.error?.code === "appointment_slot_taken";
  return (
    <form class="kern-stack" onSubmit={submit} noValidate>
      <StepHeading>{t("appointments.details.heading")}</StepHeading>
      <p class="kern-body">{t("appointments.details.chosen", { day: formatLongDay(time.starts_at), time: formatTime(time.starts_at) })}</p>
      {action.error && <ErrorSummary errors={action.error.fieldErrors || []} message={action.error.message} />}
      {taken && (
        <Button variant="secondary" onClick={onTaken}>
          {t("appointments.details.pick_again")}
        </Button>
      )}
      <TextField id="name" label={t("appointments.details.name")} value={name} onInput={setName} error={errors.name} autocomplete="name" />
      <TextField id="email" type="email" label={t("appointments.details.email")} hint={t("appointments.details.email_hint")} value={email} onInput={setEmail} error={errors.email} autocomplete="email" />
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={action.busy}>
          {t("appointments.details.book")}
        </Button>
        <Button variant="tertiary" onClick={onBack}>
          {t("appointments.back")}
        </Button>
      </div>
    </form>
  );
}

function DoneStep({ appointment }) {
  return (
    <div class="kern-stack">
      <StepHeading>{t("appointments.done.heading")}</StepHeading>
      <Alert kind="success">{t("appointments.done.mail", { email: appointment.email })}</Alert>
      <Summary appointment={appointment} />
      <p class="kern-body">{t("appointments.done.bring")}</p>
    </div>
  );
}
