"""Admins import the city's official street list: a report first, then all or nothing;
address checks use the imported list at once; the command line does the same."""

from __future__ import annotations

from pathlib import Path

from app.db import db
from app.models import AuditEvent, StreetDirectoryVersion
from app.service_definitions import find_address
from app.service_definitions.streets import shipped_directory
from app.street_directory import importing, report

HEADER = "schluessel;strasse;plz;von;bis\n"


def _shipped_csv(skip: str = "", extra: str = "", change: dict | None = None) -> str:
    """The shipped directory as an official CSV, with one street left out, lines added and
    one street's ranges replaced."""
    lines = [HEADER]
    for index, street in enumerate(shipped_directory().streets):
        if street.name == skip:
            continue
        ranges = (change or {}).get(street.name) or [(r.first, r.last) for r in street.ranges]
        for first, last in ranges:
            lines.append(f"{index + 1:05d};{street.name};{street.postal_code};{first};{last}\n")
    return "".join(lines) + extra


def _csv(client, path: str, text: str, lang_client=None):
    return (lang_client or client).post(
        path, data=text.encode(), headers={"Content-Type": "text/csv"}
    )


def test_preview_reports_changes_and_stores_nothing(signed_in):
    admin = signed_in("admin@example.org", "admin")
    text = _shipped_csv(
        skip="Euskirchener Straße",
        extra="90001;Neue Gartenstraße;52351;1;40\n",
        change={"Kölnstraße": [(1, 150)]},
    )
    preview = _csv(admin, "/api/admin/streets/import/preview", text)
    assert preview.status_code == 200, preview.get_json()
    body = preview.get_json()
    assert body["base_version"] is None
    assert body["added"] == ["Neue Gartenstraße"]
    assert body["removed"] == ["Euskirchener Straße"]
    assert body["renamed"] == []
    assert [c["name"] for c in body["changed"]] == ["Kölnstraße"]
    assert body["changed"][0]["after"]["ranges"] == [[1, 150]]
    assert body["total"] == len(shipped_directory().streets)
    assert body["unchanged"] == body["total"] - 2
    with db.connection_context():
        assert StreetDirectoryVersion.select().count() == 0
    assert admin.get("/api/admin/streets").get_json()["source"] == "shipped"


def test_apply_makes_the_new_list_the_directory_at_once(signed_in, make_client):
    admin = signed_in("admin@example.org", "admin")
    text = _shipped_csv(skip="Euskirchener Straße", extra="90001;Neue Gartenstraße;52351;1;40\n")
    with db.connection_context():
        assert find_address("Neue Gartenstraße", "3") is None
        assert find_address("Euskirchener Straße", "3") is not None
    applied = admin.post(
        "/api/admin/streets/import?file_name=amtlich.csv",
        data=text.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert applied.status_code == 200, applied.get_json()
    body = applied.get_json()
    assert body["added"] == ["Neue Gartenstraße"]
    assert body["version"]["created_by"] == "admin@example.org"
    assert body["version"]["file_name"] == "amtlich.csv"
    assert body["version"]["summary"]["added"] == 1
    with db.connection_context():
        found = find_address("neue gartenstr.", "3")
        assert found is not None and found.postal_code == "52351"
        assert find_address("Euskirchener Straße", "3") is None
        event = AuditEvent.get(AuditEvent.action == "street_directory_imported")
        assert event.actor.email == "admin@example.org"
    # The type-ahead of address fields and the console see the new list.
    streets = make_client().get("/api/streets?q=neue+garten").get_json()
    assert [s["name"] for s in streets] == ["Neue Gartenstraße"]
    directory = admin.get("/api/admin/streets?q=neue+garten").get_json()
    assert directory["source"] == "import"
    assert directory["version"] == body["version"]["id"]
    assert [s["name"] for s in directory["streets"]] == ["Neue Gartenstraße"]
    assert directory["imports"][0]["created_by"] == "admin@example.org"
    # Parking ranges can now be added for the new street.
    created = admin.post(
        "/api/admin/parking/streets",
        json={"street": "Neue Gartenstraße", "first": 1, "last": 9, "zone": "A"},
    )
    assert created.status_code == 201, created.get_json()


def test_a_renamed_street_is_recognised_by_its_code(signed_in):
    admin = signed_in("admin@example.org", "admin")
    first = _shipped_csv()
    assert _csv(admin, "/api/admin/streets/import", first).status_code == 200
    renamed = first.replace(";Euskirchener Straße;", ";Euskirchener Allee;")
    body = _csv(admin, "/api/admin/streets/import/preview", renamed).get_json()
    assert body["renamed"] == [{"before": "Euskirchener Straße", "after": "Euskirchener Allee"}]
    assert body["added"] == [] and body["removed"] == []


def test_an_outdated_preview_is_refused(signed_in):
    admin = signed_in("admin@example.org", "admin")
    text = _shipped_csv()
    assert _csv(admin, "/api/admin/streets/import", text).status_code == 200
    stale = admin.post(
        "/api/admin/streets/import", data=text.encode(), headers={"Content-Type": "text/csv"}
    )
    # No base_version means "the shipped list": another import came in between.
    assert stale.status_code == 409
    assert stale.get_json()["code"] == "streets_import_outdated"
    with db.connection_context():
        assert StreetDirectoryVersion.select().count() == 1


def test_bad_lines_are_named_in_german_and_english_and_nothing_changes(signed_in, app):
    from tests.conftest import ApiClient

    bad = HEADER + "1;Marktplatz;52349;1;20\n2;Zollhaus;5235;1;x\n3;Kaiserplatz;52349;30;4\n"
    admin = signed_in("admin@example.org", "admin")
    response = _csv(admin, "/api/admin/streets/import", bad)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("file", "streets_csv_postal_code"),
        ("file", "streets_csv_house_number"),
        ("file", "streets_csv_range_reversed"),
    ]
    assert errors[0]["message"] == (
        "Zeile 3, Spalte plz: „5235“ ist keine fünfstellige Postleitzahl."
    )
    assert errors[1]["message"].startswith("Zeile 3, Spalte bis: „x“")
    english = ApiClient(app, lang="en")
    english.client = admin.client
    english.csrf = admin.csrf
    response = _csv(english, "/api/admin/streets/import/preview", bad)
    assert response.get_json()["errors"][0]["message"] == (
        "Line 3, column plz: “5235” is not a five-digit postal code."
    )
    missing = _csv(admin, "/api/admin/streets/import", "name;plz\nMarktplatz;52349\n")
    assert [e["message"] for e in missing.get_json()["errors"]] == [
        "Zeile 1: Die Spalte „von“ fehlt. Nötig sind strasse, plz, von und bis.",
        "Zeile 1: Die Spalte „bis“ fehlt. Nötig sind strasse, plz, von und bis.",
    ]
    overlap = HEADER + "1;Marktplatz;52349;1;20\n1;Marktplatz;52349;15;30\n"
    assert _csv(admin, "/api/admin/streets/import", overlap).get_json()["errors"][0]["message"] == (
        "Zeile 3: Diese Hausnummern überschneiden sich mit dem Abschnitt 1–20 derselben Straße."
    )
    assert _csv(admin, "/api/admin/streets/import", "").status_code == 422
    with db.connection_context():
        assert StreetDirectoryVersion.select().count() == 0
        assert find_address("Euskirchener Straße", "3") is not None


def test_the_command_line_prints_the_same_report(app, tmp_path: Path):
    text = _shipped_csv(skip="Euskirchener Straße", extra="90001;Neue Gartenstraße;52351;1;40\n")
    path = tmp_path / "strassen.csv"
    path.write_text(text, encoding="utf-8")
    runner = app.test_cli_runner()
    with db.connection_context():
        expected = report.as_text(importing.preview(text).report)
    dry = runner.invoke(args=["streets", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [*expected, "Dry run: nothing was changed."]
    assert "  + Neue Gartenstraße" in expected and "  - Euskirchener Straße" in expected
    with db.connection_context():
        assert StreetDirectoryVersion.select().count() == 0
    done = runner.invoke(args=["streets", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[: len(expected)] == expected
    with db.connection_context():
        assert find_address("Neue Gartenstraße", "40") is not None
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1;Marktplatz;5234;1;2\n", encoding="utf-8")
    failed = runner.invoke(args=["streets", "import", str(bad), "--lang", "en"])
    assert failed.exit_code != 0
    assert "Line 2, column plz: “5234” is not a five-digit postal code." in failed.output
    with db.connection_context():
        assert StreetDirectoryVersion.select().count() == 1


def test_address_fields_follow_a_version_stored_by_another_process(app):
    """No cache to clear: a version written elsewhere (another worker) counts at once."""
    from app.service_definitions import validate_answers
    from tests.service_definitions.support import definition_with_fields, text

    form = definition_with_fields({"id": "home", "type": "address", "label": text()})
    answers = {"home": {"street": "Neue Gartenstr.", "house_number": "12"}}
    with db.connection_context():
        before = validate_answers(form, answers)
        assert [e.code for e in before.errors] == ["address.street_unknown"]
        entries = [street.to_dict() for street in shipped_directory().streets]
        entries.append(
            {
                "name": "Neue Gartenstraße",
                "postal_code": "52351",
                "ranges": [{"from": 1, "to": 40, "zone": None}],
            }
        )
        StreetDirectoryVersion.create(
            city="Düren", streets=entries, street_count=len(entries), file_name="", summary={}
        )
        after = validate_answers(form, answers)
        assert after.errors == []
        assert after.answers["home"]["street"] == "Neue Gartenstraße"
        assert after.answers["home"]["postal_code"] == "52351"
