// Push broadcasts in the console: the sent ones with how many devices they reached, and
// a form to write one (title, text, link, topic, in German and English) with a preview
// of what a phone shows and a confirmation before it goes out.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField, fieldErrors } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useAction } from "../../hooks/use-action.js";
import { useResource } from "../../hooks/use-resource.js";
import { api } from "../../lib/api.js";
import { formatDateTime, pick, t } from "../../lib/i18n.js";
import "./broadcasts.css";
import "./feedback.css";
import { ConsolePage } from "./layout.jsx";

// About what Android and iOS show of a notification before they cut it off.
export const PREVIEW_TITLE = 50;
export const PREVIEW_BODY = 150;
// What the server accepts (app/push/payload.py).
const MAX_TITLE = 80;
const MAX_BODY = 300;
const LANGUAGES = ["de", "en"];
const EMPTY = { topic: "", title: { de: "", en: "" }, body: { de: "", en: "" }, url: "/" };

/** ``text`` cut to ``length`` characters with an ellipsis, and whether it was cut. */
export function truncate(text, length) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? [`${flat.slice(0, length - 1).trimEnd()}…`, true] : [flat, false];
}

function PhonePreview({ language, title, body }) {
  const [shownTitle, titleCut] = truncate(title, PREVIEW_TITLE);
  const [shownBody, bodyCut] = truncate(body, PREVIEW_BODY);
  const headingId = `preview-${language}-heading`;
  return (
    <section class="push-preview" aria-labelledby={headingId}>
      <h3 class="kern-heading-small" id={headingId}>{t(`console.broadcasts.preview_${language}`)}</h3>
      <div class="push-preview__card" lang={language}>
        <img class="push-preview__icon" src="/icons/icon-192.png" alt="" width="40" height="40" />
        <div class="push-preview__text">
          <p class="push-preview__app">{t("app.name")}</p>
          <p class="push-preview__title">{shownTitle || t("console.broadcasts.preview_no_title")}</p>
          <p class="push-preview__body">{shownBody || t("console.broadcasts.preview_no_body")}</p>
        </div>
      </div>
      {(titleCut || bodyCut) && (
        <p class="kern-body kern-body--small push-preview__cut">
          {[titleCut && t("console.broadcasts.title_cut", { count: PREVIEW_TITLE }), bodyCut && t("console.broadcasts.body_cut", { count: PREVIEW_BODY })].filter(Boolean).join(" ")}
        </p>
      )}
    </section>
  );
}

export function ConsoleBroadcastsPage() {
  return (
    <ConsolePage title={t("console.broadcasts.title")}>
      <Broadcasts />
    </ConsolePage>
  );
}

function Broadcasts() {
  const { data: sent, error, reload } = useResource("/api/admin/broadcasts");
  const { data: topics } = useResource("/api/push/topics");
  const [notice, setNotice] = useState(null);
  const labels = Object.fromEntries((topics || []).map((topic) => [topic.id, topic.label]));
  return (
    <>
      <p class="kern-body">{t("console.broadcasts.intro")}</p>
      {notice && <Alert kind="success" title={notice} />}
      <BroadcastForm topics={topics} onSent={(title) => { setNotice(t("console.broadcasts.sent", { title })); reload(); }} />
      <section class="kern-stack" aria-labelledby="broadcasts-sent-heading">
        <h2 class="kern-heading-medium" id="broadcasts-sent-heading">{t("console.broadcasts.sent_heading")}</h2>
        <LoadError error={error} />
        {!sent && !error && <Loading />}
        {sent && sent.length === 0 && <p class="kern-body">{t("console.broadcasts.none")}</p>}
        {sent && sent.length > 0 && (
          <div class="kern-table-responsive" role="region" aria-label={t("console.broadcasts.sent_heading")} tabIndex={0}>
            <table class="kern-table kern-table--small">
              <caption class="visually-hidden">{t("console.broadcasts.sent_heading")}</caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">{t("console.broadcasts.col_at")}</th>
                  <th class="kern-table__header" scope="col">{t("console.broadcasts.col_title")}</th>
                  <th class="kern-table__header" scope="col">{t("console.broadcasts.col_topic")}</th>
                  <th class="kern-table__header" scope="col">{t("console.broadcasts.col_by")}</th>
                  <th class="kern-table__header kern-table__header--numeric" scope="col">{t("console.broadcasts.col_devices")}</th>
                  <th class="kern-table__header kern-table__header--numeric" scope="col">{t("console.broadcasts.col_delivered")}</th>
                  <th class="kern-table__header" scope="col">{t("console.broadcasts.col_state")}</th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {sent.map((item) => (
                  <tr class="kern-table__row" key={item.id}>
                    <td class="kern-table__cell">{formatDateTime(item.created_at)}</td>
                    <td class="kern-table__cell audit-details">{pick(item.title)}</td>
                    <td class="kern-table__cell">{labels[item.topic] || item.topic}</td>
                    <td class="kern-table__cell audit-details">{item.created_by || "–"}</td>
                    <td class="kern-table__cell kern-table__cell--numeric">{item.devices}</td>
                    <td class="kern-table__cell kern-table__cell--numeric">{item.delivered}</td>
                    <td class="kern-table__cell">
                      {item.finished_at ? t("console.broadcasts.finished", { when: formatDateTime(item.finished_at) }) : t("console.broadcasts.sending_now")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function check(draft) {
  const problems = [];
  if (!draft.topic) problems.push({ field: "topic", message: t("console.broadcasts.topic_required") });
  for (const language of LANGUAGES) {
    if (!draft.title[language].trim()) problems.push({ field: `title.${language}`, message: t(`console.broadcasts.title_required_${language}`) });
    if (!draft.body[language].trim()) problems.push({ field: `body.${language}`, message: t(`console.broadcasts.body_required_${language}`) });
  }
  if (!draft.url.startsWith("/")) problems.push({ field: "url", message: t("console.broadcasts.url_invalid") });
  return problems;
}

function BroadcastForm({ topics, onSent }) {
  const [draft, setDraft] = useState(EMPTY);
  const [confirming, setConfirming] = useState(false);
  // The error summary takes the focus when the admin tries to go on, not while typing.
  const [attempt, setAttempt] = useState(0);
  const { busy, error, setError, run } = useAction();
  const errors = fieldErrors(error);
  const update = (next) => {
    setDraft(next);
    // A problem the admin has fixed disappears from the form at once.
    if (error?.fieldErrors?.length) {
      const still = new Set(check(next).map((problem) => problem.field));
      const left = error.fieldErrors.filter((item) => still.has(item.field));
      setError(left.length || error.message ? { ...error, fieldErrors: left } : null);
    }
  };
  const setText = (part, language) => (value) => update({ ...draft, [part]: { ...draft[part], [language]: value } });
  const review = (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    const problems = check(draft);
    if (problems.length) return setError({ message: null, fieldErrors: problems });
    setError(null);
    return setConfirming(true);
  };
  const send = () => {
    setAttempt(attempt + 1);
    return run(async () => {
      try {
        await api("POST", "/api/admin/broadcasts", draft);
      } catch (caught) {
        setConfirming(false);
        throw caught;
      }
      const title = draft.title.de;
      setDraft(EMPTY);
      setConfirming(false);
      onSent(title);
    });
  };
  const topicLabel = (topics || []).find((topic) => topic.id === draft.topic)?.label || draft.topic;
  return (
    <section class="kern-stack" aria-labelledby="broadcast-new-heading">
      <h2 class="kern-heading-medium" id="broadcast-new-heading">{t("console.broadcasts.new_heading")}</h2>
      <div class="broadcast-editor">
        <form class="kern-stack" onSubmit={review} noValidate>
          <ErrorSummary message={error?.message} errors={error?.fieldErrors} focusToken={attempt} />
          <div class={errors.topic ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
            <label class="kern-label" for="topic">{t("console.broadcasts.topic")}</label>
            <div class="kern-hint" id="topic-hint">{t("console.broadcasts.topic_hint")}</div>
            {errors.topic && (
              <p class="kern-error" id="topic-error">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                <span class="kern-body">{errors.topic}</span>
              </p>
            )}
            <div class="kern-form-input__select-wrapper">
              <select
                class="kern-form-input__select"
                id="topic"
                value={draft.topic}
                aria-describedby={errors.topic ? "topic-hint topic-error" : "topic-hint"}
                aria-invalid={errors.topic ? "true" : undefined}
                disabled={confirming}
                onChange={(e) => update({ ...draft, topic: e.currentTarget.value })}
              >
                <option value="">{t("console.broadcasts.choose_topic")}</option>
                {(topics || []).map((topic) => (
                  <option key={topic.id} value={topic.id}>{topic.label}</option>
                ))}
              </select>
            </div>
          </div>
          {LANGUAGES.map((language) => (
            <fieldset class="kern-fieldset" key={language} disabled={confirming}>
              <legend class="kern-label">{t(`console.broadcasts.texts_${language}`)}</legend>
              <div class="kern-fieldset__body">
                <TextField id={`title.${language}`} label={t("console.broadcasts.field_title")} hint={t("console.broadcasts.title_hint", { max: MAX_TITLE, shown: PREVIEW_TITLE })} value={draft.title[language]} onInput={setText("title", language)} error={errors[`title.${language}`]} maxLength={MAX_TITLE} />
                <TextField id={`body.${language}`} label={t("console.broadcasts.field_body")} hint={t("console.broadcasts.body_hint", { max: MAX_BODY, shown: PREVIEW_BODY })} value={draft.body[language]} onInput={setText("body", language)} error={errors[`body.${language}`]} maxLength={MAX_BODY} multiline />
              </div>
            </fieldset>
          ))}
          <TextField id="url" label={t("console.broadcasts.field_url")} hint={t("console.broadcasts.url_hint")} value={draft.url} onInput={(value) => update({ ...draft, url: value })} error={errors.url} maxLength={200} disabled={confirming} />
          {!confirming && (
            <div class="kern-btn-wrapper">
              <Button type="submit">{t("console.broadcasts.review")}</Button>
            </div>
          )}
        </form>
        <div class="broadcast-previews kern-stack">
          <h2 class="kern-heading-small">{t("console.broadcasts.preview")}</h2>
          {LANGUAGES.map((language) => (
            <PhonePreview key={language} language={language} title={draft.title[language]} body={draft.body[language]} />
          ))}
        </div>
      </div>
      {confirming && (
        <ConfirmSend topic={topicLabel} busy={busy} onSend={send} onBack={() => setConfirming(false)} />
      )}
    </section>
  );
}

function ConfirmSend({ topic, busy, onSend, onBack }) {
  return (
    <div class="kern-alert kern-alert--warning broadcast-confirm" role="group" aria-labelledby="broadcast-confirm-title" tabIndex={-1} ref={(node) => node && !node.dataset.focused && ((node.dataset.focused = "1"), node.focus())}>
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--warning" aria-hidden="true" />
        <span class="kern-title" id="broadcast-confirm-title">{t("console.broadcasts.confirm_title")}</span>
      </div>
      <div class="kern-alert__body kern-stack">
        <p class="kern-body">{t("console.broadcasts.confirm_text", { topic })}</p>
        <div class="kern-btn-wrapper">
          <Button onClick={onSend} disabled={busy}>{busy ? t("console.broadcasts.sending") : t("console.broadcasts.send")}</Button>
          <Button variant="secondary" onClick={onBack} disabled={busy}>{t("console.broadcasts.back")}</Button>
        </div>
      </div>
    </div>
  );
}
