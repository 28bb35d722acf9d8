// The defect report form: what (category), where (address field always; "use my
// location" and a tap on the map when available), a description, up to three photos
// (made smaller on the device), and an e-mail address for updates when not signed in.
// Every report goes through the device's outbox, so one written offline is sent as
// soon as the portal answers again, exactly once.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { session } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { forgetQueued, queueReport, queuedReports, requestOutboxSync, sendOutbox, sentReports } from "../../lib/report-outbox.js";
import { useSignal } from "../../lib/signal.js";
import { outboxContext, useOutbox } from "./outbox.js";
import { downscale } from "./photos.js";
import { LazyMap } from "./shared.jsx";

const MAX_PHOTOS = 3;
// Where a server error about a field is shown.
const FIELD_INPUT = {
  category: "report-category",
  description: "report-description",
  address: "report-address",
  lat: "report-address",
  lon: "report-address",
  email: "report-email",
  photos: "report-photos",
};

function inputFor(field) {
  return FIELD_INPUT[field] || FIELD_INPUT[field.split(".")[0]] || "report-description";
}

export function ReportNewPage() {
  const categories = useResource("/api/reports/categories");
  const config = useResource("/api/reports/config").data;
  const [result, setResult] = useState(null);
  // Reports waiting on the device go out as soon as the portal answers again.
  useOutbox();
  return (
    <Page title={result ? t(`reports.form.${result.kind}_title`) : t("reports.form.title")}>
      {categories.error && !categories.data && <LoadError error={categories.error} />}
      {!categories.data && !categories.error && <Loading />}
      {result && <Outcome result={result} onAgain={() => setResult(null)} />}
      {!result && categories.data && <ReportForm categories={categories.data} config={config} onDone={setResult} />}
    </Page>
  );
}

function Outcome({ result, onAgain }) {
  return (
    <>
      {result.kind === "sent" ? (
        <Alert kind="success" title={t("reports.form.sent_title")}>
          <p class="kern-body">{t("reports.form.sent", { id: result.id })}</p>
        </Alert>
      ) : (
        <Alert kind="info" title={t("reports.form.queued_title")}>
          <p class="kern-body">{t("reports.form.queued")}</p>
        </Alert>
      )}
      <ul class="kern-list">
        <li>
          <Link class="kern-link" href="/meldungen/meine">
            {t("reports.public.mine")}
          </Link>
        </li>
        <li>
          <Link class="kern-link" href="/meldungen">
            {t("reports.public.title")}
          </Link>
        </li>
      </ul>
      <div class="kern-btn-wrapper">
        <Button variant="secondary" onClick={onAgain}>
          {t("reports.form.another")}
        </Button>
      </div>
    </>
  );
}

function ReportForm({ categories, config, onDone }) {
  const current = useSignal(session);
  const signedIn = Boolean(current.authenticated);
  const [category, setCategory] = useState("");
  const [description, setDescription] = useState("");
  const [address, setAddress] = useState("");
  const [email, setEmail] = useState("");
  const [coords, setCoords] = useState(null);
  const [locating, setLocating] = useState(false);
  const [locationNote, setLocationNote] = useState("");
  const [photos, setPhotos] = useState([]);
  const [errors, setErrors] = useState([]);
  const [tries, setTries] = useState(0);
  const action = useAction();
  useEffect(() => () => photos.forEach((photo) => URL.revokeObjectURL(photo.url)), []);

  const errorFor = (id) => errors.find((item) => item.field === id)?.message;
  const refuse = (problems) => {
    setErrors(problems);
    setTries((value) => value + 1);
  };

  const locate = () => {
    if (!navigator.geolocation) {
      setLocationNote(t("reports.form.location_denied"));
      return;
    }
    setLocating(true);
    setLocationNote("");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        setCoords({ lat: position.coords.latitude, lon: position.coords.longitude });
      },
      () => {
        setLocating(false);
        setLocationNote(t("reports.form.location_denied"));
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  };

  const addPhotos = async (files) => {
    const chosen = [...files];
    if (photos.length + chosen.length > MAX_PHOTOS) {
      refuse([{ field: "report-photos", message: t("reports.form.too_many_photos", { max: MAX_PHOTOS }) }]);
      return;
    }
    const added = [];
    for (const file of chosen) {
      try {
        const blob = await downscale(file);
        added.push({ blob, url: URL.createObjectURL(blob) });
      } catch {
        refuse([{ field: "report-photos", message: t("reports.form.photo_unreadable") }]);
        return;
      }
    }
    setPhotos([...photos, ...added]);
  };

  const removePhoto = (index) => {
    URL.revokeObjectURL(photos[index].url);
    setPhotos(photos.filter((_, i) => i !== index));
  };

  const check = () => {
    const problems = [];
    if (!category) problems.push({ field: "report-category", message: t("reports.form.error_category") });
    if (!description.trim()) problems.push({ field: "report-description", message: t("reports.form.error_description") });
    if (!address.trim() && !coords) problems.push({ field: "report-address", message: t("reports.form.error_where") });
    return problems;
  };

  const deliver = async () => {
    const fields = {
      category,
      description,
      address,
      lat: coords ? String(coords.lat) : "",
      lon: coords ? String(coords.lon) : "",
      email: signedIn ? "" : email,
    };
    const entry = await queueReport(fields, photos.map((photo) => photo.blob), current.user?.id ?? null);
    const outcome = await sendOutbox(outboxContext()).catch(() => ({ sent: [] }));
    // Sent by this call, or a moment earlier by the outbox's own sending.
    const sent =
      outcome.sent.find((answer) => answer.key === entry.key) || (await sentReports()).find((item) => item.key === entry.key);
    if (sent) {
      onDone({ kind: "sent", id: sent.id });
      return;
    }
    const waiting = (await queuedReports()).find((item) => item.key === entry.key);
    if (waiting?.error) {
      // Refused by the portal: nothing was stored there; the citizen corrects the form.
      await forgetQueued(entry.key);
      const given = waiting.error.errors || [];
      refuse(
        given.length
          ? given.map((item) => ({ field: inputFor(item.field), message: item.message }))
          : [{ field: "report-description", message: waiting.error.message }],
      );
      return;
    }
    await requestOutboxSync();
    onDone({ kind: "queued" });
  };

  const send = (event) => {
    event.preventDefault();
    const problems = check();
    if (problems.length) {
      refuse(problems);
      return;
    }
    setErrors([]);
    action.run(deliver);
  };

  return (
    <>
      <p class="kern-body">{t("reports.form.intro")}</p>
      <ErrorSummary errors={errors} focusToken={tries} />
      <form class="kern-stack" onSubmit={send} noValidate>
        <div class={errorFor("report-category") ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
          <label class="kern-label" for="report-category">
            {t("reports.form.category")}
          </label>
          {errorFor("report-category") && (
            <p class="kern-error" id="report-category-error">
              <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
              <span class="kern-body">{errorFor("report-category")}</span>
            </p>
          )}
          <div class="kern-form-input__select-wrapper">
            <select
              class={errorFor("report-category") ? "kern-form-input__select kern-form-input__select--error" : "kern-form-input__select"}
              id="report-category"
              value={category}
              aria-describedby={errorFor("report-category") ? "report-category-error" : undefined}
              aria-invalid={errorFor("report-category") ? "true" : undefined}
              onChange={(event) => setCategory(event.currentTarget.value)}
            >
              <option value="">{t("reports.form.category_choose")}</option>
              {categories.map((item) => (
                <option key={item.code} value={item.code}>
                  {item.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <TextField
          id="report-description"
          label={t("reports.form.description")}
          hint={t("reports.form.description_hint")}
          error={errorFor("report-description")}
          value={description}
          onInput={setDescription}
          multiline
          maxLength={2000}
        />
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t("reports.form.where")}</legend>
          <div class="kern-fieldset__body kern-stack">
            <TextField
              id="report-address"
              label={t("reports.form.address")}
              hint={t("reports.form.address_hint")}
              error={errorFor("report-address")}
              value={address}
              onInput={setAddress}
              autocomplete="street-address"
              maxLength={200}
            />
            <div class="kern-btn-wrapper">
              <Button variant="secondary" onClick={locate} disabled={locating}>
                {t("reports.form.use_location")}
              </Button>
            </div>
            <p class="kern-body" role="status">
              {locating && t("reports.form.locating")}
              {!locating && coords && t("reports.form.location_set", { lat: coords.lat.toFixed(5), lon: coords.lon.toFixed(5) })}
              {!locating && !coords && locationNote}
            </p>
            {coords && (
              <div class="kern-btn-wrapper">
                <Button variant="tertiary" onClick={() => setCoords(null)}>
                  {t("reports.form.location_clear")}
                </Button>
              </div>
            )}
            {config?.tile_url && <p class="kern-hint">{t("reports.form.map_hint")}</p>}
            {config && (
              <LazyMap
                config={config}
                picked={coords}
                onPick={(lat, lon) => setCoords({ lat, lon })}
                label={t("reports.form.map_label")}
              />
            )}
          </div>
        </fieldset>
        <div class={errorFor("report-photos") ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
          <label class="kern-label" for="report-photos">
            {t("reports.form.photos", { max: MAX_PHOTOS })}
          </label>
          <div class="kern-hint" id="report-photos-hint">
            {t("reports.form.photos_hint")}
          </div>
          {errorFor("report-photos") && (
            <p class="kern-error" id="report-photos-error">
              <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
              <span class="kern-body">{errorFor("report-photos")}</span>
            </p>
          )}
          <input
            class="kern-form-input__input"
            id="report-photos"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            disabled={photos.length >= MAX_PHOTOS}
            aria-describedby={errorFor("report-photos") ? "report-photos-hint report-photos-error" : "report-photos-hint"}
            onChange={(event) => {
              addPhotos(event.currentTarget.files);
              event.currentTarget.value = "";
            }}
          />
        </div>
        {photos.length > 0 && (
          <>
            <p class="kern-body" role="status">
              {t("reports.form.photos_chosen", { count: photos.length })}
            </p>
            <ul class="report-photos">
              {photos.map((photo, index) => (
                <li key={photo.url} class="kern-stack">
                  <img src={photo.url} alt={t("reports.staff.photo_alt", { number: index + 1 })} />
                  <Button variant="tertiary" onClick={() => removePhoto(index)}>
                    {t("reports.form.photo_remove", { number: index + 1 })}
                  </Button>
                </li>
              ))}
            </ul>
          </>
        )}
        {signedIn ? (
          <p class="kern-body">{t("reports.form.signed_in_note")}</p>
        ) : (
          <TextField
            id="report-email"
            type="email"
            label={t("reports.form.email")}
            hint={t("reports.form.email_hint")}
            error={errorFor("report-email")}
            value={email}
            onInput={setEmail}
            autocomplete="email"
            maxLength={254}
          />
        )}
        {config && <p class="kern-hint">{t("reports.form.privacy", { days: config.personal_data_days })}</p>}
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={action.busy}>
            {action.busy ? t("reports.form.sending") : t("reports.form.submit")}
          </Button>
        </div>
      </form>
    </>
  );
}
