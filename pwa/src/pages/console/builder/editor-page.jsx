// The service builder: one version of a service, edited section by section, saved as
// the admin goes (If-Match; a conflict is shown, never lost), its problems listed and
// shown at their inputs, a phone beside it showing the form as a citizen will see it.
import { useEffect, useState } from "preact/hooks";
import { Alert, Button } from "../../../components/forms.jsx";
import { Loading } from "../../../components/page.jsx";
import { LoadError } from "../../../components/status.jsx";
import { useResource } from "../../../hooks/use-resource.js";
import { pick, t } from "../../../lib/i18n.js";
import { Link, navigate, queryParam, useLocation } from "../../../lib/router.jsx";
import { ConsolePage } from "../layout.jsx";
import { StateBadge, editorPagePath, servicePath } from "../services-shared.jsx";
import "./builder.css";
import { ConflictScreen } from "./conflict-screen.jsx";
import { ProblemSummary, inputFor } from "./problem-summary.jsx";
import { sectionOf, sectionsFor } from "./sections.js";
import { useWorkingCopy } from "./use-working-copy.js";

const previewModule = Object.values(import.meta.glob("./phone-preview.jsx", { eager: true }))[0];
const PhonePreview = previewModule?.PhonePreview;

function SaveStatus({ status, error }) {
  const text = status === "failed" && error?.code !== "network" && error?.message ? error.message : t(`console.builder.status.${status}`);
  return (
    <p class={`kern-body builder-status builder-status--${status}`} role="status">
      {text}
    </p>
  );
}

function SectionNav({ serviceId, version, current, problems, definition }) {
  return (
    <nav class="builder-nav" aria-label={t("console.builder.sections_label")}>
      <ul class="builder-nav__list">
        {sectionsFor(definition).map((section) => {
          const count = problems.filter((problem) => sectionOf(problem.field, definition) === section).length;
          return (
            <li key={section.id}>
              <Link
                class="kern-link builder-nav__link"
                href={editorPagePath(serviceId, version, section.id)}
                aria-current={section.id === current.id ? "page" : undefined}
              >
                {t(section.labelKey)}
                {count > 0 && <span class="builder-nav__count">{t("console.builder.section_problems", { count })}</span>}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Section({ section, copy, parts, previewAnswers, readOnly }) {
  const Component = section.component;
  return (
    <section class="builder-section kern-stack" aria-labelledby="builder-section-heading">
      <h2 class="kern-heading-medium" id="builder-section-heading" tabIndex={-1}>
        {t(section.labelKey)}
      </h2>
      {Component ? (
        <Component
          definition={copy.definition}
          onChange={copy.change}
          problems={copy.problems}
          parts={parts}
          languages={parts.languages}
          previewAnswers={previewAnswers}
          readOnly={readOnly}
        />
      ) : (
        <Alert kind="info" title={t("console.builder.section_missing")} />
      )}
    </section>
  );
}

function Builder({ serviceId, version, copy, parts }) {
  const { search } = useLocation();
  const sections = sectionsFor(copy.definition);
  const section = sections.find((candidate) => candidate.id === queryParam(search, "teil")) || sections[0];
  const [previewAnswers, setPreviewAnswers] = useState({});
  const [focusPath, setFocusPath] = useState(null);
  const [publishing, setPublishing] = useState(false);
  const readOnly = copy.record.state !== "draft";

  // A problem's link opens its section; once that has rendered, its input takes focus.
  useEffect(() => {
    if (!focusPath) return;
    const target = inputFor(focusPath) || document.getElementById("builder-section-heading");
    target?.focus();
    target?.scrollIntoView?.({ block: "center" });
    setFocusPath(null);
  }, [focusPath, section.id]);

  // Leaving with changes not yet on the server asks first.
  useEffect(() => {
    const warn = (event) => {
      if (copy.status === "unsaved" || copy.status === "saving" || copy.status === "conflict") event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [copy.status]);

  const open = (path) => {
    const target = sectionOf(path, copy.definition);
    if (target !== section) navigate(editorPagePath(serviceId, version, target.id));
    setFocusPath(path);
  };
  const publish = async () => {
    setPublishing(true);
    const done = await copy.publish();
    setPublishing(false);
    // The service's page says what happened (its list shows the new state, too).
    if (done) navigate(`${servicePath(serviceId)}?veroeffentlicht=${version}`);
  };

  if (copy.conflict) {
    return <ConflictScreen conflict={copy.conflict} busy={copy.status === "saving"} onTakeTheirs={copy.takeTheirs} onKeepMine={copy.keepMine} />;
  }
  return (
    <div class={readOnly ? "builder builder--read-only kern-stack" : "builder kern-stack"}>
      {/* Always on the page, so a screen reader hears it when the editor reloads itself. */}
      <p class={copy.notice ? "kern-body builder-notice" : "visually-hidden"} role="status" aria-live="polite">
        {copy.notice === "frozen" ? t("console.builder.frozen_meanwhile") : ""}
      </p>
      <div class="builder-bar">
        <StateBadge state={copy.record.state} />
        {readOnly ? (
          <p class="kern-body">{t("console.builder.read_only")}</p>
        ) : (
          <>
            <SaveStatus status={copy.status} error={copy.error} />
            <div class="builder-actions">
              <Button variant="secondary" onClick={() => copy.save()} disabled={copy.status === "saving" || copy.status === "saved"}>
                {t("console.builder.save")}
              </Button>
              {/* Never disabled: the server refuses a draft with problems and says why. */}
              <Button onClick={publish} disabled={publishing}>
                {t("console.builder.publish", { version })}
              </Button>
            </div>
          </>
        )}
      </div>
      {!readOnly && <ProblemSummary problems={copy.problems} onOpen={open} />}
      <div class="builder-columns">
        <div class="builder-main">
          <SectionNav serviceId={serviceId} version={version} current={section} problems={copy.problems} definition={copy.definition} />
          <Section section={section} copy={copy} parts={parts} previewAnswers={previewAnswers} readOnly={readOnly} />
        </div>
        <aside class="builder-preview" aria-labelledby="builder-preview-heading">
          <h2 class="kern-heading-small" id="builder-preview-heading">
            {t("console.builder.preview_heading")}
          </h2>
          {PhonePreview ? (
            <PhonePreview definition={copy.definition} answers={previewAnswers} onAnswers={setPreviewAnswers} />
          ) : (
            <p class="kern-body">{t("console.builder.section_missing")}</p>
          )}
        </aside>
      </div>
    </div>
  );
}

export function ConsoleServiceEditorPage({ serviceId, version }) {
  const copy = useWorkingCopy(serviceId, version);
  const parts = useResource("/api/admin/services/parts");
  const title = copy.definition
    ? t("console.builder.title", { title: pick(copy.definition.title) || serviceId, version })
    : t("console.builder.title_loading");
  let body;
  if (copy.record === null && copy.error) body = <LoadError error={copy.error} />;
  else if (parts.error) body = <LoadError error={parts.error} />;
  else if (!copy.record || !parts.data) body = <Loading />;
  else body = <Builder serviceId={serviceId} version={Number(version)} copy={copy} parts={parts.data} />;
  return (
    <ConsolePage title={title}>
      <p class="kern-body">
        <Link class="kern-link" href={servicePath(serviceId)}>
          {t("console.builder.back")}
        </Link>
      </p>
      {body}
    </ConsolePage>
  );
}
