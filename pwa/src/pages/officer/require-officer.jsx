// The officers' screens are for the roles officer and admin.
import { Page } from "../../components/page.jsx";
import { RequireSignIn } from "../../components/require-sign-in.jsx";
import { session } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { isOfficer } from "../../lib/passes/wallet-flag.js";
import { useSignal } from "../../lib/signal.js";

export function RequireOfficer({ title, children }) {
  const current = useSignal(session);
  return (
    <RequireSignIn title={title}>
      {isOfficer(current.user) ? (
        children
      ) : (
        <Page title={t("officer.no_access_title")}>
          <p class="kern-body">{t("officer.no_access_text")}</p>
        </Page>
      )}
    </RequireSignIn>
  );
}
