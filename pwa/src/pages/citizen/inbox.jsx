// The inbox (Postfach): messages about applications, with documents to download.
import { useEffect } from "preact/hooks";
import { Badge } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError, OfflineCopy } from "../../components/status.jsx";
import { api } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { refreshUnread } from "../../lib/unread.js";
import { useResource } from "../../hooks/use-resource.js";
import { NoticesLink } from "../payments/links.jsx";

export function InboxPage() {
  return (
    <RequireSignIn title={t("inbox.title")}>
      <Inbox />
    </RequireSignIn>
  );
}

function Inbox() {
  const { data, error, cachedAt } = useResource("/api/inbox");
  return (
    <Page title={t("inbox.title")}>
      <p class="kern-body">{t("inbox.intro")}</p>
      <ul class="kern-list link-list">
        <li>
          <NoticesLink />
        </li>
      </ul>
      <OfflineCopy cachedAt={cachedAt} />
      <LoadError error={!data && error} />
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="kern-body">{t("inbox.empty")}</p>}
      {data && data.length > 0 && (
        <ul class="kern-list item-list">
          {data.map((message) => (
            <li key={message.id} class={message.read ? "item-list__item" : "item-list__item item-list__item--unread"}>
              <Link class="kern-link" href={`/postfach/${message.id}`}>
                {message.subject}
              </Link>
              <span class="kern-body kern-body--small list-meta">
                {formatDateTime(message.created_at)}
                {message.document && ` · ${t("inbox.has_document")}`}
              </span>
              {!message.read && <Badge kind="info">{t("inbox.new")}</Badge>}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export function InboxMessagePage({ messageId }) {
  return (
    <RequireSignIn title={t("inbox.title")}>
      <InboxMessage messageId={Number(messageId)} />
    </RequireSignIn>
  );
}

function InboxMessage({ messageId }) {
  const { data, error, cachedAt } = useResource("/api/inbox");
  const message = data?.find((item) => item.id === messageId);
  useEffect(() => {
    if (message && !message.read) api("POST", `/api/inbox/${message.id}/read`).then(refreshUnread, () => {});
  }, [message?.id]);
  if (!data) return <Page title={t("inbox.title")}>{error ? <LoadError error={error} /> : <Loading />}</Page>;
  if (!message) {
    return (
      <Page title={t("not_found.title")}>
        <p class="kern-body">{t("inbox.not_found")}</p>
        <Link class="kern-link" href="/postfach">{t("inbox.back")}</Link>
      </Page>
    );
  }
  return (
    <Page title={message.subject}>
      <OfflineCopy cachedAt={cachedAt} />
      <p class="kern-body kern-body--small">{formatDateTime(message.created_at)}</p>
      <div class="message-body">
        {message.body.split(/\n+/).map((paragraph, index) => (
          <p class="kern-body" key={index}>
            {paragraph}
          </p>
        ))}
      </div>
      {message.document && (
        <p>
          <a class="kern-btn kern-btn--secondary" href={`/api/documents/${message.document.id}`} download>
            <span class="kern-label">{t("inbox.download", { name: message.document.title || message.document.filename })}</span>
          </a>
        </p>
      )}
      <ul class="kern-list link-list">
        {message.kind === "notice" && (
          <li>
            <NoticesLink />
          </li>
        )}
        {message.application_id && (
          <li>
            <Link class="kern-link" href={`/antraege/${message.application_id}`}>{t("inbox.to_application")}</Link>
          </li>
        )}
        <li>
          <Link class="kern-link" href="/postfach">{t("inbox.back")}</Link>
        </li>
      </ul>
    </Page>
  );
}
