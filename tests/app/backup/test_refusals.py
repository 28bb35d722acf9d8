"""Archives a restore must refuse before it changes anything: a member it would not
know where to put, or one whose name reaches outside the storage or instance folder."""

from __future__ import annotations

import io

import pytest

from app.backup import archive, service


def crafted(path, *names: str) -> None:
    """An unencrypted archive whose manifest matches its members (so only the names
    are wrong)."""
    with path.open("wb") as handle, archive.writing(handle, None) as writer:
        writer.add("database/portal.sqlite3", io.BytesIO(b"not restored"), 12)
        for name in names:
            writer.add(name, io.BytesIO(b"x"), 1)
        writer.finish({"format_version": archive.FORMAT_VERSION, "database": {"kind": "sqlite"}})


@pytest.mark.parametrize(
    "name",
    [
        "files/../../outside",
        "files/attachments/../../outside",
        "keys/instance/../../outside",
        "keys/instance/pass_keys/../../outside",
        "keys/instance/authorized_keys",
        "keys/secrets/../outside",
        "elsewhere/file",
    ],
)
def test_a_member_outside_its_place_is_refused_before_anything_changes(app, tmp_path, name):
    path = tmp_path / "crafted.backup"
    crafted(path, name)
    target = tmp_path / "target"
    config = {
        "DATABASE_URL": f"sqlite:///{target / 'portal.sqlite3'}",
        "INSTANCE_PATH": str(target),
        "PORTAL_STORAGE": "local",
    }
    with pytest.raises(service.BackupError, match="cannot be restored"):
        service.restore(config, path, key=None, secrets_to=tmp_path / "secrets")
    assert not target.exists() and not (tmp_path / "outside").exists()


def test_a_member_not_in_the_manifest_is_refused(tmp_path):
    path = tmp_path / "extra.backup"
    with path.open("wb") as handle, archive.writing(handle, None) as writer:
        writer.add("database/portal.sqlite3", io.BytesIO(b"db"), 2)
        writer.finish({"format_version": archive.FORMAT_VERSION})
        writer.tar.addfile(archive.tarfile.TarInfo("files/late"), io.BytesIO(b""))
    with pytest.raises(service.BackupError, match="after the manifest"):
        service.verify(path, key=None)


def test_a_changed_member_of_an_unencrypted_archive_is_refused(tmp_path):
    path = tmp_path / "changed.backup"
    with path.open("wb") as handle, archive.writing(handle, None) as writer:
        writer.add("database/portal.sqlite3", io.BytesIO(b"original bytes"), 14)
        writer.finish({"format_version": archive.FORMAT_VERSION})
    data = path.read_bytes()
    path.write_bytes(data.replace(b"original bytes", b"changed  bytes"))
    with pytest.raises(service.BackupError, match="does not match its hash"):
        service.verify(path, key=None)
