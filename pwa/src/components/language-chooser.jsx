// The language chooser in the header: every offered language named in itself (with its
// lang attribute, so screen readers pronounce it right), the current one pressed. The
// choice is kept on this device and, when someone is signed in, on the account, which
// writes mails and push messages in it. Staff screens offer German and English only.
import { api, session } from "../lib/api.js";
import { locale, setLocale, t } from "../lib/i18n.js";
import { NATIVE_NAMES, offeredLanguages, scriptOf } from "../lib/languages.js";
import { useSignal } from "../lib/signal.js";

/** Shows the portal in ``lang`` and, signed in, keeps it on the account too. */
export async function chooseLanguage(lang) {
  await setLocale(lang);
  const current = session.get();
  if (!current.authenticated || current.user?.locale === lang) return;
  try {
    const user = await api("PATCH", "/api/account", { locale: lang });
    session.set({ ...session.get(), user: { ...session.get().user, locale: user.locale } });
  } catch {
    // Offline or refused: this device keeps the choice; the account keeps its language.
  }
}

export function LanguageChooser({ path }) {
  const current = useSignal(locale);
  return (
    <div class="language-chooser" role="group" aria-label={t("lang.chooser_label")}>
      {offeredLanguages(path).map((lang) => (
        <button
          key={lang}
          type="button"
          class="kern-btn kern-btn--tertiary kern-btn--x-small"
          lang={lang}
          dir="auto"
          aria-pressed={lang === current ? "true" : "false"}
          onClick={() => chooseLanguage(lang)}
        >
          {/* A name in another script than the page's is drawn in the system's font: the
              portal's files for that script are fetched only by readers of it, which
              keeps every first view within its font budget. */}
          <span class={scriptOf(lang) === scriptOf(current) ? "kern-label" : "kern-label language-chooser__system-font"}>{NATIVE_NAMES[lang]}</span>
        </button>
      ))}
    </div>
  );
}
