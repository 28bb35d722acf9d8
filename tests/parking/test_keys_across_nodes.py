"""Pass signing keys shared by every node through the database: a rotation on one node
(another app object, or ``flask passes rotate-key`` in another process) is what every
other node signs with next; the nodes share only the database and the secrets folder."""

from __future__ import annotations

import os
import subprocess
import sys

from app import tasks
from app.db import db
from app.models import PassSigningKey
from app.parking import keys
from app.passes.keys import private_key_to_pem
from app.passes.keyset import b64url
from app.passes.keystore import KeyStore


def _secrets(folder, app) -> str:
    folder.mkdir()
    (folder / "PASS_KEY_ENCRYPTION_KEY").write_text(app.config["PASS_KEY_ENCRYPTION_KEY"])
    return str(folder)


def _node_env(app, tmp_path, name: str, secrets: str) -> dict[str, str]:
    return {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(tmp_path / name),
        "DATABASE_URL": app.config["DATABASE_URL"],
        "PORTAL_BASE_URL": app.config["BASE_URL"],
        "PORTAL_SECRETS_DIR": secrets,
    }


def test_a_rotation_on_one_node_reaches_the_other(app, other_app, tmp_path):
    secrets = _secrets(tmp_path / "secrets", app)
    second = other_app(_node_env(app, tmp_path, "node-b", secrets))
    assert second.config["PASS_KEY_ENCRYPTION_KEY"] == app.config["PASS_KEY_ENCRYPTION_KEY"]
    # Each node has a folder of its own; no key is read from it.
    assert second.config["INSTANCE_PATH"] != app.config["INSTANCE_PATH"]

    tasks.configure(dict(app.config))  # node A
    with app.app_context(), db.connection_context():
        first = keys.current_key()
        kept = keys.parsed_keyset()  # what A verifies scans with
    tasks.configure(dict(second.config))  # node B signs with the same key
    with second.app_context(), db.connection_context():
        assert keys.current_key().kid == first.kid
        rotated = keys.rotate()
    tasks.configure(dict(app.config))  # node A, its key cached, sees the rotation
    with app.app_context(), db.connection_context():
        assert keys.current_key().kid == rotated.kid
        published = {k["kid"] for k in keys.keyset()["keys"]}
        assert {b64url(first.kid), b64url(rotated.kid)} <= published
        assert PassSigningKey.get_by_id(first.kid.hex()).private_key is None
        # A verifies with its kept key set for up to a minute without a query; a pass
        # of an unknown key makes it look again (app.parking.officers.verify_online).
        assert keys.parsed_keyset() is kept and kept.get(rotated.kid) is None
        assert keys.parsed_keyset(fresh=True).get(rotated.kid) is not None


def test_flask_passes_rotate_key_in_another_process(app, tmp_path):
    secrets = _secrets(tmp_path / "secrets", app)
    with app.app_context(), db.connection_context():
        before = keys.current_key()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "TEST_"))},
        **_node_env(app, tmp_path, "node-cli", secrets),
        "FLASK_APP": "portal",
    }
    done = subprocess.run(
        [sys.executable, "-m", "flask", "passes", "rotate-key"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "for every node" in done.stdout
    with app.app_context(), db.connection_context():
        after = keys.current_key()
        assert after.kid != before.kid
        assert b64url(after.kid) in done.stdout


def test_keys_of_the_former_key_folder_are_taken_over(app, tmp_path):
    folder = tmp_path / "pass_keys"
    old = KeyStore(folder)
    retired = old.ensure_current()
    current = old.rotate()
    from app.parking.key_table import DatabaseKeyStore

    with app.app_context(), db.connection_context():
        store = DatabaseKeyStore(app.config["PASS_KEY_ENCRYPTION_KEY"], folder)
        taken = store.ensure_current()
        assert taken.kid == current.kid
        assert private_key_to_pem(taken.private_key) == private_key_to_pem(current.private_key)
        records = {r.kid: r.status for r in store.records()}
        assert records == {current.kid: "current", retired.kid: "retired"}
