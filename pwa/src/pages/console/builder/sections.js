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
  { id: "gebuehren", labelKey: "console.builder.section.fees", component: component("section-fees.jsx", "FeesSection"), owns: ["fees", "payment"] },
  { id: "ablauf", labelKey: "console.builder.section.workflow", component: component("section-workflow.jsx", "WorkflowSection"), owns: ["workflow", "messages"] },
  { id: "dokumente", labelKey: "console.builder.section.documents", component: component("section-documents.jsx", "DocumentsSection"), owns: ["documents"] },
  {
    id: "regeln",
    labelKey: "console.builder.section.rules",
    component: component("section-rules.jsx", "RulesSection"),
    owns: ["checks", "auto_decision", "warnings", "plugin_options"],
  },
  { id: "texte", labelKey: "console.builder.section.texts", component: component("section-texts.jsx", "TextsSection"), owns: [] },
];

/** The section a problem at ``path`` belongs to (the general one for the top level). */
export function sectionOf(path) {
  const key = path.split(/[.[]/)[0];
  return BUILDER_SECTIONS.find((section) => section.owns.includes(key)) || BUILDER_SECTIONS[0];
}
