"""Two imports of the street list at the same moment: the second waits for the first and
then sees that its preview is out of date, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

from app.db import db
from app.errors import DomainError
from app.models import StreetDirectoryVersion
from app.street_directory import importing
from tests.api.test_street_import import _shipped_csv


def test_an_import_waits_for_one_in_progress_and_then_is_refused(app):
    text = _shipped_csv(extra="99999;Neuer Weg;52349;1;20\n")
    with app.app_context(), db.connection_context():
        base = importing.preview(text).base_version
    outcome: dict[str, object] = {}

    def second_import() -> None:
        with app.app_context(), db.connection_context():
            try:
                importing.apply(text, None, base_version=base, check_base=True)
                outcome["result"] = "applied"
            except DomainError as error:
                outcome["result"] = error.code

    with app.app_context(), db.connection_context():
        with db.atomic():
            # The first import, between its comparison and its commit.
            importing._wait_for_other_imports()
            first = StreetDirectoryVersion.create(
                city="Düren", streets=[], street_count=0, file_name="first.csv", summary={}
            )
            other = threading.Thread(target=second_import)
            other.start()
            other.join(timeout=0.5)
            assert other.is_alive(), "the second import did not wait for the first"
        other.join(timeout=20)
        assert outcome == {"result": "streets_import_outdated"}
        newest = StreetDirectoryVersion.select().order_by(StreetDirectoryVersion.id.desc())
        assert newest.get() == first
        first.delete_instance()
