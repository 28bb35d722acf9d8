"""The city package a database serves (``app.cities.binding``): one row, written at the
first start after migrating, compared at every start."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE portal_city (
            id {pk},
            slug VARCHAR(60) NOT NULL,
            bound_at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX portal_city_slug ON portal_city (slug);
        """
    )
