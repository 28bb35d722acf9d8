"""What the PDF pages keep between renders: the parsed stylesheet follows its file,
and each thread has its own font configuration, so pages from parallel requests
come out whole."""

from __future__ import annotations

import os
import threading

import pypdfium2 as pdfium

from app.parking import pdf_pages

PAGE = "<h1>Bewohnerparkausweis</h1><p>DN-AB 1234</p>"


def _page_size_mm(pdf: bytes) -> tuple[int, int]:
    document = pdfium.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    return round(width / 72 * 25.4), round(height / 72 * 25.4)


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def test_changed_stylesheet_is_parsed_again(tmp_path):
    sheet = tmp_path / "page.css"
    sheet.write_text("@page { size: A6; margin: 5mm; }")
    assert _page_size_mm(pdf_pages.write_pdf(PAGE, sheet)) == (105, 148)
    assert pdf_pages.stylesheet(sheet) is pdf_pages.stylesheet(sheet)

    # Same length and a later modification time, as an edit in place can leave it.
    sheet.write_text("@page { size: A5; margin: 5mm; }")
    stat = sheet.stat()
    os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert _page_size_mm(pdf_pages.write_pdf(PAGE, sheet)) == (148, 210)


def test_stylesheet_of_the_same_size_and_time_is_kept(tmp_path):
    sheet = tmp_path / "page.css"
    sheet.write_text("p { color: #000; }")
    first = pdf_pages.stylesheet(sheet)
    assert pdf_pages.stylesheet(sheet) is first
    other = tmp_path / "other.css"
    other.write_text("p { color: #000; }")
    assert pdf_pages.stylesheet(other) is not first


def test_each_thread_has_its_own_font_configuration_and_pages_stay_whole(tmp_path):
    sheet = tmp_path / "page.css"
    sheet.write_text('@page { size: A6; } body { font-family: "DejaVu Sans"; }')
    configurations: dict[str, object] = {}
    texts: dict[str, list[str]] = {}
    start = threading.Barrier(3)

    def render(name: str) -> None:
        start.wait()
        configurations[name] = pdf_pages.font_configuration()
        assert pdf_pages.font_configuration() is configurations[name]
        texts[name] = [
            _text(pdf_pages.write_pdf(f"<p>Zone {name} Nummer {n}</p>", sheet)) for n in range(3)
        ]

    threads = [threading.Thread(target=render, args=(name,)) for name in "ABC"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(config) for config in configurations.values()}) == 3
    for name in "ABC":
        assert [text.strip() for text in texts[name]] == [
            f"Zone {name} Nummer {n}" for n in range(3)
        ]
