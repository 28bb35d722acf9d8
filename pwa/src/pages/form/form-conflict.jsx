// Two devices changed the same draft. Both versions are shown; the citizen chooses
// which one continues, or keeps both. Nothing is thrown away without that choice.
import { useMemo } from "preact/hooks";
import { AnswerSummary, pageRows, pageTitle } from "../../components/answer-summary.jsx";
import { Alert, Button } from "../../components/forms.jsx";
import { Loading, Page } from "../../components/page.jsx";
import { continueAsNew, keepBoth, keepMine, removeDraft, takeServer } from "../../lib/drafts.js";
import { buildPages } from "../../lib/form/pages.js";
import { formatDateTime, pick, t } from "../../lib/i18n.js";
import { navigate } from "../../lib/router.jsx";
import { useDraft } from "../../hooks/use-draft.js";
import { LEAVING, useAction } from "../../hooks/use-action.js";
import { MissingDraft } from "./form-step.jsx";

function Version({ id, title, when, pages, answers }) {
  return (
    <section class="conflict-version kern-stack" aria-labelledby={id}>
      <h2 class="kern-heading-medium" id={id}>
        {title}
      </h2>
      <p class="kern-body kern-body--small">{when}</p>
      <AnswerSummary pages={pages} answers={answers} headingLevel={3} />
    </section>
  );
}

/** The answers that differ between the two versions, page by page. */
function differences(minePages, mineAnswers, serverPages, serverAnswers) {
  const keys = [...new Set([...minePages, ...serverPages].map((page) => page.key))];
  const found = [];
  for (const key of keys) {
    const minePage = minePages.find((page) => page.key === key);
    const serverPage = serverPages.find((page) => page.key === key);
    const mine = minePage ? pageRows(minePage, mineAnswers) : [];
    const theirs = serverPage ? pageRows(serverPage, serverAnswers) : [];
    for (const path of [...new Set([...mine, ...theirs].map((row) => row.path))]) {
      const a = mine.find((row) => row.path === path);
      const b = theirs.find((row) => row.path === path);
      if ((a?.value ?? "–") !== (b?.value ?? "–")) {
        found.push({ path, page: pageTitle(minePage || serverPage), label: (a || b).label, mine: a?.value ?? "–", theirs: b?.value ?? "–" });
      }
    }
  }
  return found;
}

function Differences({ rows }) {
  if (!rows.length) return null;
  return (
    <section class="kern-stack" aria-labelledby="differences-heading">
      <h2 class="kern-heading-medium" id="differences-heading">{t("conflict.differences")}</h2>
      <ul class="kern-list item-list">
        {rows.map((row) => (
          <li class="item-list__item difference" key={row.path}>
            <span class="kern-body">
              <strong>{row.label}</strong> ({row.page})
            </span>
            <span class="kern-body list-meta">
              {t("conflict.this_device")}: {row.mine}
            </span>
            <span class="kern-body list-meta">
              {t("conflict.other_device")}: {row.theirs}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function FormConflictPage({ localId }) {
  const draft = useDraft(localId);
  if (draft === undefined) return <Page title={t("app.loading")}><Loading /></Page>;
  if (draft === null) return <MissingDraft />;
  if (!draft.conflict) {
    return (
      <Page title={t("conflict.resolved_title")}>
        <p class="kern-body">{t("conflict.resolved_text")}</p>
        <Button onClick={() => navigate(`/antrag/${draft.localId}/weiter`)}>{t("conflict.continue")}</Button>
      </Page>
    );
  }
  return <Conflict draft={draft} />;
}

function Conflict({ draft }) {
  const { busy, run } = useAction();
  const { definition, conflict } = draft;
  const server = conflict.server;
  const minePages = useMemo(() => buildPages(definition, draft.answers), [definition, draft.answers]);
  const serverPages = useMemo(() => buildPages(definition, server.answers || {}), [definition, server.answers]);
  const act = (action, target) =>
    run(async () => {
      navigate(target(await action(draft.localId)));
      return LEAVING;
    });
  const submitted = conflict.kind === "submitted";
  return (
    <Page title={submitted ? t("conflict.submitted_title") : t("conflict.title")} caption={pick(draft.title)} wide>
      <Alert kind="warning" title={submitted ? t("conflict.submitted_lead", { reference: server.reference || "" }) : t("conflict.lead")}>
        <p class="kern-body">{submitted ? t("conflict.submitted_text") : t("conflict.text")}</p>
      </Alert>
      <Differences rows={differences(minePages, draft.answers, serverPages, server.answers || {})} />
      <div class="conflict-columns">
        <Version
          id="mine-heading"
          title={t("conflict.mine")}
          when={t("conflict.changed_at", { time: formatDateTime(draft.updatedAt) })}
          pages={minePages}
          answers={draft.answers}
        />
        <Version
          id="server-heading"
          title={submitted ? t("conflict.server_submitted") : t("conflict.server")}
          when={t("conflict.changed_at", { time: formatDateTime(server.updatedAt) })}
          pages={serverPages}
          answers={server.answers || {}}
        />
      </div>
      <section class="kern-stack" aria-labelledby="choose-heading">
        <h2 class="kern-heading-medium" id="choose-heading">{t("conflict.choose")}</h2>
        {submitted ? (
          <div class="kern-btn-wrapper choice-buttons">
            <Button disabled={busy} onClick={() => act(continueAsNew, (copy) => `/antrag/${copy.localId}/pruefen`)}>
              {t("conflict.continue_as_new")}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => act(removeDraft, () => "/antraege")}>
              {t("conflict.discard_mine")}
            </Button>
          </div>
        ) : (
          <div class="kern-btn-wrapper choice-buttons">
            <Button disabled={busy} onClick={() => act(keepMine, () => `/antrag/${draft.localId}/pruefen`)}>
              {t("conflict.keep_mine")}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => act(takeServer, () => `/antrag/${draft.localId}/pruefen`)}>
              {t("conflict.take_server")}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => act(keepBoth, () => "/antraege")}>
              {t("conflict.keep_both")}
            </Button>
          </div>
        )}
      </section>
    </Page>
  );
}
