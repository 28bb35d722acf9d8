"""A notice's figures as the citizen's list shows them, worked out in one pass over its
instalments: each instalment paid, cancelled, waiting for its direct debit, late or due
later counts where it belongs, and the status is the one ``status_of`` gives."""

from __future__ import annotations

from datetime import date, timedelta

from app.db import db, utcnow
from app.models import NoticeInstalment, Payment
from app.payments import notice_debits, notices


def _notice(citizen, amounts_and_days: list[tuple[int, int]]):
    today = utcnow().date()
    return notices.create_notice(
        citizen,
        kind="dog_tax",
        title="Hundesteuer",
        kassenzeichen=f"7.{len(amounts_and_days)}{amounts_and_days[0][0]}",
        instalments=[
            notices.InstalmentInput(today + timedelta(days=days), amount)
            for amount, days in amounts_and_days
        ],
        actor=None,
        issued_on=today - timedelta(days=60),
    )


def _rows(notice) -> list[NoticeInstalment]:
    return notices.instalments_of(notice)


def _debit_payment(citizen, row: NoticeInstalment) -> Payment:
    return Payment.create(
        user=citizen,
        subject_type="instalment",
        subject_id=str(row.id),
        amount_cents=row.amount_cents,
        purpose="7 Rate",
        description="Rate",
        provider="sepa",
        return_path="/",
    )


def test_every_kind_of_instalment_counts_where_it_belongs(citizen):
    # Paid, cancelled, waiting for its debit, late, due soon, due later.
    notice = _notice(
        citizen, [(100, -40), (200, -30), (400, -20), (800, -10), (1600, 5), (3200, 10)]
    )
    paid, cancelled, debited, _late, _soon, _later = _rows(notice)
    NoticeInstalment.update(paid_at=utcnow()).where(NoticeInstalment.id == paid.id).execute()
    NoticeInstalment.update(cancelled_at=utcnow()).where(
        NoticeInstalment.id == cancelled.id
    ).execute()
    NoticeInstalment.update(payment=_debit_payment(citizen, debited)).where(
        NoticeInstalment.id == debited.id
    ).execute()

    shown = notices.notice_dict(notice, _rows(notice))

    assert shown["open_cents"] == 400 + 800 + 1600 + 3200
    assert shown["payable_cents"] == 800 + 1600 + 3200
    assert shown["next_due_date"] == debited.due_date
    assert shown["status"] == "overdue" == notices.status_of(notice)
    assert [(i["paid"], i["cancelled"], i["overdue"]) for i in shown["instalments"]] == [
        (True, False, False),
        (False, True, False),
        (False, False, False),  # the city collects it: never late
        (False, False, True),
        (False, False, False),
        (False, False, False),
    ]


def test_status_follows_the_instalments(citizen):
    notice = _notice(citizen, [(100, -5), (200, 30)])
    first, second = _rows(notice)
    assert notices.notice_dict(notice, _rows(notice))["status"] == "overdue"
    NoticeInstalment.update(paid_at=utcnow()).where(NoticeInstalment.id == first.id).execute()
    shown = notices.notice_dict(notice, _rows(notice))
    assert shown["status"] == "open" == notices.status_of(notice)
    assert shown["next_due_date"] == second.due_date
    NoticeInstalment.update(paid_at=utcnow()).where(NoticeInstalment.id == second.id).execute()
    shown = notices.notice_dict(notice, _rows(notice))
    assert shown["status"] == "paid" == notices.status_of(notice)
    assert shown["next_due_date"] is None
    assert shown["open_cents"] == shown["payable_cents"] == 0
    assert isinstance(shown["instalments"][0]["due_date"], date)


def test_the_list_shows_each_notice_as_it_is_shown_alone(citizen):
    first = _notice(citizen, [(100, -40), (200, -10), (400, 20)])
    _notice(citizen, [(800, 30)])
    paid, debited, _later = _rows(first)
    NoticeInstalment.update(paid_at=utcnow()).where(NoticeInstalment.id == paid.id).execute()
    NoticeInstalment.update(payment=_debit_payment(citizen, debited)).where(
        NoticeInstalment.id == debited.id
    ).execute()
    listed = notices.notice_dicts_of_user(citizen)
    alone = [notices.notice_dict(notice) for notice in notices.list_for_user(citizen)]
    assert listed == alone
    assert len(listed) == 2 and len(listed[1]["instalments"]) == 3


def _statements_of(monkeypatch, work) -> tuple[object, int]:
    """``work()``'s result and how many statements it sent to the database."""
    sent = []
    execute_sql = db.obj.execute_sql

    def counted(sql, params=None, *args, **kwargs):
        sent.append(sql)
        return execute_sql(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.obj, "execute_sql", counted)
    try:
        return work(), len(sent)
    finally:
        monkeypatch.undo()


def test_mandates_and_debits_are_read_once_for_the_whole_list(citizen, monkeypatch):
    """A citizen whose notices are collected by direct debit: the list names each
    notice's mandate and each instalment's collection day, and reads them once for all
    notices, not once per notice."""

    made = []

    def collected_notices(count: int) -> None:
        # Each group under a mandate of its own: the list reads several at once.
        mandate = notice_debits.give_mandate(citizen, "Erika Mustermann", "DE02120300000000202051")
        for _ in range(count):
            notice = _notice(citizen, [(100 + len(made), 20), (200, 40)])
            notice_debits.collect_by_direct_debit(notice, mandate)
            made.append(notice)

    collected_notices(1)
    listed, with_one = _statements_of(monkeypatch, lambda: notices.notice_dicts_of_user(citizen))
    collected_notices(3)
    listed, with_four = _statements_of(monkeypatch, lambda: notices.notice_dicts_of_user(citizen))

    assert len(listed) == 4
    assert with_four == with_one == 3  # notices with instalments, debits, mandates
    assert len({shown["mandate"]["reference"] for shown in listed}) == 2
    for shown in listed:
        assert shown["mandate"]["iban"].endswith("2051") and "0202" not in shown["mandate"]["iban"]
        assert [i["collection"] for i in shown["instalments"]] == ["direct_debit"] * 2
        assert all(i["collection_date"] is not None for i in shown["instalments"])
    alone = [notices.notice_dict(notice) for notice in notices.list_for_user(citizen)]
    assert listed == alone


def test_the_list_row_names_the_columns_it_selects():
    assert [column.column_name for column in notices._NOTICE_COLUMNS] == list(
        notices.NoticeRow._fields
    )
