"""Entry point of the background worker: ``huey_consumer app.worker.huey``."""

from app import create_app
from app.tasks import huey

flask_app = create_app()

__all__ = ["flask_app", "huey"]
