"""Changes to sessions, accounts and staff areas are counted (SQLite) or announced
(PostgreSQL, ``NOTIFY portal_auth_change``) by triggers, so each process may keep who
is signed in and asks again only after a change (``app.accounts.auth_changes``)."""

from app.migrations import Step

# Columns whose change matters to a kept session: all but the ones refreshed as a
# matter of course (a test holds these lists to the models' fields).
SESSION_COLUMNS = (
    "token_hash",
    "user_id",
    "csrf_token",
    "method",
    "user_agent",
    "created_at",
    "expires_at",
)
USER_COLUMNS = (
    "email",
    "role",
    "trust_level",
    "locale",
    "user_handle",
    "created_at",
    "closed_at",
    "deactivated_at",
)
# (trigger name, event, table)
_TRIGGERS = (
    ("auth_change_session_update", f"UPDATE OF {', '.join(SESSION_COLUMNS)}", "auth_session"),
    ("auth_change_session_delete", "DELETE", "auth_session"),
    ("auth_change_user_update", f"UPDATE OF {', '.join(USER_COLUMNS)}", '"user"'),
    ("auth_change_user_delete", "DELETE", '"user"'),
    ("auth_change_area_insert", "INSERT", "staff_area"),
    ("auth_change_area_update", "UPDATE", "staff_area"),
    ("auth_change_area_delete", "DELETE", "staff_area"),
)


def upgrade(step: Step) -> None:
    if step.dialect == "postgres":
        # One notification per statement; PostgreSQL sends it when the change commits
        # and folds repeats within a transaction into one.
        step.database.execute_sql(
            "CREATE FUNCTION auth_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN PERFORM pg_notify('portal_auth_change', ''); RETURN NULL; END $$"
        )
        for name, event, table in _TRIGGERS:
            step.database.execute_sql(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION auth_change_notify()"
            )
        return
    step.sql(
        """
        CREATE TABLE auth_change (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
        INSERT INTO auth_change (id, value) VALUES (1, 0)
        """
    )
    for name, event, table in _TRIGGERS:
        # SQLite has row triggers only; the count is what matters, not its size.
        step.database.execute_sql(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} "  # noqa: S608 - constants only
            "BEGIN UPDATE auth_change SET value = value + 1 WHERE id = 1; END"
        )
