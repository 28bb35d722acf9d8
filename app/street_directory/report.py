"""What an import changes: streets added, removed, renamed and changed."""

from __future__ import annotations

from typing import Any

from app.service_definitions.streets import street_key


def _ranges(entry: dict[str, Any]) -> list[list[int]]:
    return sorted([r["from"], r["to"]] for r in entry["ranges"])


def _shape(entry: dict[str, Any]) -> dict[str, Any]:
    return {"postal_code": entry["postal_code"], "ranges": _ranges(entry)}


def compare(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare two street lists (``{name, postal_code, code?, ranges}``).

    A street whose code (of the official list) stays while its name changes counts as
    renamed; without codes a new name is an added street and the old one a removed one.
    Changed means the same street with another postal code or other house numbers.
    """
    old_by_key = {street_key(e["name"]): e for e in old}
    new_by_key = {street_key(e["name"]): e for e in new}
    old_by_code = {e["code"]: e for e in old if e.get("code")}
    added: list[str] = []
    renamed: list[dict[str, str]] = []
    changed: list[dict[str, Any]] = []
    unchanged = 0
    matched_old: set[str] = set()
    for key, entry in new_by_key.items():
        before = old_by_key.get(key)
        was_renamed = False
        if before is None and entry.get("code") in old_by_code:
            candidate = old_by_code[entry["code"]]
            # Only a rename when the old name is gone from the new list.
            if street_key(candidate["name"]) not in new_by_key:
                before, was_renamed = candidate, True
        if before is None:
            added.append(entry["name"])
            continue
        matched_old.add(street_key(before["name"]))
        if was_renamed or before["name"] != entry["name"]:
            # A new name, or a new spelling of it ("Strasse" → "Straße").
            renamed.append({"before": before["name"], "after": entry["name"]})
        if _shape(before) != _shape(entry):
            changed.append(
                {"name": entry["name"], "before": _shape(before), "after": _shape(entry)}
            )
        elif not was_renamed and before["name"] == entry["name"]:
            unchanged += 1
    removed = [e["name"] for k, e in old_by_key.items() if k not in matched_old]
    return {
        "added": sorted(added, key=street_key),
        "removed": sorted(removed, key=street_key),
        "renamed": sorted(renamed, key=lambda r: street_key(r["after"])),
        "changed": sorted(changed, key=lambda c: street_key(c["name"])),
        "unchanged": unchanged,
        "total": len(new),
    }


def summary(report: dict[str, Any]) -> dict[str, int]:
    """The counts of a report (stored with the version)."""
    return {
        "added": len(report["added"]),
        "removed": len(report["removed"]),
        "renamed": len(report["renamed"]),
        "changed": len(report["changed"]),
        "unchanged": report["unchanged"],
        "total": report["total"],
    }


def as_text(report: dict[str, Any]) -> list[str]:
    """The report as lines for the command line."""
    lines = [
        f"Streets in the list: {report['total']} (unchanged {report['unchanged']})",
        f"Added: {len(report['added'])}",
        *(f"  + {name}" for name in report["added"]),
        f"Removed: {len(report['removed'])}",
        *(f"  - {name}" for name in report["removed"]),
        f"Renamed: {len(report['renamed'])}",
        *(f"  ~ {r['before']} -> {r['after']}" for r in report["renamed"]),
        f"Changed: {len(report['changed'])}",
    ]
    for change in report["changed"]:
        before, after = change["before"], change["after"]
        lines.append(
            f"  * {change['name']}: {before['postal_code']} {_text(before['ranges'])}"
            f" -> {after['postal_code']} {_text(after['ranges'])}"
        )
    if report.get("parking_ranges_left"):
        lines.append(
            "Removed streets that still have parking ranges: "
            + ", ".join(report["parking_ranges_left"])
        )
    return lines


def _text(ranges: list[list[int]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in ranges)
