"""Web Push: devices (push subscriptions), the delivery log and admin broadcasts."""

from app.migrations import Step


def upgrade(step: Step) -> None:
    step.sql(
        """
        CREATE TABLE push_subscription (
            id VARCHAR(24) NOT NULL PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
            endpoint VARCHAR(2048) NOT NULL UNIQUE,
            p256dh VARCHAR(100) NOT NULL,
            auth VARCHAR(32) NOT NULL,
            label VARCHAR(80) NOT NULL,
            language VARCHAR(5) NOT NULL,
            topics TEXT NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL,
            last_success_at {ts},
            failures INTEGER NOT NULL
        );
        CREATE INDEX push_subscription_user_id ON push_subscription (user_id);
        CREATE TABLE push_delivery (
            id {pk},
            subscription_id VARCHAR(24)
                REFERENCES push_subscription (id) ON DELETE SET NULL,
            notification VARCHAR(64) NOT NULL,
            topic VARCHAR(32) NOT NULL,
            attempt INTEGER NOT NULL,
            outcome VARCHAR(16) NOT NULL,
            status_code INTEGER,
            reason VARCHAR(200) NOT NULL,
            at {ts} NOT NULL
        );
        CREATE UNIQUE INDEX push_delivery_notification_subscription_id_attempt
            ON push_delivery (notification, subscription_id, attempt);
        CREATE INDEX push_delivery_subscription_id_topic
            ON push_delivery (subscription_id, topic);
        CREATE INDEX push_delivery_at ON push_delivery (at);
        CREATE TABLE push_broadcast (
            id {pk},
            topic VARCHAR(32) NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            url VARCHAR(200) NOT NULL,
            created_by_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
            created_at {ts} NOT NULL,
            devices INTEGER NOT NULL,
            finished_at {ts}
        );
        CREATE INDEX push_broadcast_created_by_id ON push_broadcast (created_by_id)
        """
    )
