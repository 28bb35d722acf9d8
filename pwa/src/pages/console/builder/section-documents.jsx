// The builder's documents: what the citizen receives and when (a status of the
// workflow), by which channel, made by which registered generator; add, remove, reorder.
import { Button, TextField } from "../../../components/forms.jsx";
import { pick, t } from "../../../lib/i18n.js";
import { LocalizedInput } from "./localized-input.jsx";
import { inputIdFor, move, setIn } from "./paths.js";
import { useAnnouncer } from "./announcer.jsx";
import { ItemActions, ItemProblems, Select, SectionFrame, errorAt, freshId, partChoices, partEntry, statusChoices } from "./sections-shared.jsx";

function DocumentEditor({ document, index, count, definition, parts, languages, problems, onChange, onMove, onRemove }) {
  const path = `documents[${index}]`;
  const set = (key, value) => onChange(setIn(document, [key], value));
  const name = pick(document.title) || document.id || t("console.builder.documents.number", { number: index + 1 });
  const statuses = statusChoices(definition, parts);
  const generator = partEntry(parts.document_generators, document.generator);
  return (
    <fieldset class="sec-item">
      <legend class="kern-heading-small">{t("console.builder.documents.legend", { number: index + 1, name })}</legend>
      <ItemProblems problems={problems} path={path} />
      <div class="sec-row">
        <TextField id={inputIdFor(`${path}.id`)} label={t("console.builder.documents.id")} hint={t("console.builder.sections.id_hint")} error={errorAt(problems, `${path}.id`)} value={document.id ?? ""} autocomplete="off" spellcheck={false} onInput={(text) => set("id", text.trim())} />
        <Select id={inputIdFor(`${path}.kind`)} label={t("console.builder.documents.kind")} error={errorAt(problems, `${path}.kind`)} value={document.kind} choices={partChoices(parts.document_kinds, "console.builder.value.document_kind", document.kind)} onChange={(value) => set("kind", value)} />
      </div>
      <LocalizedInput path={`${path}.title`} label={t("console.builder.documents.title_label")} value={document.title} languages={languages} problems={problems} onChange={(value) => set("title", value)} />
      <Select
        id={inputIdFor(`${path}.issued_on`)}
        label={t("console.builder.documents.issued_on")}
        hint={t("console.builder.documents.issued_on_hint")}
        error={errorAt(problems, `${path}.issued_on`)}
        value={document.issued_on}
        empty={t("console.builder.workflow.choose_status")}
        choices={statuses.concat(document.issued_on && !statuses.some(([id]) => id === document.issued_on) ? [[document.issued_on, document.issued_on]] : [])}
        onChange={(value) => set("issued_on", value || undefined)}
      />
      <div class="sec-row">
        <Select
          id={inputIdFor(`${path}.channel`)}
          label={t("console.builder.documents.channel")}
          error={errorAt(problems, `${path}.channel`)}
          value={document.channel}
          empty={t("console.builder.documents.channel_default")}
          choices={partChoices(parts.document_channels, "console.builder.value.document_channel", document.channel)}
          onChange={(value) => set("channel", value || undefined)}
        />
        <Select
          id={inputIdFor(`${path}.generator`)}
          label={t("console.builder.documents.generator")}
          hint={generator?.description ? pick(generator.description) : t("console.builder.documents.generator_hint")}
          error={errorAt(problems, `${path}.generator`)}
          value={document.generator}
          empty={t("console.builder.documents.generator_default")}
          choices={partChoices(parts.document_generators, null, document.generator)}
          onChange={(value) => set("generator", value || undefined)}
        />
      </div>
      <ItemActions name={t("console.builder.documents.name", { name })} index={index} count={count} onMove={onMove} onRemove={onRemove} listId={inputIdFor("documents")} />
    </fieldset>
  );
}

export function DocumentsSection({ definition, onChange, problems, parts, languages, readOnly }) {
  const [announcement, announce] = useAnnouncer();
  const documents = definition.documents || [];
  const setDocuments = (next) => onChange(setIn(definition, ["documents"], next.length ? next : undefined));
  const nameOf = (document) => pick(document.title) || document.id;
  const add = () => {
    const id = freshId("document", documents.map((document) => document.id));
    const kind = partChoices(parts.document_kinds)[0]?.[0] || "confirmation";
    setDocuments([...documents, { id, kind, title: undefined, issued_on: statusChoices(definition, parts)[0]?.[0] }]);
    announce(t("console.builder.documents.added", { number: documents.length + 1 }));
    setTimeout(() => document.getElementById(inputIdFor(`documents[${documents.length}].id`))?.focus());
  };
  return (
    <SectionFrame titleKey="console.builder.section.documents" introKey="console.builder.documents.intro" readOnly={readOnly}>
      {announcement}
      <ItemProblems problems={problems} path="documents" />
      {documents.length === 0 && <p class="kern-body">{t("console.builder.documents.none")}</p>}
      {documents.map((item, index) => (
        <DocumentEditor
          key={index}
          document={item}
          index={index}
          count={documents.length}
          definition={definition}
          parts={parts}
          languages={languages}
          problems={problems}
          onChange={(next) => setDocuments(setIn(documents, [index], next))}
          onMove={(from, to) => {
            setDocuments(move(documents, from, to));
            announce(t("console.builder.sections.moved", { name: nameOf(documents[from]), position: to + 1, count: documents.length }));
          }}
          onRemove={(at) => {
            setDocuments(documents.filter((_, i) => i !== at));
            announce(t("console.builder.documents.removed", { name: nameOf(documents[at]) }));
          }}
        />
      ))}
      <div>
        <Button variant="secondary" onClick={add}>
          {t("console.builder.documents.add")}
        </Button>
      </div>
    </SectionFrame>
  );
}
