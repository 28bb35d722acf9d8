"""Reading a city package: a valid one loads; every kind of problem stops the start
with the field path it concerns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.cities import CityError, default_city, load_city
from app.cities.check import check_city
from app.cities.contrast import contrast
from app.cities.loader import CITIES_DIR

DUEREN = CITIES_DIR / "dueren"


@pytest.fixture
def package(tmp_path: Path):
    """A copy of the Düren package named ``town``, and a way to change its city.yaml."""
    folder = tmp_path / "town"
    shutil.copytree(DUEREN, folder)
    data = yaml.safe_load((folder / "city.yaml").read_text(encoding="utf-8"))
    data["slug"] = "town"

    def write(change=None) -> Path:
        changed = yaml.safe_load(yaml.safe_dump(data))
        if change:
            change(changed)
        (folder / "city.yaml").write_text(yaml.safe_dump(changed), encoding="utf-8")
        return folder

    return write


def _problems(folder: Path) -> dict[str, str]:
    with pytest.raises(CityError) as refused:
        load_city(str(folder))
    assert str(folder) in str(refused.value)
    return dict(refused.value.problems)


def test_both_demo_packages_load_and_check():
    for slug, name in (("dueren", "Düren"), ("guetersloh", "Gütersloh")):
        city = load_city(slug)
        assert (city.slug, city.name, city.official_name) == (slug, name, f"Stadt {name}")
        check_city(city)
    assert default_city() == "dueren"
    assert load_city().slug == "dueren"


def test_a_valid_copy_loads(package):
    city = load_city(str(package()))
    assert city.slug == "town" and city.placeholders("en")["city_address"]


def test_a_missing_package_is_named():
    assert _problems(CITIES_DIR / "atlantis") == {"city.yaml": "missing: no city package here"}


def test_a_missing_field_is_named_with_its_path(package):
    folder = package(lambda d: d["contact"].pop("email"))
    assert _problems(folder) == {"contact.email": "Missing data for required field."}


def test_an_unknown_field_is_refused(package):
    folder = package(lambda d: d["address"].update(colour="red"))
    assert "address.colour" in _problems(folder)


def test_wrong_values_are_named(package):
    def change(data):
        data["official_name"] = "Düren"
        data["state"] = "XX"
        data["address"]["postal_code"] = "5234"
        data["reports"]["bbox"] = [51.0, 7.0, 50.0, 8.0]
        data["services"]["offered"] = "some"

    problems = _problems(package(change))
    assert set(problems) == {
        "official_name",
        "state",
        "address.postal_code",
        "reports.bbox",
        "services.offered",
    }


def test_colours_below_the_contrast_are_refused(package):
    def change(data):
        data["colours"]["primary"] = "#7fb2e5"  # light blue: white text on it is unreadable
        data["colours"]["accent"] = "#zzzzzz"

    problems = _problems(package(change))
    assert "colours.accent" in problems
    folder = package(lambda d: d["colours"].update(primary="#7fb2e5"))
    problems = _problems(folder)
    assert "contrast #7fb2e5 on #ffffff" in problems["colours.on_primary"]
    assert "needs 4.5:1" in problems["colours.primary"]
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_a_missing_file_and_a_wrong_slug_are_named(package):
    folder = package(lambda d: d.update(slug="other"))
    (folder / "logo.svg").unlink()
    problems = _problems(folder)
    assert problems["logo"] == "file 'logo.svg' missing in the package"
    assert "differs from the folder" in problems["slug"]


def test_a_file_outside_the_package_is_refused(package):
    folder = package(lambda d: d.update(streets="../../etc/passwd"))
    assert "streets" in _problems(folder)


def test_invalid_yaml_is_named(package):
    folder = package()
    (folder / "city.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    assert "not valid YAML" in _problems(folder)["city.yaml"]


def _check_problems(folder: Path) -> dict[str, str]:
    city = load_city(str(folder))
    with pytest.raises(CityError) as refused:
        check_city(city)
    return dict(refused.value.problems)


def test_the_files_contents_are_checked_at_start(package):
    folder = package(lambda d: d["services"].update(offered=["resident_parking", "no_such"]))
    streets = yaml.safe_load((folder / "streets.yaml").read_text(encoding="utf-8"))
    streets["streets"][0]["postal_code"] = "1"
    (folder / "streets.yaml").write_text(yaml.safe_dump(streets), encoding="utf-8")
    (folder / "buergerbuero.json").write_text("{}", encoding="utf-8")
    problems = _check_problems(folder)
    assert any(
        path.startswith("streets (streets.yaml) streets[0].postal_code") for path in problems
    )
    assert problems["services.offered[1]"] == "'no_such' is no built-in service"
    assert problems["appointments.counters"] == "missing"


def test_zones_must_match_the_street_directory(package):
    folder = package()
    zones = yaml.safe_load((folder / "parking_zones.yaml").read_text(encoding="utf-8"))
    zones["zones"] = zones["zones"][:3]
    (folder / "parking_zones.yaml").write_text(yaml.safe_dump(zones), encoding="utf-8")
    assert "differ from the street directory" in _check_problems(folder)["parking_zones.zones"]


def test_an_override_of_an_unknown_service_is_named(package):
    folder = package(lambda d: d["services"]["overrides"].update(no_such_service={"title": "x"}))
    problems = _check_problems(folder)
    assert problems == {"services.overrides.no_such_service": "no built-in service of that id"}


def test_an_override_that_breaks_a_definition_is_named(package):
    folder = package(
        lambda d: d["services"]["overrides"].update(
            resident_parking={"fees": {"rules": [{"id": "x", "kind": "nonsense"}]}}
        )
    )
    problems = _check_problems(folder)
    assert any(
        path.startswith("services (resident_parking.yaml) fees.rules[0]") for path in problems
    )


def test_the_portal_refuses_to_start_with_a_broken_package(other_app, tmp_path, package):
    folder = package(lambda d: d["contact"].update(email="not-an-address"))
    with pytest.raises(CityError, match=r"contact\.email"):
        other_app(
            {"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(tmp_path), "PORTAL_CITY": str(folder)}
        )


def test_demo_data_entries_are_checked(package):
    folder = package()
    demo = yaml.safe_load((folder / "demo.yaml").read_text(encoding="utf-8"))
    del demo["eid_identities"][1]["residence"]
    del demo["citizen"]["street"]
    (folder / "demo.yaml").write_text(yaml.safe_dump(demo), encoding="utf-8")
    assert _check_problems(folder) == {
        "demo.data.citizen.street": "missing",
        "demo.data.eid_identities[1].residence": "missing",
    }
