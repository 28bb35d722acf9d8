// Notices, certificates and permits are legally binding and stay German (German is the
// official language of the authorities; the server writes some in English as well).
// Readers of any other language get, beside the download, an explanation in their
// language of why, and what the document is.
import { locale, t } from "../lib/i18n.js";
import { DOCUMENT_LANGUAGES } from "../lib/languages.js";
import { useSignal } from "../lib/signal.js";

export function GermanDocumentNote({ name }) {
  const lang = useSignal(locale);
  if (DOCUMENT_LANGUAGES.includes(lang)) return null;
  return (
    <p class="kern-body kern-body--small german-document-note">
      <span class="kern-icon kern-icon--info kern-icon--small" aria-hidden="true" /> {t("lang.document_in_german", { name })}
    </p>
  );
}
