// Starting an application: a new draft of the service's current version, opened at the
// form's first page. The start page and the guide's start button both begin here.
import { startDraft } from "../drafts.js";
import { navigate } from "../router.jsx";
import { buildPages } from "./pages.js";

/** Start a draft of ``definition`` and open its first page. */
export async function openNewDraft(definition) {
  const draft = await startDraft(definition);
  const first = buildPages(definition, draft.answers)[0];
  navigate(`/antrag/${draft.localId}/${first.key}`);
}
