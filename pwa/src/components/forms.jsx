// Form building blocks in KERN markup: labelled fields with hint and error, error summary.
import { useEffect, useRef } from "preact/hooks";
import { t } from "../lib/i18n.js";
import { navigate } from "../lib/router.jsx";

export function TextField({ id, label, hint, error, value, onInput, type = "text", multiline = false, ...props }) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const Tag = multiline ? "textarea" : "input";
  return (
    <div class={`kern-form-input${error ? " kern-form-input--error" : ""}`}>
      <label class="kern-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <p class="kern-error" id={`${id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{error}</span>
        </p>
      )}
      <Tag
        class={`kern-form-input__input${error ? " kern-form-input__input--error" : ""}`}
        id={id}
        name={id}
        type={multiline ? undefined : type}
        rows={multiline ? 5 : undefined}
        value={value}
        aria-describedby={describedBy}
        aria-invalid={error ? "true" : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
        {...props}
      />
    </div>
  );
}

/** The problems once each: one entry per link target (the first message wins). */
export function uniqueErrors(errors) {
  const seen = new Set();
  return (errors || []).filter((item) => {
    const target = item.href || item.field || item.message;
    if (seen.has(target)) return false;
    seen.add(target);
    return true;
  });
}

/**
 * Lists every problem at the top, once, each linking to its field; takes focus when
 * shown (unless ``focusOnShow`` is false: a page opened to fix one field focuses that
 * field instead). Items are {field, message} (anchor "#field") or {href, message} for
 * other pages.
 */
export function ErrorSummary({ errors: given, message, focusToken, focusOnShow = true }) {
  const ref = useRef(null);
  const errors = uniqueErrors(given);
  // Focus moves here when the citizen tried to continue, not while they fix a field:
  // callers often build the list anew on every render (every keystroke), so without a
  // token the summary follows its content, never the array's identity.
  const trigger = focusToken === undefined ? JSON.stringify([errors || [], message || ""]) : focusToken;
  useEffect(() => {
    if (focusOnShow && (errors?.length || message) && ref.current) ref.current.focus();
  }, [trigger]);
  if (!errors?.length && !message) return null;
  const follow = (event, item) => {
    if (!item.href) {
      const target = document.getElementById(item.field);
      if (target) {
        event.preventDefault();
        target.focus();
        target.scrollIntoView({ block: "center" });
      }
      return;
    }
    event.preventDefault();
    navigate(item.href);
  };
  return (
    <div class="kern-alert kern-alert--danger" role="alert" tabIndex={-1} ref={ref}>
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true" />
        <span class="kern-title">{message || t("form.errors_title")}</span>
      </div>
      {errors?.length > 0 && (
        <div class="kern-alert__body">
          <ul class="kern-list">
            {errors.map((error, index) => (
              <li key={`${error.field || error.href}-${index}`}>
                <a class="kern-link" href={error.href || `#${error.field}`} onClick={(event) => follow(event, error)}>
                  {error.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

// Full class names (not built from parts), so the CSS purge keeps their rules.
const ALERT_CLASSES = {
  info: ["kern-alert kern-alert--info", "kern-icon kern-icon--info"],
  success: ["kern-alert kern-alert--success", "kern-icon kern-icon--success"],
  warning: ["kern-alert kern-alert--warning", "kern-icon kern-icon--warning"],
  danger: ["kern-alert kern-alert--danger", "kern-icon kern-icon--danger"],
};

export function Alert({ kind = "info", title, children, live = true }) {
  const [box, icon] = ALERT_CLASSES[kind];
  const role = !live ? undefined : kind === "danger" ? "alert" : "status";
  return (
    <div class={box} role={role}>
      <div class="kern-alert__header">
        <span class={icon} aria-hidden="true" />
        <span class="kern-title">{title}</span>
      </div>
      {children && <div class="kern-alert__body">{children}</div>}
    </div>
  );
}

const BUTTON_CLASSES = {
  primary: "kern-btn kern-btn--primary",
  secondary: "kern-btn kern-btn--secondary",
  tertiary: "kern-btn kern-btn--tertiary",
};

export function Button({ children, variant = "primary", type = "button", ...props }) {
  return (
    <button class={BUTTON_CLASSES[variant]} type={type} {...props}>
      <span class="kern-label">{children}</span>
    </button>
  );
}

const BADGE_CLASSES = {
  info: "kern-badge kern-badge--info",
  success: "kern-badge kern-badge--success",
  warning: "kern-badge kern-badge--warning",
  danger: "kern-badge kern-badge--danger",
};

export function Badge({ kind = "info", children }) {
  return (
    <span class={BADGE_CLASSES[kind]}>
      <span class="kern-label">{children}</span>
    </span>
  );
}

/** Field errors from an ApiError keyed by field name, for the inputs. */
export function fieldErrors(error) {
  const byField = {};
  for (const item of error?.fieldErrors || []) byField[item.field] ??= item.message;
  return byField;
}
