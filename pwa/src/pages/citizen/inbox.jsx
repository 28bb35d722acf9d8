// The inbox (Postfach): one thread per application (and per message about nothing
// else), latest activity first, one "new" marker per thread.
import { useEffect, useState } from "preact/hooks";
import { Badge, Button } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { LoadError, OfflineCopy } from "../../components/status.jsx";
import { api } from "../../lib/api.js";
import { formatDateTime, pick, t } from "../../lib/i18n.js";
import { Link, navigate } from "../../lib/router.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { NoticesLink } from "../payments/links.jsx";

import { threadPath } from "./thread-path.js";

// As many threads as the API sends by default: a full page means there may be more.
const PAGE = 50;

export function InboxPage() {
  return (
    <RequireSignIn title={t("inbox.title")}>
      <Inbox />
    </RequireSignIn>
  );
}

function ThreadRow({ thread }) {
  const heading = thread.title ? pick(thread.title) : thread.subject;
  return (
    <li class={thread.unread ? "item-list__item item-list__item--unread" : "item-list__item"}>
      <Link class="kern-link" href={threadPath(thread.key)}>
        {heading}
        {thread.reference && <span class="visually-hidden">, {t("inbox.reference", { reference: thread.reference })}</span>}
      </Link>
      {thread.unread && <Badge kind="info">{t("inbox.new")}</Badge>}
      <span class="kern-body kern-body--small list-meta">
        {thread.reference && <span aria-hidden="true">{t("inbox.reference", { reference: thread.reference })} · </span>}
        {thread.title && `${thread.subject} · `}
        {formatDateTime(thread.latest_at)} · {t("inbox.count", { count: thread.count })}
      </span>
    </li>
  );
}

function Inbox() {
  const { data, error, cachedAt } = useResource("/api/inbox/threads");
  const [older, setOlder] = useState([]);
  const [more, setMore] = useState(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState(null);
  const threads = data ? [...data, ...older] : null;
  const hasMore = more ?? (data ? data.length >= PAGE : false);
  const loadMore = async () => {
    setLoadingMore(true);
    try {
      const last = threads[threads.length - 1];
      const page = await api("GET", `/api/inbox/threads?before_id=${last.latest_id}&limit=${PAGE}`);
      setOlder((previous) => [...previous, ...page]);
      setMore(page.length >= PAGE);
      setMoreError(null);
    } catch (caught) {
      setMoreError(caught);
    }
    setLoadingMore(false);
  };
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
      {threads && threads.length === 0 && <p class="kern-body">{t("inbox.empty")}</p>}
      {threads && threads.length > 0 && (
        <ul class="kern-list item-list" aria-label={t("inbox.threads_label")}>
          {threads.map((thread) => (
            <ThreadRow key={thread.key} thread={thread} />
          ))}
        </ul>
      )}
      <LoadError error={moreError} />
      {threads && hasMore && (
        <p>
          <Button variant="secondary" onClick={loadMore} disabled={loadingMore}>
            {t("inbox.more")}
          </Button>
        </p>
      )}
    </Page>
  );
}

/** A link to one message (from a notification): opens the thread that holds it. */
export function InboxMessagePage({ messageId }) {
  return (
    <RequireSignIn title={t("inbox.title")}>
      <InboxMessage messageId={Number(messageId)} />
    </RequireSignIn>
  );
}

function InboxMessage({ messageId }) {
  const { data: message, error } = useResource(Number.isInteger(messageId) && messageId > 0 ? `/api/inbox/${messageId}` : null);
  useEffect(() => {
    if (message) navigate(threadPath(message.thread), { replace: true });
  }, [message?.id]);
  const missing = !Number.isInteger(messageId) || messageId <= 0 || error?.status === 404;
  if (!missing) return <Page title={t("inbox.title")}>{error ? <LoadError error={error} /> : <Loading />}</Page>;
  return (
    <Page title={t("not_found.title")}>
      <p class="kern-body">{t("inbox.not_found")}</p>
      <Link class="kern-link" href="/postfach">{t("inbox.back")}</Link>
    </Page>
  );
}
