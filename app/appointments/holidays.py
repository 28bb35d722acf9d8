"""The public holidays of North Rhine-Westphalia (Feiertagsgesetz NW), for closing days."""

from __future__ import annotations

from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` (Gregorian, the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def nrw_holidays(year: int) -> list[tuple[date, str, str]]:
    """Every public holiday of NRW in ``year``: (day, German name, English name), by day."""
    easter = easter_sunday(year)
    days = [
        (date(year, 1, 1), "Neujahr", "New Year's Day"),
        (easter - timedelta(days=2), "Karfreitag", "Good Friday"),
        (easter + timedelta(days=1), "Ostermontag", "Easter Monday"),
        (date(year, 5, 1), "Tag der Arbeit", "Labour Day"),
        (easter + timedelta(days=39), "Christi Himmelfahrt", "Ascension Day"),
        (easter + timedelta(days=50), "Pfingstmontag", "Whit Monday"),
        (easter + timedelta(days=60), "Fronleichnam", "Corpus Christi"),
        (date(year, 10, 3), "Tag der Deutschen Einheit", "German Unity Day"),
        (date(year, 11, 1), "Allerheiligen", "All Saints' Day"),
        (date(year, 12, 25), "1. Weihnachtstag", "Christmas Day"),
        (date(year, 12, 26), "2. Weihnachtstag", "Boxing Day"),
    ]
    return sorted(days)
