// The optional question on the confirmation page after a submitted application: five
// labelled steps in a fieldset and a free text, sent once (offline it waits with the
// draft and goes out when the portal answers again); the thanks in a live region.
import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { online } from "../../lib/connectivity.js";
import { getDraft } from "../../lib/db.js";
import { t } from "../../lib/i18n.js";
import { useSignal } from "../../lib/signal.js";
import { giveSatisfaction, sendPendingSatisfaction } from "../../lib/surveys.js";
import "./catalogue.js";

const RATINGS = [1, 2, 3, 4, 5];

export function SatisfactionQuestion({ draft }) {
  const isOnline = useSignal(online);
  const [rating, setRating] = useState(null);
  const [comment, setComment] = useState("");
  const [state, setState] = useState(draft.satisfaction ? (draft.satisfaction.sent ? "sent" : "queued") : "asking");
  const [missing, setMissing] = useState(false);
  const status = useRef(null);
  const firstRating = useRef(null);
  // After sending or skipping the form is gone: focus moves to the message that replaced
  // it, so keyboard and screen reader users are not left on the page's top.
  const [moveFocus, setMoveFocus] = useState(false);
  useEffect(() => {
    if (moveFocus && state !== "asking") status.current?.focus();
  }, [moveFocus, state]);
  useEffect(() => {
    // Back online: an answer given offline goes out now (once: it carries its key).
    if (!isOnline || state !== "queued") return;
    sendPendingSatisfaction()
      .then(() => getDraft(draft.localId))
      .then((stored) => stored?.satisfaction?.sent && setState("sent"));
  }, [isOnline, state]);

  const send = async (event) => {
    event.preventDefault();
    if (!rating) {
      setMissing(true);
      // The error is announced (role="alert") and the first step takes the focus.
      firstRating.current?.focus();
      return;
    }
    const result = await giveSatisfaction(draft.localId, rating, comment.trim());
    setMoveFocus(true);
    setState(result?.sent ? "sent" : result?.dropped ? "failed" : "queued");
  };

  const message =
    state === "sent"
      ? t("satisfaction.thanks")
      : state === "queued"
        ? t("satisfaction.thanks_queued")
        : state === "skipped"
          ? t("satisfaction.skipped")
          : state === "failed"
            ? t("satisfaction.failed")
            : "";
  return (
    <section class="kern-stack satisfaction" aria-label={t("satisfaction.legend")}>
      {/* The live region exists before the answer, so screen readers announce the thanks. */}
      <div role="status" class="satisfaction__status" ref={status} tabIndex={-1}>
        {message && (
          <p class="kern-body kern-body--bold" id="satisfaction-thanks">
            {message}
          </p>
        )}
      </div>
      {state === "asking" && (
        <form class="kern-stack" onSubmit={send} novalidate>
          <fieldset
            class={missing ? "kern-fieldset kern-fieldset--error" : "kern-fieldset"}
            aria-describedby={missing ? "satisfaction-hint satisfaction-error" : "satisfaction-hint"}
          >
            <legend class="kern-label" id="satisfaction-legend">
              {t("satisfaction.legend")}
            </legend>
            <div class="kern-hint" id="satisfaction-hint">
              {t("satisfaction.hint")}
            </div>
            {missing && (
              <p class="kern-error" id="satisfaction-error" role="alert">
                <span class="kern-icon kern-icon--danger kern-icon--md" aria-hidden="true" />
                <span class="kern-body">{t("satisfaction.choose")}</span>
              </p>
            )}
            <div class="kern-fieldset__body">
              {RATINGS.map((value) => (
                <div class="kern-form-check" key={value}>
                  <input
                    class="kern-form-check__radio"
                    type="radio"
                    name="satisfaction"
                    id={`satisfaction-${value}`}
                    ref={value === RATINGS[0] ? firstRating : undefined}
                    value={String(value)}
                    checked={rating === value}
                    onChange={() => {
                      setRating(value);
                      setMissing(false);
                    }}
                  />
                  <label class="kern-label" for={`satisfaction-${value}`}>
                    {t(`satisfaction.rating_${value}`)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <div class="kern-form-input">
            <label class="kern-label" for="satisfaction-comment">
              {t("satisfaction.comment")}
            </label>
            <div class="kern-hint" id="satisfaction-comment-hint">
              {t("satisfaction.comment_hint")}
            </div>
            <textarea
              class="kern-form-input__input"
              id="satisfaction-comment"
              rows={3}
              maxLength={2000}
              aria-describedby="satisfaction-comment-hint"
              value={comment}
              onInput={(event) => setComment(event.currentTarget.value)}
            />
          </div>
          <div class="kern-btn-wrapper">
            <Button type="submit">{t("satisfaction.send")}</Button>
            <Button
              variant="secondary"
              onClick={() => {
                setMoveFocus(true);
                setState("skipped");
              }}
            >
              {t("satisfaction.skip")}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
