// One inbox thread: the messages about one application (or one message on its own) in
// the order they came, with their documents; opening it marks the thread read.
import { useEffect, useRef } from "preact/hooks";
import { Badge } from "../../components/forms.jsx";
import { GermanDocumentNote } from "../../components/german-document-note.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError, OfflineCopy } from "../../components/status.jsx";
import { api } from "../../lib/api.js";
import { formatDateTime, locale, pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { refreshUnread } from "../../lib/unread.js";
import { useResource } from "../../hooks/use-resource.js";
import { NoticesLink } from "../payments/links.jsx";
import { DocumentLink } from "../../components/document-link.jsx";

export function InboxThreadPage({ threadKey }) {
  return (
    <RequireSignIn title={t("inbox.title")}>
      <InboxThread threadKey={threadKey} />
    </RequireSignIn>
  );
}

/** The document's download, named as a person reads it, in the language shown. */
function DocumentDownload({ document }) {
  const name = document.download_name || document.title || document.filename;
  const href = `/api/documents/${encodeURIComponent(document.id)}?lang=${locale.get()}`;
  return (
    <div>
      <DocumentLink class="kern-btn kern-btn--secondary" href={href} name={name} download={name}>
        <span class="kern-label">{t("inbox.download", { name })}</span>
      </DocumentLink>
      <GermanDocumentNote name={document.title || name} />
    </div>
  );
}

function Message({ message, wasUnread }) {
  const headingId = `message-${message.id}`;
  return (
    <li class="inbox-thread__message">
      <article aria-labelledby={headingId}>
        <h2 class="kern-heading-small" id={headingId}>
          {message.subject}
        </h2>
        <p class="kern-body kern-body--small list-meta">
          {formatDateTime(message.created_at)} {wasUnread && <Badge kind="info">{t("inbox.new")}</Badge>}
        </p>
        <div class="message-body">
          {message.body
            .split(/\n+/)
            .filter(Boolean)
            .map((paragraph, index) => (
              <p class="kern-body" key={index}>
                {paragraph}
              </p>
            ))}
        </div>
        {message.document && <DocumentDownload document={message.document} />}
      </article>
    </li>
  );
}

function InboxThread({ threadKey }) {
  const { data, error, cachedAt } = useResource(`/api/inbox/threads/${encodeURIComponent(threadKey)}`);
  // What was new when the thread opened stays marked while it is read.
  const unreadAtOpen = useRef(null);
  if (data && unreadAtOpen.current === null) {
    unreadAtOpen.current = new Set(data.messages.filter((message) => !message.read).map((message) => message.id));
  }
  useEffect(() => {
    if (data?.unread && !cachedAt) api("POST", `/api/inbox/threads/${encodeURIComponent(data.key)}/read`).then(refreshUnread, () => {});
  }, [data?.key, data?.unread]);
  if (!data) {
    const notFound = error?.status === 404;
    return (
      <Page title={notFound ? t("not_found.title") : t("inbox.title")}>
        {notFound ? <p class="kern-body">{t("inbox.thread_not_found")}</p> : error ? <LoadError error={error} /> : <Loading />}
        <Link class="kern-link" href="/postfach">{t("inbox.back")}</Link>
      </Page>
    );
  }
  const title = data.title ? pick(data.title) : data.subject;
  const caption = data.reference ? t("inbox.reference", { reference: data.reference }) : undefined;
  const aboutNotice = data.messages.some((message) => message.kind === "notice" || message.kind === "payment_reminder");
  return (
    <Page title={title} caption={caption}>
      <OfflineCopy cachedAt={cachedAt} />
      <ol class="kern-list inbox-thread" aria-label={t("inbox.thread_label")}>
        {data.messages.map((message) => (
          <Message key={message.id} message={message} wasUnread={unreadAtOpen.current.has(message.id)} />
        ))}
      </ol>
      <ul class="kern-list link-list">
        {aboutNotice && (
          <li>
            <NoticesLink />
          </li>
        )}
        {data.application_id && (
          <li>
            <Link class="kern-link" href={`/antraege/${data.application_id}`}>{t("inbox.to_application")}</Link>
          </li>
        )}
        <li>
          <Link class="kern-link" href="/postfach">{t("inbox.back")}</Link>
        </li>
      </ul>
    </Page>
  );
}
