"""Web Push: VAPID keys, notification payloads, push services, devices and delivery.

Transport layer: ``vapid`` keeps the application server's key pair and validates
the ``sub`` claim, ``message`` holds the per-send options (TTL, urgency, topic)
and size limits, ``subscription`` checks what a browser hands over, ``payload``
builds the JSON the service worker shows and ``transports`` delivers it
(``webpush`` or ``log``).

Portal layer: ``endpoints`` decides which push services the server may contact,
``runtime`` builds key and transport from the configuration, ``devices`` keeps the
citizens' subscriptions, ``handlers`` turns domain events into notifications,
``delivery`` holds the jobs that send them once per device with retries,
``broadcasts`` sends admin messages to a topic and ``bulk`` changes the status of
many applications at once. See docs/push.md.
"""
