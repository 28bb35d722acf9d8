"""``flask payments seed-demo``: a notice to try paying in the demo."""

from __future__ import annotations


def test_cli_seed_demo_notice(ctx):
    from app.accounts import users
    from app.models import Notice

    runner = ctx.test_cli_runner()
    assert runner.invoke(args=["payments", "seed-demo"]).exit_code != 0
    users.create_user("buerger@demo.buergerportal.de")
    first = runner.invoke(args=["payments", "seed-demo"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["payments", "seed-demo"])
    assert "exists" in again.output
    notice = Notice.get()
    assert notice.total_cents == 8400 and notice.instalments.count() == 4
