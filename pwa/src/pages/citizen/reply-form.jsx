// The citizen's answer to a clerk's query: text and files, sent as one reply.
//
// Files are uploaded one by one as they are chosen (each with its own state and error)
// and sent with the reply by their ids; the server keeps them until the reply is sent,
// so after a reload they are listed again. The text is kept in localStorage while it is
// typed, together with the reply's idempotency key: a reload or a lost connection loses
// nothing, and sending again after a failure never sends the reply twice.
import { useEffect, useRef, useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api, apiUpload } from "../../lib/api.js";
import { online } from "../../lib/connectivity.js";
import { newId } from "../../lib/http.js";
import { addCatalogues, t } from "../../lib/i18n.js";
import { useSignal } from "../../lib/signal.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

// As many files as the server takes for one reply (app/applications/replies.py).
const MAX_FILES = 5;
const ACCEPT = "application/pdf,image/*";
const storageKey = (applicationId) => `reply-draft:${applicationId}`;

/** What was typed for the reply to this application, and the key it is sent under. */
export function loadReplyDraft(applicationId) {
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey(applicationId)) || "null");
    if (stored && typeof stored.message === "string" && stored.key) return stored;
  } catch {
    // An unreadable copy: start afresh.
  }
  return null;
}

function saveReplyDraft(applicationId, draft) {
  try {
    localStorage.setItem(storageKey(applicationId), JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the text stays on screen.
  }
}

function clearReplyDraft(applicationId) {
  try {
    localStorage.removeItem(storageKey(applicationId));
  } catch {
    // Nothing to clear.
  }
}

// A failed send: a lost connection says the reply is kept; the server's field names
// become the form's.
function sendError(caught) {
  if (caught?.code === "network") return { message: t("reply.offline"), fieldErrors: [] };
  return {
    message: caught?.fieldErrors?.length ? null : caught?.message,
    fieldErrors: (caught?.fieldErrors || []).map((e) => ({ ...e, field: e.field === "upload_ids" ? "reply-files" : "reply-message" })),
  };
}

const problemText = (caught) => (caught?.code === "network" ? t("reply.file_offline") : caught?.fieldErrors?.[0]?.message || caught?.message);

function FileRow({ item, onRemove }) {
  return (
    <li class="file-list__item">
      <span class="kern-body">
        {item.filename}
        {item.state === "uploading" && <span class="list-meta"> · {t("reply.file_uploading")}</span>}
        {item.state === "done" && <span class="list-meta"> · {t("reply.file_ready", { size: Math.max(1, Math.round(item.size / 1024)) })}</span>}
      </span>
      {item.state === "failed" && (
        <p class="kern-error" id={`reply-file-${item.localId}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{item.problem}</span>
        </p>
      )}
      {item.state !== "uploading" && (
        <button type="button" class="kern-btn kern-btn--tertiary" onClick={() => onRemove(item)} aria-label={t("reply.remove_named", { name: item.filename })}>
          <span class="kern-label">{t("reply.remove")}</span>
        </button>
      )}
    </li>
  );
}

/** The reply form; ``onSent()`` after the reply has arrived. */
export function ReplyForm({ application, onSent, onCancel }) {
  const base = `/api/applications/${application.id}`;
  const [draft, setDraft] = useState(() => loadReplyDraft(application.id) || { message: "", key: newId() });
  const [files, setFiles] = useState([]);
  const [attempt, setAttempt] = useState(0);
  const { busy: sending, error, setError, run } = useAction({ onError: sendError });
  const [status, setStatus] = useState("");
  const isOnline = useSignal(online);
  const input = useRef(null);

  // Files uploaded before a reload are still on the server, waiting for the reply.
  useEffect(() => {
    api("GET", `${base}/reply-files`)
      .then((stored) => setFiles((shown) => [...stored.map((f) => ({ ...f, localId: f.upload_id, state: "done" })), ...shown.filter((f) => !stored.some((s) => s.upload_id === f.upload_id))]))
      .catch(() => {});
  }, [base]);

  const type = (message) => {
    const next = { ...draft, message };
    setDraft(next);
    saveReplyDraft(application.id, next);
  };
  const update = (localId, change) => setFiles((shown) => shown.map((f) => (f.localId === localId ? { ...f, ...change } : f)));

  const choose = async (event) => {
    const chosen = Array.from(event.currentTarget.files || []);
    if (input.current) input.current.value = "";
    const room = MAX_FILES - files.filter((f) => f.state !== "failed").length;
    const taken = chosen.slice(0, Math.max(0, room));
    const added = taken.map((file) => ({ localId: newId(), filename: file.name, size: file.size, state: "uploading", file }));
    const refused = chosen.slice(taken.length).map((file) => ({ localId: newId(), filename: file.name, size: file.size, state: "failed", problem: t("reply.too_many", { max: MAX_FILES }) }));
    setFiles((shown) => [...shown, ...added, ...refused]);
    for (const item of added) {
      setStatus(t("reply.status_uploading", { name: item.filename }));
      try {
        const stored = await apiUpload(`${base}/reply-files`, { file: item.file });
        update(item.localId, { ...stored, state: "done", file: undefined });
        setStatus(t("reply.status_uploaded", { name: stored.filename }));
      } catch (caught) {
        update(item.localId, { state: "failed", problem: problemText(caught), file: undefined });
        setStatus(t("reply.status_failed", { name: item.filename }));
      }
    }
  };

  const remove = async (item) => {
    if (item.state === "done") {
      try {
        await api("DELETE", `${base}/reply-files/${item.upload_id}`);
      } catch (caught) {
        if (caught.status !== 404) {
          update(item.localId, { problem: problemText(caught) });
          setStatus(problemText(caught));
          return;
        }
      }
    }
    setFiles((shown) => shown.filter((f) => f.localId !== item.localId));
    setStatus(t("reply.status_removed", { name: item.filename }));
  };

  const send = async (event) => {
    event.preventDefault();
    setAttempt(attempt + 1);
    const ready = files.filter((f) => f.state === "done");
    if (files.some((f) => f.state === "uploading")) {
      setError({ message: t("reply.wait_uploads"), fieldErrors: [] });
      return;
    }
    if (!draft.message.trim() && !ready.length) {
      setError({ message: null, fieldErrors: [{ field: "reply-message", message: t("reply.empty") }] });
      return;
    }
    await run(async () => {
      await api("POST", `${base}/replies`, { message: draft.message, upload_ids: ready.map((f) => f.upload_id) }, { "Idempotency-Key": draft.key });
      clearReplyDraft(application.id);
      onSent();
    });
  };

  const messageError = error?.fieldErrors?.find((e) => e.field === "reply-message")?.message;
  const filesError = error?.fieldErrors?.find((e) => e.field === "reply-files")?.message;
  const room = MAX_FILES - files.filter((f) => f.state !== "failed").length;
  return (
    <form onSubmit={send} novalidate class="kern-stack action-form" aria-labelledby="reply-heading">
      <h3 class="kern-heading-small" id="reply-heading">{t("detail.answer")}</h3>
      <ErrorSummary errors={error?.fieldErrors} message={error?.message} focusToken={attempt} />
      <TextField id="reply-message" label={t("detail.answer_label")} hint={t("reply.message_hint")} value={draft.message} error={messageError} onInput={type} multiline maxLength={4000} />
      <div class={filesError ? "kern-form-input kern-form-input--error" : "kern-form-input"}>
        <label class="kern-label" for="reply-files">{t("reply.files_label")}</label>
        <div class="kern-hint" id="reply-files-hint">{t("reply.files_hint", { max: MAX_FILES })}</div>
        {filesError && (
          <p class="kern-error" id="reply-files-error">
            <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
            <span class="kern-body">{filesError}</span>
          </p>
        )}
        {files.length > 0 && (
          <ul class="kern-list file-list" aria-label={t("reply.files_list")}>
            {files.map((item) => (
              <FileRow key={item.localId} item={item} onRemove={remove} />
            ))}
          </ul>
        )}
        {room > 0 &&
          (isOnline ? (
            <input
              ref={input}
              class="kern-form-input__input"
              type="file"
              id="reply-files"
              name="reply-files"
              accept={ACCEPT}
              multiple={room > 1}
              aria-describedby={["reply-files-hint", filesError && "reply-files-error"].filter(Boolean).join(" ")}
              onChange={choose}
            />
          ) : (
            <p class="kern-body" id="reply-files" tabIndex={-1}>
              {t("reply.files_offline")}
            </p>
          ))}
      </div>
      <p class="kern-body visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
      {!isOnline && <Alert kind="info" title={t("reply.offline_kept")} live={false} />}
      <div class="kern-btn-wrapper">
        <Button type="submit" disabled={sending}>{sending ? t("reply.sending") : t("detail.answer_send")}</Button>
        <Button variant="tertiary" onClick={onCancel}>{t("detail.cancel")}</Button>
      </div>
    </form>
  );
}
