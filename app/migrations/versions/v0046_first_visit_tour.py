"""The guided first visit: when an account finished or skipped the short tour of the
portal, and how. Accounts that signed in before the tour existed already know their
way around, so they are marked ``existing`` and never see it.

The session cache keeps the account with the session (``app.accounts.auth_changes``),
and the PWA reads whether the tour is due from the session: a change to the two new
columns must count as a change, so the trigger on ``user`` watches them too."""

from app.migrations import Step
from app.migrations.versions.v0027_auth_changes import USER_COLUMNS as BEFORE

USER_COLUMNS = (*BEFORE, "tour_done_at", "tour_outcome")
_TRIGGER = "auth_change_user_update"


def upgrade(step: Step) -> None:
    step.sql(
        """
        ALTER TABLE "user" ADD COLUMN tour_done_at {ts};
        ALTER TABLE "user" ADD COLUMN tour_outcome VARCHAR(16);
        UPDATE "user" SET tour_done_at = last_login_at, tour_outcome = 'existing'
            WHERE last_login_at IS NOT NULL
        """
    )
    event = f"UPDATE OF {', '.join(USER_COLUMNS)}"
    if step.dialect == "postgres":
        step.database.execute_sql(f'DROP TRIGGER {_TRIGGER} ON "user"')
        step.database.execute_sql(
            f'CREATE TRIGGER {_TRIGGER} AFTER {event} ON "user" '
            "FOR EACH STATEMENT EXECUTE FUNCTION auth_change_notify()"
        )
        return
    step.database.execute_sql(f"DROP TRIGGER {_TRIGGER}")
    step.database.execute_sql(
        f'CREATE TRIGGER {_TRIGGER} AFTER {event} ON "user" '  # noqa: S608 - constants only
        "BEGIN UPDATE auth_change SET value = value + 1 WHERE id = 1; END"
    )
