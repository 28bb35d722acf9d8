"""The bare stack the HTTP benchmark measures the portal against.

flask-smorest + peewee + marshmallow, nothing else: ``GET /items`` lists 20 rows of a
small table (the floor any list endpoint of the portal should reach) and ``GET /hello``
answers a constant text (the ceiling of Flask under gunicorn). The database comes from
``BARE_DATABASE_URL`` (SQLite or PostgreSQL), set up the way peewee's documentation
recommends for a web app: WAL for SQLite, a connection pool for PostgreSQL, one
connection per request.

    gunicorn --pythonpath bench "bare_list_app:create_app()"   # with BARE_DATABASE_URL set
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import peewee
from flask import Flask
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase

LIST_ROWS = 20
TABLE_ROWS = 100

database = peewee.DatabaseProxy()


class Item(peewee.Model):
    """A small row with the usual kinds of column."""

    name = peewee.CharField(max_length=100)
    category = peewee.CharField(max_length=32, index=True)
    price_cents = peewee.IntegerField()
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField()

    class Meta:
        database = database
        table_name = "bare_item"


class ItemSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    category = fields.String()
    price_cents = fields.Integer()
    active = fields.Boolean()
    created_at = fields.DateTime()


def open_database(url: str) -> peewee.Database:
    """Bind the models to ``url`` (sqlite:///… or postgresql://…)."""
    if urlsplit(url).scheme == "sqlite":
        bound: peewee.Database = peewee.SqliteDatabase(
            parse(url)["database"], pragmas={"journal_mode": "wal", "synchronous": "normal"}
        )
    else:
        bound = PooledPostgresqlDatabase(**parse(url), max_connections=20, stale_timeout=300)
    database.initialize(bound)
    return bound


def seed(url: str) -> None:
    """Create the table with ``TABLE_ROWS`` rows (the list shows the first 20)."""
    open_database(url)
    with database.connection_context():
        database.create_tables([Item])
        start = datetime(2026, 1, 1, 8, 0)
        Item.insert_many(
            [
                {
                    "name": f"Artikel {number}",
                    "category": ("a", "b", "c")[number % 3],
                    "price_cents": 100 + number * 7,
                    "active": number % 5 != 0,
                    "created_at": start + timedelta(hours=number),
                }
                for number in range(TABLE_ROWS)
            ]
        ).execute()


blp = Blueprint("items", __name__, description="Items")


@blp.route("/items", methods=["GET"])
@blp.response(200, ItemSchema(many=True))
def list_items():
    """The first 20 items."""
    return Item.select().order_by(Item.id).limit(LIST_ROWS)


def create_app(url: str | None = None) -> Flask:
    """The bare app on ``url`` (default: ``BARE_DATABASE_URL``)."""
    open_database(url or os.environ["BARE_DATABASE_URL"])
    app = Flask(__name__)
    app.config.update(API_TITLE="bare", API_VERSION="1", OPENAPI_VERSION="3.0.3")

    @app.before_request
    def _connect() -> None:
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if not database.is_closed():
            database.close()

    @app.get("/hello")
    def hello() -> str:
        return "Hello, World!"

    Api(app).register_blueprint(blp)
    return app
