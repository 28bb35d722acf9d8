"""Entry point of the background worker: ``huey_consumer portal.worker.huey``."""

from app.tasks import huey
from portal import create_app

# The worker's jobs read the configuration and open the database the app sets up.
flask_app = create_app()

__all__ = ["flask_app", "huey"]
