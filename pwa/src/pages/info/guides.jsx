// The portal guides under /hilfe/<topic>: numbered click-by-click steps, written once.
// A step's text names buttons, fields and links by the catalogue keys the screens use
// (``names``), so a renamed button renames the guide; where a step shows a screen, the
// example is built from the portal's own components (guide-examples.jsx). Which ways of
// signing in and which payment methods appear follows what the portal offers.
import { useEffect, useState } from "preact/hooks";
import { Page } from "../../components/page.jsx";
import { api } from "../../lib/api.js";
import { addCatalogues, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import "../payments/catalogue.js";
import "../eid/catalogue.js";
import "../bundid/catalogue.js";
import deAccount from "../account/locales/de.json";
import enAccount from "../account/locales/en.json";
import {
  ApplicationExample,
  ChannelsExample,
  CodeExample,
  EmailExample,
  PaidExample,
  PasskeyAddExample,
  PasskeySignInExample,
  PaymentChoiceExample,
  QuestionExample,
  SignInWaysExample,
  methodLabel,
  usePaymentMethods,
} from "./guide-examples.jsx";

// The account page's texts (notification channels, push switch) the guides name.
addCatalogues({ de: deAccount, en: enAccount });

/**
 * Each guide: its catalogue prefix and its sections; a section's steps are
 * ``[text key, {placeholder: catalogue key}, example]``. ``when``: shown only where the
 * portal offers it (see ``useOffers``).
 */
export const GUIDES = {
  anmelden: {
    key: "help.signin",
    sections: [
      {
        id: "email",
        heading: "signin.email_heading",
        steps: [
          ["help.signin.email_1", { link: "nav.sign_in" }],
          ["help.signin.email_2", { section: "signin.email_heading", field: "signin.email_label", button: "signin.email_submit" }, EmailExample],
          ["help.signin.email_3"],
          ["help.signin.email_4", { field: "signin.code_label", button: "signin.code_submit" }, CodeExample],
          ["help.signin.email_5", { button: "signin.code_again" }],
        ],
      },
      {
        id: "passkey",
        heading: "signin.passkey_heading",
        steps: [
          ["help.signin.passkey_1", { link: "nav.account" }],
          ["help.signin.passkey_2", { section: "account.passkeys_heading", field: "account.passkey_name", button: "account.passkey_add" }, PasskeyAddExample],
          ["help.signin.passkey_3"],
          ["help.signin.passkey_4", { link: "nav.sign_in", button: "signin.passkey_button" }, PasskeySignInExample],
        ],
      },
      {
        id: "eid",
        heading: "signin.eid_heading",
        steps: [
          ["help.signin.eid_1"],
          ["help.signin.eid_2", { page: "signin.title", button: "signin.eid_heading" }, SignInWaysExample],
          ["help.signin.eid_3", { button: "ausweis.start" }],
          ["help.signin.eid_4"],
          ["help.signin.eid_5"],
        ],
      },
      {
        id: "bundid",
        when: "bundid",
        heading: "signin.bundid_heading",
        steps: [
          ["help.signin.bundid_1", { page: "signin.title", button: "signin.bundid_heading" }],
          ["help.signin.bundid_2", { button: "bundid.start" }],
          ["help.signin.bundid_3"],
        ],
      },
    ],
  },
  bezahlen: {
    key: "help.pay",
    sections: [
      {
        id: "start",
        heading: "help.pay.start_heading",
        steps: [
          ["help.pay.start_1", { link: "nav.applications", button: "pay.now" }],
          ["help.pay.start_2", { link: "nav.account", section: "pay.nav", button: "pay.now" }],
        ],
      },
      {
        id: "method",
        heading: "pay.choose_legend",
        steps: [
          ["help.pay.method_1", { legend: "pay.choose_legend", button: "pay.continue" }, PaymentChoiceExample],
          ["help.pay.method_2"],
        ],
      },
      {
        id: "after",
        heading: "help.pay.after_heading",
        steps: [
          ["help.pay.after_1", { success: "pay.success_title" }, PaidExample],
          ["help.pay.after_2", { receipt: "pay.receipt", link: "nav.account", section: "pay.nav", history: "pay.history_heading" }],
          ["help.pay.after_3", { link: "nav.inbox" }],
        ],
      },
    ],
  },
  "app-installieren": {
    key: "help.install",
    sections: [
      {
        id: "android",
        heading: "help.install.android_heading",
        steps: [["help.install.android_1"], ["help.install.android_2"], ["help.install.android_3"], ["help.install.android_4"]],
      },
      {
        id: "iphone",
        heading: "help.install.iphone_heading",
        steps: [["help.install.iphone_1"], ["help.install.iphone_2"], ["help.install.iphone_3"], ["help.install.iphone_4"]],
      },
      {
        id: "offline",
        heading: "help.install.offline_heading",
        steps: [["help.install.offline_1", { ready: "footer.offline_ready" }], ["help.install.offline_2"]],
      },
    ],
  },
  "antrag-verfolgen": {
    key: "help.follow",
    sections: [
      {
        id: "status",
        heading: "detail.status",
        steps: [
          ["help.follow.status_1", { link: "nav.applications" }],
          ["help.follow.status_2", { status: "detail.status", timeline: "detail.timeline_heading" }, ApplicationExample],
          ["help.follow.status_3", { question: "help.example.status_question", button: "detail.answer" }, QuestionExample],
        ],
      },
      {
        id: "inbox",
        heading: "nav.inbox",
        steps: [["help.follow.inbox_1", { link: "nav.inbox" }], ["help.follow.inbox_2", { link: "nav.inbox" }]],
      },
      {
        id: "notifications",
        heading: "account.notifications_heading",
        steps: [
          ["help.follow.notify_1", { link: "nav.account", section: "account.notifications_heading", legend: "channels.legend", button: "channels.save" }, ChannelsExample],
          ["help.follow.notify_2", { switch: "push.switch" }],
          ["help.follow.notify_3"],
        ],
      },
    ],
  },
};

// Addresses of the guides before they were written this way.
export const FORMER_TOPICS = { registrieren: "anmelden", antrag: "antrag-verfolgen", app: "app-installieren" };

/** What the portal offers that a guide depends on: BundID on or off. */
function useOffers() {
  const [offers, setOffers] = useState({ bundid: false });
  useEffect(() => {
    api("GET", "/api/bundid/status").then(
      (status) => setOffers({ bundid: Boolean(status?.enabled) }),
      () => {},
    );
  }, []);
  return offers;
}

function names(params) {
  return Object.fromEntries(Object.entries(params || {}).map(([name, key]) => [name, t(key)]));
}

/** One portal guide: the steps of each section numbered, examples where a screen is. */
export function GuidePage({ topic }) {
  const guide = GUIDES[topic];
  const offers = useOffers();
  const methods = usePaymentMethods();
  const sections = guide.sections.filter((section) => !section.when || offers[section.when]);
  // One count through the whole guide: "step 5" means the same step wherever it is read.
  const starts = sections.map((_, index) => 1 + sections.slice(0, index).reduce((sum, section) => sum + section.steps.length, 0));
  const list = methods?.length ? methods.map(methodLabel).join(", ") : t("help.pay.methods_unknown");
  return (
    <Page title={t(`${guide.key}.title`)}>
      <p class="kern-body kern-body--large">{t(`${guide.key}.intro`)}</p>
      {sections.map((section, index) => (
        <section class="kern-stack guide-section" aria-labelledby={`guide-${section.id}`} key={section.id} data-guide-section={section.id}>
          <h2 class="kern-heading-medium" id={`guide-${section.id}`}>
            {t(section.heading)}
          </h2>
          <ol class="kern-list kern-list--number steps help-steps" start={starts[index]}>
            {section.steps.map(([key, params, Shown]) => (
              <li key={key}>
                <p class="kern-body">{t(key, { ...names(params), methods: list })}</p>
                {Shown && <Shown methods={methods} bundid={offers.bundid} />}
              </li>
            ))}
          </ol>
        </section>
      ))}
      <p class="kern-body">{t("help.more")}</p>
      <p>
        <Link class="kern-link" href="/hilfe">
          {t("help.back")}
        </Link>
      </p>
    </Page>
  );
}
