// The second parent confirms a day-care application with the link from their mail.
// The token is in the address's fragment, so it never reaches server logs.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary } from "../../components/forms.jsx";
import { Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { formatDateTime, t } from "../../lib/i18n.js";
import "./catalogue.js";

// Kept for this tab: signing in first leads back here without the fragment.
const TOKEN_KEY = "kita-confirm-token";
if (typeof window !== "undefined" && window.location.hash.length > 1) {
  sessionStorage.setItem(TOKEN_KEY, window.location.hash.slice(1));
}

export function KitaConfirmPage() {
  return (
    <RequireSignIn title={t("kita.confirm.title")}>
      <Page title={t("kita.confirm.title")}>
        <Confirm />
      </Page>
    </RequireSignIn>
  );
}

function Confirm() {
  const [token] = useState(() => window.location.hash.slice(1) || sessionStorage.getItem(TOKEN_KEY) || "");
  const [done, setDone] = useState(null);
  const action = useAction();
  if (done) {
    return (
      <Alert kind="success" title={t("kita.confirm.done_title")}>
        {t("kita.confirm.done", { reference: done.reference, when: formatDateTime(done.confirmed_at) })}
      </Alert>
    );
  }
  if (!token) return <p class="kern-body">{t("kita.confirm.no_token")}</p>;
  return (
    <>
      <p class="kern-body">{t("kita.confirm.intro")}</p>
      {action.error && <ErrorSummary errors={action.error.fieldErrors || []} message={action.error.message} />}
      <Button
        disabled={action.busy}
        onClick={() => action.run(async () => setDone(await api("POST", "/api/kita/confirmations", { token })))}
      >
        {t("kita.confirm.button")}
      </Button>
    </>
  );
}
