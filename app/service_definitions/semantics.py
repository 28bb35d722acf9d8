"""Checks a definition must pass beyond its JSON Schema.

The schema checks shapes; these checks look at meaning: ids are unique, conditions and
fee rules point at fields that exist where they are used, bounds are ordered, the
workflow is a usable state machine. Each check returns ``(json_path, problem)`` pairs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.links import RELATED_PAGES
from app.service_definitions.conditions import (
    COUNT_OPERATORS,
    GROUP_OPERATORS,
    ITEM_OPERATORS,
    LEAF_OPERATORS,
)
from app.service_definitions.field_types import FIELD_TYPES, PREFILL_TYPES
from app.service_definitions.field_types.base import message_problems
from app.service_definitions.model import FieldInfo, iter_fields
from app.service_definitions.problems import Problem, coded, problem
from app.service_definitions.workflow_messages import check as _check_messages


def check(data: dict[str, Any]) -> list[Problem]:
    """Return every semantic problem of a schema-valid definition dict."""
    fields, problems = _index(data)
    problems += _check_steps(data, fields)
    for info in fields.values():
        problems += _check_field(info, fields)
    if data.get("kind") != "survey":
        # A survey has none of these (the loader refuses them before this runs).
        problems += _check_fees(data, fields)
        problems += _check_payment(data)
        problems += _check_workflow(data)
        problems += _check_messages(data)
        problems += _check_documents(data)
        problems += _check_auto_decision(data)
        problems += _check_prefill_from_previous(data, fields)
    problems += _check_warnings(data, fields)
    problems += _check_related_pages(data)
    if data["trust_level"] != "basic" and "trust_note" not in data:
        problems.append(problem("trust_note", "trust_note_missing", level=data["trust_level"]))
    return problems


def _check_related_pages(data: dict[str, Any]) -> list[Problem]:
    # A start page links only to pages the PWA has (and that anyone may open).
    problems = []
    seen: set[str] = set()
    for index, page in enumerate(data.get("related_pages") or []):
        path = f"related_pages[{index}].path"
        if page["path"] not in RELATED_PAGES:
            problems.append(
                problem(path, "unknown_page", page=page["path"], known=list(RELATED_PAGES))
            )
        elif page["path"] in seen:
            problems.append(problem(path, "duplicate_page", page=page["path"]))
        seen.add(page["path"])
    return problems


def _index(data: dict[str, Any]) -> tuple[dict[str, FieldInfo], list[Problem]]:
    fields: dict[str, FieldInfo] = {}
    problems = []
    for info in iter_fields(data):
        field_id = info.field["id"]
        if field_id in fields:
            first = fields[field_id].path
            problems.append(
                problem(f"{info.path}.id", "duplicate_field_id", id=field_id, first=first)
            )
            continue
        fields[field_id] = info
    return fields, problems


def _duplicates(items: list[dict[str, Any]], path: str, what: str) -> list[Problem]:
    # ``what`` names the code: ``duplicate_<what>_id``.
    seen: set[str] = set()
    problems = []
    for index, item in enumerate(items):
        if item["id"] in seen:
            problems.append(problem(f"{path}[{index}].id", f"duplicate_{what}_id", id=item["id"]))
        seen.add(item["id"])
    return problems


def _check_steps(data: dict[str, Any], fields: dict[str, FieldInfo]) -> list[Problem]:
    problems = _duplicates(data["steps"], "steps", "step")
    for index, step in enumerate(data["steps"]):
        if "visible_if" not in step:
            continue
        # A step may only depend on answers given on earlier steps.
        first_order = next((info.order for info in fields.values() if info.step == step["id"]), 0)
        problems += _check_condition(
            step["visible_if"],
            f"steps[{index}].visible_if",
            fields,
            usable=lambda info, first=first_order: info.parent is None and info.order < first,
            why="earlier_step",
        )
    return problems


def _check_field(info: FieldInfo, fields: dict[str, FieldInfo]) -> list[Problem]:
    # Which options a type accepts is the schema's part; the type checks its own
    # options' meaning (bounds in order, unique option values ...).
    field, path = info.field, info.path
    kind = field["type"]
    problems = list(FIELD_TYPES[kind].check(info))
    prefill = field.get("prefill")
    if prefill is not None and prefill not in FIELD_TYPES[kind].prefill_sources:
        problems.append(
            problem(
                f"{path}.prefill",
                "prefill_wrong_type",
                source=prefill,
                fills=PREFILL_TYPES[prefill],
                type=kind,
            )
        )
    if "visible_if" in field:
        problems += _check_condition(
            field["visible_if"],
            f"{path}.visible_if",
            fields,
            usable=lambda other: other.order < info.order and other.parent in (None, info.parent),
            why="earlier_field",
            own_group=info.parent,
        )
    return problems


def _walk(condition: dict[str, Any], path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield every node of a condition with its JSON path."""
    yield condition, path
    for key in ("all", "any"):
        for index, part in enumerate(condition.get(key) or []):
            yield from _walk(part, f"{path}.{key}[{index}]")
    if isinstance(condition.get("not"), dict):
        yield from _walk(condition["not"], f"{path}.not")


def _check_condition(
    condition: dict[str, Any],
    path: str,
    fields: dict[str, FieldInfo],
    usable: Any,
    why: str,
    params: dict[str, Any] | None = None,
    own_group: str | None = None,
) -> list[Problem]:
    """Check structure and references of a condition.

    ``usable(info)`` tells whether the condition may read field ``info``; ``why`` names
    which fields are usable, for the message (``field_not_usable.<why>``, with ``params``).
    ``own_group`` is the repeat group whose item the condition is evaluated in (a field
    inside it): while an item is checked the group has no answer yet, so reading it (or
    ``group.inner``) would always be false and the field's answers silently dropped.
    """
    problems = []
    for node, node_path in _walk(condition, path):
        groups = [key for key in GROUP_OPERATORS if key in node]
        operators = [key for key in LEAF_OPERATORS if key in node]
        if groups:
            if len(groups) > 1 or operators or "field" in node:
                problems.append(problem(node_path, "condition_combine"))
            continue
        if "field" not in node or len(operators) != 1:
            problems.append(problem(node_path, "condition_leaf", operators=list(LEAF_OPERATORS)))
            continue
        if own_group is not None and node["field"].partition(".")[0] == own_group:
            problems.append(
                problem(
                    f"{node_path}.field",
                    "condition_reads_own_group",
                    id=node["field"],
                    group=own_group,
                )
            )
            continue
        problems += _check_leaf(node, node_path, operators[0], fields, usable, why, params or {})
    return problems


def _check_leaf(
    node: dict[str, Any],
    path: str,
    operator: str,
    fields: dict[str, FieldInfo],
    usable: Any,
    why: str,
    params: dict[str, Any],
) -> list[Problem]:
    """Problems of one leaf: the field it names exists and may be read here, and its
    operator suits it (``group.field`` only with ``contains``, a group only counted)."""
    name = node["field"]
    group_id, _, inner = name.partition(".")
    target = fields.get(group_id)
    if target is None:
        return [problem(f"{path}.field", "unknown_field", id=group_id)]
    if not usable(target):
        return [problem(f"{path}.field", f"field_not_usable.{why}", id=group_id, **params)]
    kind = FIELD_TYPES[target.field["type"]]
    if inner:
        # ``group.inner``: a field inside a repeat group, read across all its items.
        if not kind.holds_fields:
            return [problem(f"{path}.field", "not_a_group", id=group_id)]
        member = fields.get(inner)
        if member is None or member.parent != group_id:
            return [problem(f"{path}.field", "group_field_unknown", group=group_id, id=inner)]
        if operator not in ITEM_OPERATORS:
            return [problem(f"{path}.{operator}", "group_field_operator", id=name)]
        # The value is compared with each item's answer, as ``equals`` would.
        checked = FIELD_TYPES[member.field["type"]].condition_check(
            {**node, "equals": node[operator]}, path, "equals", member.field
        )
        return [
            Problem(
                item.path.replace(f"{path}.equals", f"{path}.{operator}"),
                item.code,
                item.params,
                item.text,
            )
            for item in map(coded, checked)
        ]
    if kind.holds_fields:
        if operator not in COUNT_OPERATORS:
            return [problem(f"{path}.{operator}", "group_operator", id=name)]
        return []
    # Which operators suit the field (dates, numbers, option values) is its type's to say.
    return kind.condition_check(node, path, operator, target.field)


def _check_fees(data: dict[str, Any], fields: dict[str, FieldInfo]) -> list[Problem]:
    fees = data.get("fees")
    if fees is None:
        return []
    problems = _duplicates(fees["rules"], "fees.rules", "fee_rule")
    allowed_keys = {
        "fixed": {"id", "kind", "label", "amount_cents", "when"},
        "per_item": {"id", "kind", "label", "amount_cents", "over", "where", "when"},
        "tiered": {"id", "kind", "label", "over", "where", "count_where", "when", "mode", "tiers"},
    }
    for index, rule in enumerate(fees["rules"]):
        path = f"fees.rules[{index}]"
        for key in rule:
            if key not in allowed_keys[rule["kind"]]:
                problems.append(problem(f"{path}.{key}", "fee_key_not_allowed", kind=rule["kind"]))
        if "when" in rule:
            problems += _check_condition(
                rule["when"],
                f"{path}.when",
                fields,
                usable=lambda info: info.parent is None,
                why="outside_groups",
            )
        if "over" in rule:
            problems += _check_fee_count(rule, path, fields)
        if rule["kind"] == "tiered":
            problems += _check_tiers(rule, path)
    return problems


def _check_fee_count(
    rule: dict[str, Any], path: str, fields: dict[str, FieldInfo]
) -> list[Problem]:
    target = fields.get(rule["over"])
    if target is None:
        return [problem(f"{path}.over", "unknown_field", id=rule["over"])]
    kind = target.field["type"]
    if kind not in ("repeat", "number") or target.parent is not None:
        return [problem(f"{path}.over", "fee_counts_what", type=kind)]
    problems = []
    for key in ("where", "count_where"):
        if key not in rule:
            continue
        if kind != "repeat":
            problems.append(problem(f"{path}.{key}", "fee_filter_needs_group"))
            continue
        group = rule["over"]
        problems += _check_condition(
            rule[key],
            f"{path}.{key}",
            fields,
            usable=lambda info, group=group: info.parent in (None, group),
            why="group_or_outside",
            params={"group": group},
        )
    if rule.get("mode") == "graduated" and "count_where" in rule:
        problems.append(problem(f"{path}.count_where", "graduated_count_where"))
    return problems


def _check_tiers(rule: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    expected = 1
    tiers = rule["tiers"]
    for index, tier in enumerate(tiers):
        tier_path = f"{path}.tiers[{index}]"
        if tier["from"] != expected:
            problems.append(problem(f"{tier_path}.from", "tier_from", expected=expected))
        last = tier.get("to")
        if last is None:
            if index != len(tiers) - 1:
                problems.append(problem(f"{tier_path}.to", "tier_open_not_last"))
            break
        if last < tier["from"]:
            problems.append(
                problem(f"{tier_path}.to", "tier_to_before_from", to=last, **{"from": tier["from"]})
            )
        expected = last + 1
    else:
        problems.append(problem(f"{path}.tiers", "tier_last_closed"))
    return problems


def _check_payment(data: dict[str, Any]) -> list[Problem]:
    policy = data["payment"]["policy"]
    if policy == "none" and "fees" in data:
        return [problem("payment.policy", "payment_none_with_fees")]
    if policy != "none" and "fees" not in data:
        return [problem("payment.policy", "payment_needs_fees", policy=policy)]
    if "notice_kind" in data["payment"] and policy != "after_decision":
        return [problem("payment.notice_kind", "notice_kind_needs_decision")]
    if "instalments" in data["payment"] and policy != "after_decision":
        return [problem("payment.instalments", "instalments_need_decision")]
    for key in ("pro_rata", "direct_debit"):
        if key in data["payment"] and "instalments" not in data["payment"]:
            return [problem(f"payment.{key}", "needs_instalments")]
    return _check_payment_fields(data)


def _check_prefill_from_previous(
    data: dict[str, Any], fields: dict[str, FieldInfo]
) -> list[Problem]:
    # Only whole top-level answers without uploads: an upload belongs to the
    # application it was made for, and a repeat item alone has no place to go.
    problems = []
    wanted = (data.get("prefill_from_previous") or {}).get("fields") or []
    for index, field_id in enumerate(wanted):
        path = f"prefill_from_previous.fields[{index}]"
        info = fields.get(field_id)
        if info is None:
            problems.append(problem(path, "unknown_field", id=field_id))
            continue
        inner = [info.field, *info.field.get("fields", [])]
        if info.parent is not None or any(f["type"] == "file" for f in inner):
            problems.append(problem(path, "prefill_previous_field", id=field_id))
    return problems


def _check_payment_fields(data: dict[str, Any]) -> list[Problem]:
    # Fields that the payment settings read must be the definition's own (but
    # ``ends_notice.items_field`` names the list in the other service's form).
    known = {info.field["id"] for info in iter_fields(data)}
    problems = []
    for key in ("pro_rata", "direct_debit", "ends_notice"):
        for name, value in (data["payment"].get(key) or {}).items():
            if name.endswith("_field") and name != "items_field" and value not in known:
                problems.append(problem(f"payment.{key}.{name}", "unknown_field", id=value))
    return problems


def _check_workflow(data: dict[str, Any]) -> list[Problem]:
    workflow = data["workflow"]
    statuses = {status["id"]: status for status in workflow["statuses"]}
    problems = _duplicates(workflow["statuses"], "workflow.statuses", "status")
    if workflow["initial"] not in statuses:
        problems.append(problem("workflow.initial", "unknown_status", id=workflow["initial"]))
    if workflow.get("handover") and workflow["handover"] not in statuses:
        problems.append(problem("workflow.handover", "unknown_status", id=workflow["handover"]))
    outgoing: dict[str, set[str]] = {status: set() for status in statuses}
    seen = set()
    for index, row in enumerate(workflow["transitions"]):
        path = f"workflow.transitions[{index}]"
        for end in ("from", "to"):
            if row[end] not in statuses:
                problems.append(problem(f"{path}.{end}", "unknown_status", id=row[end]))
        key = (row["from"], row["to"], row["actor"])
        if key in seen:
            problems.append(
                problem(
                    path,
                    "duplicate_transition",
                    to=row["to"],
                    actor=row["actor"],
                    **{"from": row["from"]},
                )
            )
        seen.add(key)
        if row["from"] == row["to"]:
            problems.append(problem(path, "transition_to_itself", id=row["from"]))
        if row["from"] in statuses and row["to"] in statuses:
            outgoing[row["from"]].add(row["to"])
            if statuses[row["from"]].get("terminal"):
                problems.append(problem(f"{path}.from", "transition_from_terminal", id=row["from"]))
    if problems:
        return problems
    return _check_reachability(workflow, statuses, outgoing)


def _check_reachability(
    workflow: dict[str, Any], statuses: dict[str, dict[str, Any]], outgoing: dict[str, set[str]]
) -> list[Problem]:
    problems = []
    reached = _closure(workflow["initial"], outgoing)
    incoming: dict[str, set[str]] = {status: set() for status in statuses}
    for source, targets in outgoing.items():
        for target in targets:
            incoming[target].add(source)
    terminals = [status for status, spec in statuses.items() if spec.get("terminal")]
    if not terminals:
        problems.append(problem("workflow.statuses", "no_terminal_status"))
    can_finish: set[str] = set()
    for terminal in terminals:
        can_finish |= _closure(terminal, incoming)
    for index, status in enumerate(workflow["statuses"]):
        path = f"workflow.statuses[{index}]"
        if status["id"] not in reached:
            problems.append(
                problem(path, "status_unreachable", id=status["id"], initial=workflow["initial"])
            )
        elif terminals and status["id"] not in can_finish:
            problems.append(problem(path, "status_never_ends", id=status["id"]))
    return problems


def _closure(start: str, edges: dict[str, set[str]]) -> set[str]:
    reached = {start}
    queue = [start]
    while queue:
        for target in edges.get(queue.pop(), ()):
            if target not in reached:
                reached.add(target)
                queue.append(target)
    return reached


def _check_documents(data: dict[str, Any]) -> list[Problem]:
    documents = data.get("documents") or []
    statuses = {status["id"] for status in data["workflow"]["statuses"]}
    problems = _duplicates(documents, "documents", "document")
    for index, document in enumerate(documents):
        if document["issued_on"] not in statuses:
            problems.append(
                problem(f"documents[{index}].issued_on", "unknown_status", id=document["issued_on"])
            )
    return problems


def _check_auto_decision(data: dict[str, Any]) -> list[Problem]:
    auto = data.get("auto_decision")
    if not auto or not auto["enabled"]:
        return []
    problems = []
    if not auto.get("rule_set"):
        problems.append(problem("auto_decision.rule_set", "auto_needs_rule_set"))
    status = auto.get("status")
    if status is None:
        return [*problems, problem("auto_decision.status", "auto_needs_status")]
    workflow = data["workflow"]
    allowed = any(
        row["from"] == workflow["initial"] and row["to"] == status and row["actor"] == "system"
        for row in workflow["transitions"]
    )
    if not allowed:
        problems.append(
            problem(
                "auto_decision.status",
                "no_system_transition",
                to=status,
                **{"from": workflow["initial"]},
            )
        )
    problems += _check_handover(workflow)
    return problems


def _check_handover(workflow: dict[str, Any]) -> list[Problem]:
    # Rules that do not decide hand the case over; the workflow must say where to.
    handover = workflow.get("handover")
    if not handover:
        return [problem("workflow.handover", "auto_needs_handover")]
    if not any(
        row["from"] == workflow["initial"] and row["to"] == handover and row["actor"] == "system"
        for row in workflow["transitions"]
    ):
        return [
            problem(
                "workflow.handover",
                "no_system_transition",
                to=handover,
                **{"from": workflow["initial"]},
            )
        ]
    return []


def _check_warnings(data: dict[str, Any], fields: dict[str, FieldInfo]) -> list[Problem]:
    warnings = data.get("warnings") or []
    problems = _duplicates(warnings, "warnings", "warning")
    for index, warning in enumerate(warnings):
        path = f"warnings[{index}]"
        problems += message_problems(warning["message"], f"{path}.message")
        target = fields.get(warning["field"])
        if target is None or FIELD_TYPES[target.field["type"]].holds_fields:
            problems.append(problem(f"{path}.field", "unknown_field", id=warning["field"]))
            continue
        problems += _check_condition(
            warning["when"],
            f"{path}.when",
            fields,
            usable=lambda info, parent=target.parent: info.parent in (None, parent),
            why="next_to_warned",
        )
    return problems


# The problem codes of ``_check_leaf`` that refuse an operator itself for a field (as
# opposed to the value it compares with, such as an option the field does not offer).
OPERATOR_PROBLEMS = frozenset(
    {
        "operator_needs_date",
        "operator_needs_number",
        "operator_needs_text",
        "checkbox_is_true",
        "group_operator",
        "group_field_operator",
        "not_a_group",
        "group_field_unknown",
    }
)

# A field as small as the schema allows, to ask its type which operators suit it.
_SAMPLE_OPTIONS = {"options": [], "max_items": 1, "accept": [], "max_size_bytes": 1, "fields": []}
_SAMPLE_VALUES = {"in": [], "is_true": True, "before": "today", "after": "today"}


def allowed_operators(type_name: str, *, member: bool = False) -> list[str]:
    """The leaf operators a condition may use on a field of type ``type_name``: read
    directly, or (``member``) as ``group.inner``, a field inside a repeat group read
    across its items. Asked of the very check the loader runs (``_check_leaf``) on a
    sample field, so the rule editor never offers what publishing would refuse."""
    sample = {"id": "x", "type": type_name, **_SAMPLE_OPTIONS, **FIELD_TYPES[type_name].defaults}
    group = {"id": "g", "type": "repeat", **_SAMPLE_OPTIONS}
    fields = {
        "g": FieldInfo(group, "g", "s", None, 0),
        "x": FieldInfo(sample, "x", "s", "g" if member else None, 1),
    }
    if member and FIELD_TYPES[type_name].holds_fields:
        return []  # a repeat group never sits inside another (``repeat_nested``)
    name = "g.x" if member else "x"
    allowed = []
    for operator in LEAF_OPERATORS:
        node = {"field": name, operator: _SAMPLE_VALUES.get(operator, "x")}
        problems = _check_leaf(node, "c", operator, fields, lambda _info: True, "", {})
        if not any(coded(item).code in OPERATOR_PROBLEMS for item in problems):
            allowed.append(operator)
    return allowed
