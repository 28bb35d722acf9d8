"""Checks a definition must pass beyond its JSON Schema.

The schema checks shapes; these checks look at meaning: ids are unique, conditions and
fee rules point at fields that exist where they are used, bounds are ordered, the
workflow is a usable state machine. Each check returns ``(json_path, problem)`` pairs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.service_definitions.conditions import GROUP_OPERATORS, LEAF_OPERATORS
from app.service_definitions.field_types import FIELD_TYPES, PREFILL_TYPES, Problem
from app.service_definitions.field_types.base import message_problems
from app.service_definitions.model import FieldInfo, iter_fields
from app.service_definitions.workflow_messages import check as _check_messages


def check(data: dict[str, Any]) -> list[Problem]:
    """Return every semantic problem of a schema-valid definition dict."""
    fields, problems = _index(data)
    problems += _check_steps(data, fields)
    for info in fields.values():
        problems += _check_field(info, fields)
    problems += _check_fees(data, fields)
    problems += _check_payment(data)
    problems += _check_workflow(data)
    problems += _check_messages(data)
    problems += _check_documents(data)
    problems += _check_auto_decision(data)
    problems += _check_warnings(data, fields)
    if data["trust_level"] == "high" and "trust_note" not in data:
        problems.append(("trust_note", "a service with trust level 'high' needs a trust_note"))
    return problems


def _index(data: dict[str, Any]) -> tuple[dict[str, FieldInfo], list[Problem]]:
    fields: dict[str, FieldInfo] = {}
    problems = []
    for info in iter_fields(data):
        field_id = info.field["id"]
        if field_id in fields:
            first = fields[field_id].path
            problems.append(
                (f"{info.path}.id", f"duplicate field id {field_id!r} (first at {first})")
            )
            continue
        fields[field_id] = info
    return fields, problems


def _duplicates(items: list[dict[str, Any]], path: str, what: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, item in enumerate(items):
        if item["id"] in seen:
            problems.append((f"{path}[{index}].id", f"duplicate {what} id {item['id']!r}"))
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
            why="a field on an earlier step",
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
            (
                f"{path}.prefill",
                f"{prefill!r} fills {PREFILL_TYPES[prefill]!r} fields, not {kind!r}",
            )
        )
    if "visible_if" in field:
        problems += _check_condition(
            field["visible_if"],
            f"{path}.visible_if",
            fields,
            usable=lambda other: other.order < info.order and other.parent in (None, info.parent),
            why="an earlier field outside other repeat groups",
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
) -> list[Problem]:
    """Check structure and references of a condition.

    ``usable(info)`` tells whether the condition may read field ``info``; ``why`` says in
    words which fields are usable, for the message.
    """
    problems = []
    for node, node_path in _walk(condition, path):
        groups = [key for key in GROUP_OPERATORS if key in node]
        operators = [key for key in LEAF_OPERATORS if key in node]
        if groups:
            if len(groups) > 1 or operators or "field" in node:
                problems.append((node_path, "combine with exactly one of all/any/not"))
            continue
        if "field" not in node or len(operators) != 1:
            problems.append(
                (node_path, f"a condition names a field and exactly one of {list(LEAF_OPERATORS)}")
            )
            continue
        target = fields.get(node["field"])
        if target is None:
            problems.append((f"{node_path}.field", f"unknown field {node['field']!r}"))
            continue
        if FIELD_TYPES[target.field["type"]].holds_fields or not usable(target):
            problems.append((f"{node_path}.field", f"field {node['field']!r} is not {why}"))
            continue
        # Which operators suit the field (dates, option values) is its type's to say.
        kind = FIELD_TYPES[target.field["type"]]
        problems += kind.condition_check(node, node_path, operators[0], target.field)
    return problems


def _check_fees(data: dict[str, Any], fields: dict[str, FieldInfo]) -> list[Problem]:
    fees = data.get("fees")
    if fees is None:
        return []
    problems = _duplicates(fees["rules"], "fees.rules", "fee rule")
    allowed_keys = {
        "fixed": {"id", "kind", "label", "amount_cents", "when"},
        "per_item": {"id", "kind", "label", "amount_cents", "over", "where", "when"},
        "tiered": {"id", "kind", "label", "over", "where", "count_where", "when", "mode", "tiers"},
    }
    for index, rule in enumerate(fees["rules"]):
        path = f"fees.rules[{index}]"
        for key in rule:
            if key not in allowed_keys[rule["kind"]]:
                problems.append((f"{path}.{key}", f"not allowed in a {rule['kind']!r} fee rule"))
        if "when" in rule:
            problems += _check_condition(
                rule["when"],
                f"{path}.when",
                fields,
                usable=lambda info: info.parent is None,
                why="a field outside repeat groups",
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
        return [(f"{path}.over", f"unknown field {rule['over']!r}")]
    kind = target.field["type"]
    if kind not in ("repeat", "number") or target.parent is not None:
        return [(f"{path}.over", f"counts a repeat group or a number field, not {kind!r}")]
    problems = []
    for key in ("where", "count_where"):
        if key not in rule:
            continue
        if kind != "repeat":
            problems.append((f"{path}.{key}", "only a repeat group has items to filter"))
            continue
        group = rule["over"]
        problems += _check_condition(
            rule[key],
            f"{path}.{key}",
            fields,
            usable=lambda info, group=group: info.parent in (None, group),
            why=f"a field of {group!r} or outside repeat groups",
        )
    if rule.get("mode") == "graduated" and "count_where" in rule:
        problems.append((f"{path}.count_where", "graduated tiers count the billed items"))
    return problems


def _check_tiers(rule: dict[str, Any], path: str) -> list[Problem]:
    problems = []
    expected = 1
    tiers = rule["tiers"]
    for index, tier in enumerate(tiers):
        tier_path = f"{path}.tiers[{index}]"
        if tier["from"] != expected:
            problems.append(
                (f"{tier_path}.from", f"expected {expected}: tiers must be contiguous from 1")
            )
        last = tier.get("to")
        if last is None:
            if index != len(tiers) - 1:
                problems.append((f"{tier_path}.to", "only the last tier may be open-ended"))
            break
        if last < tier["from"]:
            problems.append((f"{tier_path}.to", f"to {last} is before from {tier['from']}"))
        expected = last + 1
    else:
        problems.append((f"{path}.tiers", "the last tier must be open-ended (no 'to')"))
    return problems


def _check_payment(data: dict[str, Any]) -> list[Problem]:
    policy = data["payment"]["policy"]
    if policy == "none" and "fees" in data:
        return [("payment.policy", "'none' but the definition has fee rules")]
    if policy != "none" and "fees" not in data:
        return [("payment.policy", f"{policy!r} needs fee rules")]
    if "notice_kind" in data["payment"] and policy != "after_decision":
        return [("payment.notice_kind", "only a fee charged after the decision creates a notice")]
    if "instalments" in data["payment"] and policy != "after_decision":
        return [("payment.instalments", "instalments are set by a decision (after_decision)")]
    for key in ("pro_rata", "direct_debit"):
        if key in data["payment"] and "instalments" not in data["payment"]:
            return [(f"payment.{key}", "needs yearly instalments (payment.instalments)")]
    return _check_payment_fields(data)


def _check_payment_fields(data: dict[str, Any]) -> list[Problem]:
    # Fields that the payment settings read must be the definition's own (but
    # ``ends_notice.items_field`` names the list in the other service's form).
    known = {info.field["id"] for info in iter_fields(data)}
    problems = []
    for key in ("pro_rata", "direct_debit", "ends_notice"):
        for name, value in (data["payment"].get(key) or {}).items():
            if name.endswith("_field") and name != "items_field" and value not in known:
                problems.append((f"payment.{key}.{name}", f"unknown field {value!r}"))
    return problems


def _check_workflow(data: dict[str, Any]) -> list[Problem]:
    workflow = data["workflow"]
    statuses = {status["id"]: status for status in workflow["statuses"]}
    problems = _duplicates(workflow["statuses"], "workflow.statuses", "status")
    if workflow["initial"] not in statuses:
        problems.append(("workflow.initial", f"unknown status {workflow['initial']!r}"))
    if workflow.get("handover") and workflow["handover"] not in statuses:
        problems.append(("workflow.handover", f"unknown status {workflow['handover']!r}"))
    outgoing: dict[str, set[str]] = {status: set() for status in statuses}
    seen = set()
    for index, row in enumerate(workflow["transitions"]):
        path = f"workflow.transitions[{index}]"
        for end in ("from", "to"):
            if row[end] not in statuses:
                problems.append((f"{path}.{end}", f"unknown status {row[end]!r}"))
        key = (row["from"], row["to"], row["actor"])
        if key in seen:
            problems.append(
                (path, f"duplicate transition {row['from']} → {row['to']} ({row['actor']})")
            )
        seen.add(key)
        if row["from"] == row["to"]:
            problems.append((path, f"transition from {row['from']!r} to itself"))
        if row["from"] in statuses and row["to"] in statuses:
            outgoing[row["from"]].add(row["to"])
            if statuses[row["from"]].get("terminal"):
                problems.append((f"{path}.from", f"{row['from']!r} is terminal"))
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
        problems.append(("workflow.statuses", "at least one status must be terminal"))
    can_finish: set[str] = set()
    for terminal in terminals:
        can_finish |= _closure(terminal, incoming)
    for index, status in enumerate(workflow["statuses"]):
        path = f"workflow.statuses[{index}]"
        if status["id"] not in reached:
            problems.append(
                (path, f"status {status['id']!r} cannot be reached from {workflow['initial']!r}")
            )
        elif terminals and status["id"] not in can_finish:
            problems.append((path, f"status {status['id']!r} never leads to a terminal status"))
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
                (f"documents[{index}].issued_on", f"unknown status {document['issued_on']!r}")
            )
    return problems


def _check_auto_decision(data: dict[str, Any]) -> list[Problem]:
    auto = data.get("auto_decision")
    if not auto or not auto["enabled"]:
        return []
    problems = []
    if not auto.get("rule_set"):
        problems.append(("auto_decision.rule_set", "an automatic decision needs a rule_set"))
    status = auto.get("status")
    if status is None:
        return [*problems, ("auto_decision", "an automatic decision needs the status it sets")]
    workflow = data["workflow"]
    allowed = any(
        row["from"] == workflow["initial"] and row["to"] == status and row["actor"] == "system"
        for row in workflow["transitions"]
    )
    if not allowed:
        problems.append(
            (
                "auto_decision.status",
                f"the workflow has no system transition {workflow['initial']} → {status}",
            )
        )
    problems += _check_handover(workflow)
    return problems


def _check_handover(workflow: dict[str, Any]) -> list[Problem]:
    # Rules that do not decide hand the case over; the workflow must say where to.
    handover = workflow.get("handover")
    if not handover:
        return [("workflow.handover", "an automatic decision needs a handover status")]
    if not any(
        row["from"] == workflow["initial"] and row["to"] == handover and row["actor"] == "system"
        for row in workflow["transitions"]
    ):
        return [
            (
                "workflow.handover",
                f"the workflow has no system transition {workflow['initial']} → {handover}",
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
            problems.append((f"{path}.field", f"unknown field {warning['field']!r}"))
            continue
        problems += _check_condition(
            warning["when"],
            f"{path}.when",
            fields,
            usable=lambda info, parent=target.parent: info.parent in (None, parent),
            why="a field next to the warned field or outside repeat groups",
        )
    return problems
