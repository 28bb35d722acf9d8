// The builder's sections in the order of its navigation. ``owns`` are the definition's
// top-level keys a section edits: a problem the server reports at one of them is shown
// in that section, at its input.
const modules = import.meta.glob("./section-*.jsx", { eager: true });

function component(file, name) {
  const module = modules[`./${file}`];
  return module ? module[name] : null;
}

export const BUILDER_SECTIONS = [
  {
    id: "allgemein",
    labelKey: "console.builder.section.general",
    component: component("section-general.jsx", "GeneralSection"),
    owns: ["id", "version", "leika", "title", "description", "category", "area", "trust_level", "trust_note", "residence", "processing"],
  },
  { id: "schritte", labelKey: "console.builder.section.steps", component: component("section-steps.jsx", "StepsSection"), owns: ["steps"] },
  // A survey's own block (kind: survey): who may answer, how often, the banner.
  { id: "umfrage", labelKey: "console.builder.section.survey", component: component("section-survey.jsx", "SurveySection"), owns: ["survey", "kind"], kind: "survey" },
  { id: "gebuehren", labelKey: "console.builder.section.fees", component: component("section-fees.jsx", "FeesSection"), owns: ["fees", "payment"], kind: "service" },
  { id: "ablauf", labelKey: "console.builder.section.workflow", component: component("section-workflow.jsx", "WorkflowSection"), owns: ["workflow", "messages"], kind: "service" },
  { id: "dokumente", labelKey: "console.builder.section.documents", component: component("section-documents.jsx", "DocumentsSection"), owns: ["documents"], kind: "service" },
  {
    id: "regeln",
    labelKey: "console.builder.section.rules",
    component: component("section-rules.jsx", "RulesSection"),
    owns: ["checks", "auto_decision", "warnings", "plugin_options"],
    kind: "service",
  },
  { id: "uebergabe", labelKey: "console.builder.section.handoff", component: component("section-handoff.jsx", "HandoffSection"), owns: ["handoff"], kind: "service" },
  { id: "aufbewahrung", labelKey: "console.builder.section.retention", component: component("section-retention.jsx", "RetentionSection"), owns: ["retention"], kind: "service" },
  {
    id: "leichte-sprache",
    labelKey: "console.builder.section.easy",
    component: component("section-leichte-sprache.jsx", "LeichteSpracheSection"),
    owns: ["leichte_sprache"],
    kind: "service",
  },
  // The guide page ("So beantragen Sie …"): notes per step, example answers, what to have at hand.
  { id: "anleitung", labelKey: "console.builder.section.guide", component: component("section-guide.jsx", "GuideSection"), owns: ["guide"], kind: "service" },
  { id: "texte", labelKey: "console.builder.section.texts", component: component("section-texts.jsx", "TextsSection"), owns: [] },
];

/** The sections that apply to ``definition``: a survey has no fees, workflow,
 * documents or rules, a service no survey block. */
export function sectionsFor(definition) {
  const kind = definition?.kind === "survey" ? "survey" : "service";
  return BUILDER_SECTIONS.filter((section) => !section.kind || section.kind === kind);
}

/** The section a problem at ``path`` belongs to (the general one for the top level);
 * with ``definition``, only among the sections that apply to it. */
export function sectionOf(path, definition) {
  const key = path.split(/[.[]/)[0];
  const sections = definition ? sectionsFor(definition) : BUILDER_SECTIONS;
  return sections.find((section) => section.owns.includes(key)) || sections[0];
}
