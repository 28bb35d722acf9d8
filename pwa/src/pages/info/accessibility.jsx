// The accessibility statement with its feedback channel. Feedback goes to the portal's
// feedback endpoint; where that does not answer, the citizen gets a prepared e-mail.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { ContentPage } from "./content.jsx";

function mailto(message, email) {
  const body = [message, "", email && `${t("a11y.feedback_email")}: ${email}`, `${window.location.origin}`].filter((line) => line !== false).join("\n");
  return `mailto:${t("a11y.feedback_address")}?subject=${encodeURIComponent(t("a11y.feedback_subject"))}&body=${encodeURIComponent(body)}`;
}

function FeedbackForm() {
  const [message, setMessage] = useState("");
  const [email, setEmail] = useState("");
  const [state, setState] = useState("editing");
  const { error, setError, run } = useAction({
    onError: (caught) => {
      if (caught.status === 422 && caught.fieldErrors.length) {
        return { field: `feedback-${caught.fieldErrors[0].field}`, message: caught.fieldErrors[0].message };
      }
      // No feedback endpoint (or no network): the e-mail way always works.
      setState("fallback");
      return null;
    },
  });
  const send = (event) => {
    event.preventDefault();
    setError(null);
    if (!message.trim()) {
      setError({ field: "feedback-message", message: t("a11y.feedback_required") });
      return;
    }
    return run(async () => {
      await api("POST", "/api/feedback", { kind: "accessibility", message, email: email || null, page: document.referrer || window.location.href });
      setState("sent");
    });
  };
  return (
    <section class="kern-stack" aria-labelledby="feedback-heading">
      <h2 class="kern-heading-medium" id="feedback-heading">{t("a11y.feedback_heading")}</h2>
      <p class="kern-body">{t("a11y.feedback_intro")}</p>
      {state === "sent" && <Alert kind="success" title={t("a11y.feedback_sent")} />}
      {state === "fallback" && (
        <Alert kind="info" title={t("a11y.feedback_fallback_title")}>
          <p class="kern-body">{t("a11y.feedback_fallback_text")}</p>
          <p>
            <a class="kern-link" href={mailto(message, email)}>
              {t("a11y.feedback_fallback_link")}
            </a>
          </p>
        </Alert>
      )}
      {state !== "sent" && (
        <form onSubmit={send} novalidate class="kern-stack">
          <ErrorSummary errors={error ? [error] : []} focusToken={error} />
          <TextField
            id="feedback-message"
            label={t("a11y.feedback_message")}
            hint={t("a11y.feedback_message_hint")}
            value={message}
            error={error?.field === "feedback-message" ? error.message : null}
            onInput={setMessage}
            multiline
            maxLength={4000}
          />
          <TextField
            id="feedback-email"
            type="email"
            label={t("a11y.feedback_email")}
            hint={t("a11y.feedback_email_hint")}
            value={email}
            error={error?.field === "feedback-email" ? error.message : null}
            onInput={setEmail}
            autocomplete="email"
          />
          <div class="kern-btn-wrapper">
            <Button type="submit">{t("a11y.feedback_send")}</Button>
          </div>
        </form>
      )}
      <p class="kern-body">{t("a11y.feedback_phone")}</p>
    </section>
  );
}

export function AccessibilityPage() {
  return (
    <ContentPage name="a11y">
      <FeedbackForm />
    </ContentPage>
  );
}
