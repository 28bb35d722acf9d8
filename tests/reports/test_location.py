"""A report's place: inside the city's extent, or an address in its street directory;
the public sees a rounded position."""

from __future__ import annotations

import pytest

from app.reports import location
from app.reports.settings import MapSettings, city_bbox, parse_bbox

CITY = MapSettings("http://tiles.test/{z}/{x}/{y}.png", "Test", city_bbox())


def _codes(errors):
    return [(e.field, e.code) for e in errors]


def test_coordinates_in_the_city_are_taken():
    place, errors = location.check(50.8037, 6.4893, "", CITY)
    assert errors == [] and (place.lat, place.lon, place.street) == (50.8037, 6.4893, "")


def test_coordinates_outside_the_city_are_refused():
    _place, errors = location.check(52.52, 13.40, "", CITY)
    assert _codes(errors) == [("lat", "report_outside_city")]


def test_an_address_needs_a_street_of_the_city():
    place, errors = location.check(None, None, "  Kölnstraße   40 ", CITY)
    assert errors == [] and place.street == "Kölnstraße" and place.address == "Kölnstraße 40"
    _place, errors = location.check(None, None, "Unbekannte Gasse 3", CITY)
    assert _codes(errors) == [("address", "report_unknown_street")]


def test_a_place_is_needed_and_coordinates_come_in_pairs():
    assert _codes(location.check(None, None, "", CITY)[1]) == [
        ("address", "report_location_needed")
    ]
    assert _codes(location.check(50.8, None, "Markt 1", CITY)[1]) == [("lon", "required")]


@pytest.mark.parametrize(
    ("address", "street", "number"),
    [("Kölnstraße 40", "Kölnstraße", "40"), ("Markt 3a", "Markt", "3a"), ("Markt", "Markt", "")],
)
def test_split_address(address, street, number):
    assert location.split_address(address) == (street, number)


def test_rough_location_is_about_a_hundred_metres():
    assert location.rough(50.803749) == 50.804 and location.rough(None) is None


def test_the_extent_is_configuration():
    assert parse_bbox("50,6,51,7") == (50.0, 6.0, 51.0, 7.0)
    with pytest.raises(ValueError, match="south,west,north,east"):
        parse_bbox("51,6,50,7")
