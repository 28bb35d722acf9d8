import { Page } from "../components/page.jsx";
import { t } from "../lib/i18n.js";
import { Link } from "../lib/router.jsx";

export function NotFoundPage() {
  return (
    <Page title={t("not_found.title")}>
      <p class="kern-body">{t("not_found.text")}</p>
      <p>
        <Link href="/" class="kern-link">
          {t("not_found.home")}
        </Link>
      </p>
    </Page>
  );
}
