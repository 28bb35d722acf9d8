"""The development outbox is read while mails are written (the sign-in screen polls it
in development; browser tests read it): a reader never meets a half-written record."""

from __future__ import annotations

import threading

from app.mail import deliver, outbox_dir, read_outbox


def test_a_reader_never_meets_a_half_written_mail(tmp_path):
    config = {"MAIL_FROM": "portal@example.org", "INSTANCE_PATH": str(tmp_path)}
    body = "Ihr Code lautet 123456.\n" * 20000  # large enough that writing takes a while
    done = threading.Event()
    failures: list[Exception] = []

    def read_until_done() -> None:
        while not done.is_set():
            try:
                for record in read_outbox(str(tmp_path)):
                    assert record["body"] == body
            except Exception as exc:  # the failure is what the test reports
                failures.append(exc)
                return

    reader = threading.Thread(target=read_until_done)
    reader.start()
    try:
        for number in range(80):
            deliver(config, f"person{number}@example.org", "Ihr Code", body)
    finally:
        done.set()
        reader.join()
    assert failures == []
    assert len(read_outbox(str(tmp_path))) == 80
    # Nothing is left aside.
    assert [p.name for p in outbox_dir(str(tmp_path)).iterdir() if p.name.startswith(".")] == []
