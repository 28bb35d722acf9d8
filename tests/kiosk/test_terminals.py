"""Terminals, setup tokens and the signed marker (``app.kiosk.terminals``)."""

from __future__ import annotations

import pytest

from app.accounts import users
from app.db import db
from app.errors import DomainError
from app.kiosk import terminals
from app.models import KioskTerminal

SECRET = "a-secret-for-the-marker-tests"


@pytest.fixture
def admin(app):
    with db.connection_context():
        yield users.create_user("kiosk-admin@example.org", "admin")


def test_the_marker_names_the_terminal_and_only_with_the_right_secret(admin):
    with db.connection_context():
        terminal, token = terminals.register_terminal("Foyer", admin, 72)
        assert terminal.setup_token_hash != token
        used, marker = terminals.activate(token, SECRET)
        assert used.id == terminal.id
        assert terminals.terminal_for_marker(marker, SECRET).id == terminal.id
        assert terminals.terminal_for_marker(marker, SECRET + "x") is None
        assert terminals.terminal_for_marker(marker + "0", SECRET) is None
        assert terminals.terminal_for_marker(None, SECRET) is None
        # The token is gone once used.
        assert KioskTerminal.get_by_id(terminal.id).setup_token_hash is None
        with pytest.raises(DomainError) as refused:
            terminals.activate(token, SECRET)
        assert refused.value.code == "kiosk_setup_invalid"


def test_a_marker_signed_for_another_nonce_is_refused(admin):
    with db.connection_context():
        terminal, token = terminals.register_terminal("Foyer", admin, 72)
        _, marker = terminals.activate(token, SECRET)
        _, again = terminals.new_setup_link(terminal.id, admin, 72)
        _, newer = terminals.activate(again, SECRET)
        assert terminals.terminal_for_marker(marker, SECRET) is None
        assert terminals.terminal_for_marker(newer, SECRET) is not None
        terminals.revoke_terminal(terminal.id, admin)
        assert terminals.terminal_for_marker(newer, SECRET) is None


@pytest.mark.parametrize("name", ["", " \t ", "x" * 101])
def test_names_are_checked(admin, name):
    with db.connection_context(), pytest.raises(DomainError) as refused:
        terminals.register_terminal(name, admin, 72)
    assert [e.field for e in refused.value.field_errors] == ["name"]


def test_names_are_tidied(admin):
    with db.connection_context():
        terminal, _ = terminals.register_terminal("  Foyer   links ", admin, 72)
        assert terminal.name == "Foyer links"
