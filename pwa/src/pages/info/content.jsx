// Long texts (privacy, imprint, accessibility statement) come as blocks from the content
// catalogues: headings, paragraphs, numbered steps and lists.
import { Page } from "../../components/page.jsx";
import { addCatalogues, t } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";

addCatalogues({ de, en });

export function Blocks({ blocks }) {
  return (blocks || []).map((block, index) => {
    if (block.h2) return <h2 class="kern-heading-medium" key={index}>{block.h2}</h2>;
    if (block.steps) {
      return (
        <ol class="kern-list kern-list--number steps" key={index}>
          {block.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      );
    }
    if (block.list) {
      return (
        <ul class="kern-list kern-list--bullet" key={index}>
          {block.list.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      );
    }
    return (
      <p class="kern-body preserve-lines" key={index}>
        {block.p}
      </p>
    );
  });
}

export function ContentPage({ name, children }) {
  return (
    <Page title={t(`${name}.title`)}>
      <Blocks blocks={t(`${name}.blocks`)} />
      {children}
    </Page>
  );
}
