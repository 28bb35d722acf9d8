"""``file``: uploads, referred to by ``upload_id``; count, content type and size checked.

The upload itself (content sniffing, storage) is checked where it is received.
"""

from __future__ import annotations

from typing import Any

from app.service_definitions.errors import issue
from app.service_definitions.field_types.base import Context, FieldType

MAX_SIZE_BYTES = 104_857_600
MAX_COUNT = 50


def clean_file(field: dict[str, Any], value: Any, path: str, ctx: Context) -> tuple[Any, list]:
    """Metadata of uploaded files: count, content type and size within the field's limits.

    The upload itself (content sniffing, storage) is checked where it is received; the
    answer only refers to it by ``upload_id``.
    """
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list):
        return None, [issue(path, "file.invalid")]
    max_count = field.get("max_count", 1)
    if len(items) > max_count:
        return None, [issue(path, "file.too_many", max_count=max_count)]
    cleaned = []
    issues = []
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        if not _is_upload(item):
            issues.append(issue(item_path, "file.invalid"))
            continue
        if not _accepts(field["accept"], item["content_type"]):
            issues.append(issue(item_path, "file.content_type", allowed=list(field["accept"])))
        elif item["size"] > field["max_size_bytes"]:
            size_mb = round(field["max_size_bytes"] / (1024 * 1024), 1)
            issues.append(issue(item_path, "file.too_large", max_size_mb=size_mb))
        else:
            cleaned.append(
                {key: item[key] for key in ("upload_id", "filename", "content_type", "size")}
            )
    return (None, issues) if issues else (cleaned, [])


def _is_upload(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("upload_id"), str)
        and bool(item["upload_id"])
        and isinstance(item.get("filename"), str)
        and isinstance(item.get("content_type"), str)
        and isinstance(item.get("size"), int)
        and not isinstance(item["size"], bool)
        and item["size"] >= 0
    )


def _accepts(accepted: list[str], content_type: str) -> bool:
    content_type = content_type.split(";")[0].strip().lower()
    major = content_type.split("/")[0]
    return any(pattern in (content_type, f"{major}/*") for pattern in accepted)


def _display(field: dict[str, Any], value: Any, locale: str) -> str:
    if not isinstance(value, list):
        return str(value)
    return ", ".join(item.get("filename", "") for item in value if isinstance(item, dict))


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "array",
        "maxItems": field.get("max_count", 1),
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["upload_id", "filename", "content_type", "size"],
            "properties": {
                "upload_id": {"type": "string", "minLength": 1},
                "filename": {"type": "string"},
                "content_type": {"type": "string"},
                "size": {"type": "integer", "minimum": 0, "maximum": field["max_size_bytes"]},
            },
        },
    }


FILE = FieldType(
    name="file",
    options={
        "accept": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": "^[a-z]+/[a-z0-9.+*-]+$"},
        },
        "max_size_bytes": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE_BYTES},
        "max_count": {"type": "integer", "minimum": 1, "maximum": MAX_COUNT},
    },
    required_options=("accept", "max_size_bytes"),
    defaults={"max_count": 1},
    cleaner=clean_file,
    answer_schema=_answer_schema,
    display=_display,
)
