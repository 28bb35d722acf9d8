"""The Flask application object of ``portal.web``."""

from __future__ import annotations

import asyncio

import flask.app
import pytest

from portal.web import PortalFlask


@pytest.fixture()
def bare(tmp_path) -> PortalFlask:
    return PortalFlask("web-test", instance_path=str(tmp_path))


def test_a_plain_hook_is_checked_for_coroutines_once(bare, monkeypatch) -> None:
    asked: list[object] = []
    real = flask.app.iscoroutinefunction

    def counting(func: object) -> bool:
        asked.append(func)
        return real(func)

    monkeypatch.setattr(flask.app, "iscoroutinefunction", counting)

    @bare.before_request
    def hook() -> None:
        return None

    @bare.get("/")
    def index() -> str:
        return "ok"

    client = bare.test_client()
    for _ in range(3):
        assert client.get("/").text == "ok"
    assert asked.count(hook) == 1
    assert asked.count(index) == 1


def test_a_coroutine_function_is_handed_to_async_to_sync_every_time(bare, monkeypatch) -> None:
    wrapped: list[object] = []

    def to_sync(func):
        wrapped.append(func)
        return lambda *args, **kwargs: asyncio.run(func(*args, **kwargs))

    monkeypatch.setattr(bare, "async_to_sync", to_sync)

    @bare.get("/")
    async def index() -> str:
        await asyncio.sleep(0)
        return "async"

    client = bare.test_client()
    assert client.get("/").text == "async"
    assert client.get("/").text == "async"
    assert wrapped == [index, index]
    assert index not in bare._plain_functions


def test_a_bound_method_is_not_kept(bare) -> None:
    class Hooks:
        def check(self) -> None:
            return None

    method = Hooks().check
    assert bare.ensure_sync(method) is method
    assert bare._plain_functions == set()
