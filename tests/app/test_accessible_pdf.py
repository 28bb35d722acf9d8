"""Accessible PDFs (``app.pdf``): tagged PDF/UA with language, title and emblem."""

from __future__ import annotations

import base64

import pytest
from weasyprint import HTML

from app import pdf, tasks
from tests.pdf_structure import accessibility_defects, assert_accessible, structure_types

PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Bescheid 1234</title></head><body><h1>Bescheid</h1>
<img src="{src}" alt="{alt}" style="height: 10mm"><p>Text.</p></body></html>"""


@pytest.fixture
def city(monkeypatch):
    """The job configuration with a city name (and whatever a test adds)."""
    settings = {**tasks.config(), "CITY_NAME": "Düren"}
    monkeypatch.setattr(tasks, "_config", settings)
    return settings


def test_an_untagged_pdf_is_refused_naming_what_is_missing():
    page = PAGE.format(src=pdf.DEFAULT_EMBLEM.as_uri(), alt="Wappen")
    defects = accessibility_defects(HTML(string=page).write_pdf())
    assert "no StructTreeRoot: the PDF is not tagged" in defects
    assert "MarkInfo/Marked is not true" in defects
    assert any("pdfuaid" in defect for defect in defects)
    with pytest.raises(AssertionError, match="not tagged"):
        assert_accessible(HTML(string=page).write_pdf())


def test_a_figure_without_alternative_text_is_refused():
    page = PAGE.format(src=pdf.DEFAULT_EMBLEM.as_uri(), alt="")
    assert accessibility_defects(pdf.write_pdf(page)) == [
        "a Figure without alternative text (/Alt)"
    ]


def test_the_portals_writer_makes_a_tagged_pdf_ua_document(city):
    emblem = pdf.emblem("de")
    data = pdf.write_pdf(PAGE.format(**emblem))
    assert_accessible(data)
    assert structure_types(data).count("Figure") == 1
    assert emblem["alt"] == "Wappen der Stadt Düren"
    assert pdf.emblem("en")["alt"] == "Coat of arms of the City of Düren"
    assert emblem["src"].startswith("data:image/svg+xml;base64,")


def test_the_citys_own_emblem_is_taken_and_a_missing_one_stops_the_document(city, tmp_path):
    own = tmp_path / "wappen.svg"
    own.write_text(pdf.DEFAULT_EMBLEM.read_text().replace("#000", "#0a4b8c"))
    city["CITY_EMBLEM"] = str(own)
    assert pdf.emblem_path() == own
    encoded = pdf.emblem_src().removeprefix("data:image/svg+xml;base64,")
    assert base64.b64decode(encoded) == own.read_bytes()
    city["CITY_EMBLEM"] = str(tmp_path / "fehlt.svg")
    with pytest.raises(pdf.EmblemMissing, match=r"fehlt\.svg"):
        pdf.emblem("de")
    city["CITY_EMBLEM"] = str(tmp_path / "wappen.gif")
    with pytest.raises(pdf.EmblemMissing, match=r"wappen\.gif"):
        pdf.emblem("de")
