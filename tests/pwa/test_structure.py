"""How the app's screens are built: one way to run a form action (``useAction``), one
e-mail code sign-in for the sign-in page and the eID, and the SEPA mandate form in a
module of its own. A screen that rolls its own again fails here."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "pwa" / "src"
ACTION_HOOK = SRC / "hooks" / "use-action.js"
# A busy flag of its own: ``const [busy, setBusy] = useState(...)`` and the like.
OWN_BUSY = re.compile(
    r"\[\s*\w+\s*,\s*set(Busy|Sending|Saving|Working|Submitting)\s*\]\s*=\s*useState"
)
# The network error turned into a message by hand instead of by useAction.
OWN_NETWORK_MESSAGE = re.compile(
    r"""code\s*===\s*["']network["']\s*\?\s*\{\s*message:\s*t\(\s*["']errors\.network"""
)


def sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*") if p.suffix in (".js", ".jsx"))


def relative(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(SRC)) for path in paths]


def test_no_screen_keeps_its_own_busy_flag():
    own = [
        p for p in sources() if p != ACTION_HOOK and OWN_BUSY.search(p.read_text(encoding="utf-8"))
    ]
    assert relative(own) == [], "use useAction from hooks/use-action.js"


def test_no_screen_words_a_lost_connection_itself():
    own = [
        p
        for p in sources()
        if p != ACTION_HOOK and OWN_NETWORK_MESSAGE.search(p.read_text(encoding="utf-8"))
    ]
    assert relative(own) == [], "useAction turns a lost connection into errors.network"


def test_sign_in_and_eid_share_the_email_code_sign_in():
    shared = SRC / "components" / "identity-sign-in.jsx"
    for page in (SRC / "pages" / "sign-in.jsx", shared):
        text = page.read_text(encoding="utf-8")
        assert "useEmailCode(" in text and "<EmailAddressForm" in text, page
        # The requests and the code page live in the shared component only.
        assert "/email/start" in text and "CodeStep" not in text and "setCode" not in text, page
    users = [p for p in sources() if "CodeStep" in p.read_text(encoding="utf-8")]
    assert relative(users) == ["components/code-step.jsx"]
    # The eID and BundID e-mail steps are one component, each flow only naming its own.
    for page in (
        SRC / "pages" / "eid" / "eid-pages.jsx",
        SRC / "pages" / "bundid" / "bundid-pages.jsx",
    ):
        text = page.read_text(encoding="utf-8")
        assert "<IdentityEmailStep" in text and "useEmailCode(" not in text, page
        assert "<TextField" not in text, page


def test_the_sepa_mandate_form_is_a_module_of_its_own():
    pay_flow = (SRC / "pages" / "payments" / "pay-flow.jsx").read_text(encoding="utf-8")
    assert "function SepaMandateForm" not in pay_flow
    assert 'from "./sepa-mandate-form.jsx"' in pay_flow
    module = (SRC / "pages" / "payments" / "sepa-mandate-form.jsx").read_text(encoding="utf-8")
    assert "export function SepaMandateForm" in module
