// Clerks' screens are for staff and admins only.
import { Page } from "./page.jsx";
import { RequireSignIn } from "./require-sign-in.jsx";
import { session } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { useSignal } from "../lib/signal.js";

export const isStaff = (user) => user && (user.role === "staff" || user.role === "admin");

export function RequireStaff({ title, children }) {
  const current = useSignal(session);
  return (
    <RequireSignIn title={title}>
      {isStaff(current.user) ? (
        children
      ) : (
        <Page title={t("staff.no_access_title")}>
          <p class="kern-body">{t("staff.no_access_text")}</p>
        </Page>
      )}
    </RequireSignIn>
  );
}
