// Inputs for every field type of a service definition, in KERN markup. Each control
// gets its hint and error wired up with aria-describedby, and its element id is the
// anchor the error summary links to.
import { useEffect, useRef, useState } from "preact/hooks";
import { useAction } from "../hooks/use-action.js";
import { Picked } from "./picked.jsx";
import { apiUpload } from "../lib/api.js";
import { online } from "../lib/connectivity.js";
import { pick, t } from "../lib/i18n.js";
import { isoDay, resolveDate } from "../lib/form/dates.js";
import { RENDERER_BY_TYPE } from "../lib/form/renderers.js";
import { request } from "../lib/http.js";
import { useSignal } from "../lib/signal.js";

const AUTOCOMPLETE = {
  "profile.given_names": "given-name",
  "profile.family_name": "family-name",
  "profile.email": "email",
  "profile.phone": "tel",
  "profile.birth_date": "bday",
  "eid.given_names": "given-name",
  "eid.family_name": "family-name",
  "eid.birth_date": "bday",
};

function described(id, hint, error) {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
}

// ``example``: in a guide the field shows an example answer, read-only; screen readers
// hear that it is one (the word comes first, hidden from sight).
function ExampleMark({ example }) {
  if (!example) return null;
  return <span class="visually-hidden">{example}: </span>;
}

function Label({ id, field, as = "label", example }) {
  const label = pick(field.label);
  const optional = !field.required && field.type !== "checkbox" && !label.includes("(");
  const content = (
    <>
      <ExampleMark example={example} />
      <Picked text={field.label} />
      {optional && <span class="kern-label__optional"> {t("form.optional")}</span>}
    </>
  );
  if (as === "legend") return <legend class="kern-label">{content}</legend>;
  return (
    <label class="kern-label" for={id}>
      {content}
    </label>
  );
}

// ``text``: the definition's hint (``{de, en, …}``).
function Hint({ id, text }) {
  if (!text) return null;
  return (
    <div class="kern-hint" id={`${id}-hint`}>
      <Picked text={text} block />
    </div>
  );
}

export function FieldError({ id, text }) {
  if (!text) return null;
  return (
    <p class="kern-error" id={`${id}-error`}>
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
      <span class="kern-body">{text}</span>
    </p>
  );
}

function TextLike({ id, field, value, error, onChange, example }) {
  const hint = pick(field.hint) ? field.hint : null;
  const props = {};
  switch (field.type) {
    case "email":
      Object.assign(props, { type: "email", autocomplete: "email", spellcheck: false });
      break;
    case "phone":
      Object.assign(props, { type: "tel", autocomplete: "tel" });
      break;
    case "number":
      Object.assign(props, { type: "text", inputMode: field.integer === false ? "decimal" : "numeric", class: "kern-form-input__input kern-form-input__input--width-4" });
      break;
    case "date": {
      const min = field.min_date && resolveDate(field.min_date);
      const max = field.max_date && resolveDate(field.max_date);
      Object.assign(props, { type: "date", min: min ? isoDay(min) : undefined, max: max ? isoDay(max) : undefined });
      break;
    }
    case "iban":
      Object.assign(props, { type: "text", autocomplete: "off", spellcheck: false, autocapitalize: "characters" });
      break;
    case "licence_plate":
      Object.assign(props, { type: "text", autocomplete: "off", spellcheck: false, autocapitalize: "characters" });
      break;
    default:
      Object.assign(props, { type: "text", autocomplete: AUTOCOMPLETE[field.prefill] || "off" });
  }
  if (field.max_length) props.maxLength = field.max_length;
  const className = props.class || "kern-form-input__input";
  delete props.class;
  const Tag = field.type === "textarea" ? "textarea" : "input";
  return (
    <div class={error ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
      <Label id={id} field={field} example={example} />
      <Hint id={id} text={hint} />
      <FieldError id={id} text={error} />
      <Tag
        class={error ? `${className} kern-form-input__input--error` : className}
        id={id}
        name={id}
        rows={Tag === "textarea" ? 5 : undefined}
        value={value ?? ""}
        aria-describedby={described(id, hint, error)}
        aria-invalid={error ? "true" : undefined}
        aria-required={field.required ? "true" : undefined}
        onInput={(event) => onChange(event.currentTarget.value)}
        {...props}
        readOnly={example ? true : undefined}
      />
    </div>
  );
}

function Choice({ id, field, value, error, onChange, example }) {
  const hint = pick(field.hint) ? field.hint : null;
  if (field.type === "select") {
    return (
      <div class={error ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
        <Label id={id} field={field} example={example} />
        <Hint id={id} text={hint} />
        <FieldError id={id} text={error} />
        <div class="kern-form-input__select-wrapper">
          <select
            class={error ? "kern-form-input__select kern-form-input__select--error" : "kern-form-input__select"}
            id={id}
            name={id}
            value={value ?? ""}
            aria-describedby={described(id, hint, error)}
            aria-invalid={error ? "true" : undefined}
            disabled={example ? true : undefined}
            onChange={(event) => onChange(event.currentTarget.value || null)}
          >
            <option value="">{t("form.choose")}</option>
            {field.options.map((option) => (
              <option key={option.value} value={option.value}>
                {pick(option.label)}
              </option>
            ))}
          </select>
        </div>
      </div>
    );
  }
  return (
    <fieldset class={error ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"} aria-describedby={described(id, hint, error)}>
      <Label id={id} field={field} as="legend" example={example} />
      <Hint id={id} text={hint} />
      <FieldError id={id} text={error} />
      <div class="kern-fieldset__body">
        {field.options.map((option, index) => {
          const optionId = index === 0 ? id : `${id}--${option.value}`;
          return (
            <div class="kern-form-check" key={option.value}>
              <input
                class={error ? "kern-form-check__radio kern-form-check__radio--error" : "kern-form-check__radio"}
                type="radio"
                id={optionId}
                name={id}
                value={option.value}
                checked={value === option.value}
                disabled={example ? true : undefined}
                onChange={() => onChange(option.value)}
              />
              <label class="kern-label" for={optionId}>
                <Picked text={option.label} />
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function Checkbox({ id, field, value, error, onChange, example }) {
  const hint = pick(field.hint) ? field.hint : null;
  return (
    <div class={error ? "check-field check-field--error" : "check-field"}>
      <FieldError id={id} text={error} />
      <div class="kern-form-check">
        <input
          class={error ? "kern-form-check__checkbox kern-form-check__checkbox--error" : "kern-form-check__checkbox"}
          type="checkbox"
          id={id}
          name={id}
          checked={value === true}
          aria-describedby={described(id, hint, error)}
          aria-invalid={error ? "true" : undefined}
          disabled={example ? true : undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <label class="kern-label" for={id}>
          <ExampleMark example={example} />
          <Picked text={field.label} />
        </label>
      </div>
      <Hint id={id} text={hint} />
    </div>
  );
}

function useStreetSuggestions(query) {
  const [streets, setStreets] = useState([]);
  useEffect(() => {
    const text = (query || "").trim();
    if (text.length < 2 || !online.get()) return undefined;
    const timer = setTimeout(async () => {
      const result = await request("GET", `/api/streets?q=${encodeURIComponent(text)}&limit=8`);
      if (result.ok) setStreets(result.data);
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);
  return streets;
}

function Address({ id, field, value, errors, onChange, context, example }) {
  const current = value && typeof value === "object" ? value : {};
  const hint = pick(field.hint) ? field.hint : null;
  const city = field.scope !== "any";
  // The console's preview of a form asks no server for street names.
  const streets = useStreetSuggestions(city && !context?.preview && !example ? current.street : "");
  const set = (part, text) => onChange({ ...current, [part]: text });
  const part = (name, label, extra = {}) => {
    const partId = `${id}-${name}`;
    const error = errors[name];
    return (
      <div class={error ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
        <label class="kern-label" for={partId}>
          {label}
        </label>
        <FieldError id={partId} text={error} />
        <input
          class={error ? "kern-form-input__input kern-form-input__input--error" : "kern-form-input__input"}
          id={partId}
          name={partId}
          type="text"
          value={current[name] ?? ""}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${partId}-error` : undefined}
          onInput={(event) => set(name, event.currentTarget.value)}
          {...extra}
          readOnly={example ? true : undefined}
        />
      </div>
    );
  };
  return (
    <fieldset class={errors.any ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"} id={id} tabIndex={-1} aria-describedby={hint ? `${id}-hint` : undefined}>
      <Label id={id} field={field} as="legend" example={example} />
      <Hint id={id} text={hint} />
      <div class="kern-fieldset__body">
        {part("street", t("address.street"), { autocomplete: city ? "off" : "address-line1", list: city ? `${id}-streets` : undefined })}
        {city && (
          <datalist id={`${id}-streets`}>
            {streets.map((street) => (
              <option key={street.name} value={street.name} />
            ))}
          </datalist>
        )}
        {part("house_number", t("address.house_number"), { class: "kern-form-input__input kern-form-input__input--width-4", autocomplete: "off" })}
        {!city && part("postal_code", t("address.postal_code"), { inputMode: "numeric", autocomplete: "postal-code", maxLength: 5 })}
        {!city && part("city", t("address.city"), { autocomplete: "address-level2" })}
        {city && <p class="kern-body kern-body--small">{t("address.in_city")}</p>}
      </div>
    </fieldset>
  );
}

const TYPE_NAMES = { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/heic": "HEIC" };

function typeNames(accept) {
  return (accept || []).map((type) => TYPE_NAMES[type] || (type === "image/*" ? t("files.any_image") : type)).join(", ");
}

function FileField({ id, field, value, error, onChange, context, example }) {
  const files = Array.isArray(value) ? value : [];
  const hint = pick(field.hint) ? field.hint : null;
  const isOnline = useSignal(online);
  // A failed upload is said beside the field, in one sentence.
  const {
    busy,
    error: problem,
    setError: setProblem,
    run,
  } = useAction({ onError: (caught) => (caught.code === "network" ? t("files.offline") : caught.fieldErrors?.[0]?.message || caught.message) });
  const input = useRef(null);
  const max = field.max_count || 1;
  const upload = async (event) => {
    const chosen = Array.from(event.currentTarget.files || []);
    setProblem(null);
    if (!chosen.length) return;
    await run(async () => {
      const serverId = await context.ensureServerDraft();
      const added = [];
      for (const file of chosen.slice(0, max - files.length)) {
        const stored = await apiUpload(`/api/applications/${serverId}/attachments`, { field_id: field.id, file });
        added.push({ upload_id: stored.upload_id, filename: stored.filename, content_type: stored.content_type, size: stored.size });
      }
      onChange([...files, ...added]);
    });
    if (input.current) input.current.value = "";
  };
  const remove = (item) => onChange(files.filter((f) => f.upload_id !== item.upload_id));
  const shown = error || problem;
  if (example) {
    // Uploads have no example: the guide says what is asked and that it is uploaded here.
    return (
      <div class="kern-form-input">
        <p class="kern-label" id={id}>
          <Picked text={field.label} />
        </p>
        <div class="kern-hint">
          {hint && (
            <>
              <Picked text={hint} />{" "}
            </>
          )}
          {t("files.rules", { count: max, size: Math.round(field.max_size_bytes / 1048576), types: typeNames(field.accept) })}
        </div>
      </div>
    );
  }
  return (
    <div class={shown ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
      <Label id={id} field={field} />
      <div class="kern-hint" id={`${id}-hint`}>
        {hint && (
          <>
            <Picked text={hint} />{" "}
          </>
        )}
        {t("files.rules", { count: max, size: Math.round(field.max_size_bytes / 1048576), types: typeNames(field.accept) })}
      </div>
      <FieldError id={id} text={shown} />
      {files.length > 0 && (
        <ul class="kern-list file-list">
          {files.map((item) => (
            <li key={item.upload_id} class="file-list__item">
              <span class="kern-body">{item.filename}</span>
              <button type="button" class="kern-btn kern-btn--tertiary" onClick={() => remove(item)} aria-label={t("files.remove_named", { name: item.filename })}>
                <span class="kern-label">{t("files.remove")}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {files.length < max &&
        (isOnline ? (
          <input
            ref={input}
            class="kern-form-input__input"
            type="file"
            id={id}
            name={id}
            accept={(field.accept || []).join(",")}
            multiple={max - files.length > 1}
            disabled={busy}
            aria-describedby={described(id, true, shown)}
            onChange={upload}
          />
        ) : (
          <p class="kern-body" id={id} tabIndex={-1}>
            {t("files.offline")}
          </p>
        ))}
      {busy && <p class="kern-body" role="status">{t("files.uploading")}</p>}
    </div>
  );
}

function AddressParts({ id, field, path, value, error, errors, onChange, context, example }) {
  const parts = {};
  for (const name of ["street", "house_number", "postal_code", "city"]) parts[name] = errors[`${path}.${name}`];
  parts.any = error || Object.values(parts).some(Boolean);
  if (error && !parts.street) parts.street = error;
  return <Address id={id} field={field} value={value} errors={parts} onChange={onChange} context={context} example={example} />;
}

// Inputs by the renderer name RENDERER_BY_TYPE gives a field type.
const INPUTS = { text: TextLike, choice: Choice, checkbox: Checkbox, address: AddressParts, file: FileField };

/**
 * One field of a definition. ``errors`` maps the answer's paths to messages.
 * ``example`` (a guide's word for "example"): the field shows ``value`` as an example
 * answer, read-only, and says so to screen readers; the form never passes it.
 */
export function Field({ field, path, id, value, errors, onChange, context, example }) {
  // A type this (possibly older, cached) app does not know yet still gets a text input.
  const Input = INPUTS[RENDERER_BY_TYPE[field.type]] || TextLike;
  return <Input id={id} field={field} path={path} value={value} error={errors[path]} errors={errors} onChange={onChange} context={context} example={example} />;
}
