"""Push notifications in the app: the switch in the account screen, the states where it
cannot work, the account's devices, signing out, and the service worker showing a pushed
message, opening the application's page when it is tapped, and subscribing again when
the browser renews a subscription.

A real subscription needs the browser vendor's push network, so ``PushManager.subscribe``
is replaced by a stand-in that makes what a browser makes (a P-256 key pair, a 16-byte
auth secret, an FCM-style endpoint); those keys must arrive at the real API. Pushed
messages reach the registered worker through the DevTools protocol
(``ServiceWorker.deliverPushMessage``); sending and encryption are tested server-side
(tests/push/).

Tapping a notification cannot be done in a headless browser: no DevTools command clicks
one. The test dispatches a ``notificationclick`` event with the notification the worker
showed, in the worker itself (evaluated through the DevTools protocol), so the worker's
own listener runs unchanged; there is no test-only code in the worker. Such an event is
not a real tap, so the browser refuses what only a tap permits (``waitUntil``, focusing a
window, opening a new one): the test covers the usual case, a window of the portal is
open and is taken to the application's page; opening a new window when none is open
cannot be tested headless. ``pushsubscriptionchange`` (which Chromium never sends) is
dispatched the same way.
"""

from __future__ import annotations

import base64
import json

import pytest
from playwright.sync_api import expect

from app.db import db
from app.models import PushSubscription, User
from e2e.conftest import (
    ARTIFACTS,
    assert_accessible,
    assert_touch_targets,
    screenshot,
    sign_in,
    submit_dog_deregistration,
    wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.service_worker]

SWITCH = "Benachrichtigungen auf diesem Gerät"

# Stands in for the browser's push subscription. Counts how often the page asked for
# permission and subscribed, so the test can tell that nothing is asked on page load.
STUB = """
(() => {
  if (typeof PushManager === 'undefined') return;
  const KEY = '__e2ePushSubscription';
  const calls = (window.__pushCalls = {permission: 0, subscribe: 0, unsubscribe: 0});
  const base64url = (bytes) => btoa(String.fromCharCode(...bytes))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const asSubscription = (saved) => ({
    endpoint: saved.endpoint,
    expirationTime: null,
    options: {userVisibleOnly: saved.userVisibleOnly,
              applicationServerKey: Uint8Array.from(saved.serverKey).buffer},
    toJSON: () => ({endpoint: saved.endpoint, expirationTime: null,
                    keys: {p256dh: saved.p256dh, auth: saved.auth}}),
    unsubscribe: async () => { calls.unsubscribe += 1; localStorage.removeItem(KEY); return true; },
  });
  const request = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => { calls.permission += 1; return request(...args); };
  PushManager.prototype.subscribe = async function (options) {
    calls.subscribe += 1;
    if (Notification.permission !== 'granted') throw new DOMException('denied', 'NotAllowedError');
    // What a browser makes: a P-256 key pair (the public key uncompressed, 65 bytes) and
    // a 16-byte auth secret.
    const pair = await crypto.subtle.generateKey(
      {name: 'ECDH', namedCurve: 'P-256'}, true, ['deriveBits']);
    const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    const token = base64url(crypto.getRandomValues(new Uint8Array(24)));
    const saved = {
      endpoint: 'https://fcm.googleapis.com/fcm/send/e2e-' + token,
      p256dh: base64url(publicKey),
      auth: base64url(crypto.getRandomValues(new Uint8Array(16))),
      userVisibleOnly: options.userVisibleOnly,
      serverKey: Array.from(new Uint8Array(options.applicationServerKey)),
    };
    localStorage.setItem(KEY, JSON.stringify(saved));
    return asSubscription(saved);
  };
  PushManager.prototype.getSubscription = async function () {
    const saved = localStorage.getItem(KEY);
    return saved ? asSubscription(JSON.parse(saved)) : null;
  };
})();
"""


def _base64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _stub_subscription(page) -> dict | None:
    saved = page.evaluate("() => localStorage.getItem('__e2ePushSubscription')")
    return json.loads(saved) if saved else None


def _stored_devices(user_id: int) -> list[PushSubscription]:
    with db.connection_context():
        return list(PushSubscription.select().where(PushSubscription.user == user_id))


def _section_screenshot(page, name: str) -> None:
    """The notifications section alone (the account page is long)."""
    ARTIFACTS.mkdir(exist_ok=True)
    section = page.locator("section", has=page.locator("#push-heading"))
    section.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _open_account(page):
    page.goto("/konto")
    expect(page.get_by_role("heading", name="Auf diesem Gerät Bescheid bekommen")).to_be_visible()


def test_switch_subscribes_this_device_with_its_keys_and_switching_off_removes_it(phone, portal):
    user_id = sign_in(phone, "push.switch@example.org")
    phone.grant_permissions(["notifications"])
    phone.add_init_script(STUB)
    page = phone.new_page()
    _open_account(page)

    # The reason comes first; nothing is asked before the citizen taps the switch.
    expect(
        page.get_by_text("Wir sagen Ihnen Bescheid, wenn sich Ihr Antrag ändert")
    ).to_be_visible()
    switch = page.get_by_role("switch", name=SWITCH)
    expect(switch).to_be_enabled()
    expect(switch).not_to_be_checked()
    expect(
        page.get_by_text("Sie bekommen noch auf keinem Gerät Benachrichtigungen.")
    ).to_be_visible()
    assert page.evaluate("() => window.__pushCalls") == {
        "permission": 0,
        "subscribe": 0,
        "unsubscribe": 0,
    }
    assert_accessible(page, "push-off")
    assert_touch_targets(page, "push-off")

    switch.click()
    expect(page.get_by_text("Benachrichtigungen sind eingeschaltet.")).to_be_visible()
    expect(switch).to_be_checked()
    calls = page.evaluate("() => window.__pushCalls")
    assert calls["permission"] == 1 and calls["subscribe"] == 1

    # The stand-in's subscription reached the real API: endpoint and keys as made.
    stub = _stub_subscription(page)
    public_key = phone.request.get("/api/push/public-key").json()["public_key"]
    assert stub["userVisibleOnly"] is True
    assert bytes(stub["serverKey"]) == _base64url_decode(public_key)
    assert len(_base64url_decode(stub["p256dh"])) == 65 and stub["p256dh"].startswith("B")
    assert len(_base64url_decode(stub["auth"])) == 16
    [stored] = _stored_devices(user_id)
    assert (stored.endpoint, stored.p256dh, stored.auth) == (
        stub["endpoint"],
        stub["p256dh"],
        stub["auth"],
    )
    assert stored.language == "de" and stored.topics == []
    [device] = phone.request.get("/api/push/subscriptions").json()
    assert device["id"] == stored.id and device["push_service"] == "fcm.googleapis.com"
    expect(page.get_by_text(f"{device['label']} (dieses Gerät)")).to_be_visible()

    # Opt into a topic and name the device.
    page.get_by_role("checkbox", name="Änderungen bei der Müllabfuhr").check()
    expect(page.get_by_text("Ihre Auswahl ist gespeichert.")).to_be_visible()
    page.get_by_label("Name dieses Geräts").fill("Mein Handy")
    page.get_by_role("button", name="Namen speichern").click()
    expect(page.get_by_text("Der Name ist gespeichert.")).to_be_visible()
    expect(page.get_by_text("Mein Handy (dieses Gerät)")).to_be_visible()
    [device] = phone.request.get("/api/push/subscriptions").json()
    assert (device["label"], device["topics"]) == ("Mein Handy", ["waste_collection"])
    assert_accessible(page, "push-on")
    assert_touch_targets(page, "push-on")
    _section_screenshot(page, "push-on")

    # After a reload: still on, the same device (sent again, not added again).
    page.reload()
    expect(page.get_by_role("switch", name=SWITCH)).to_be_checked()
    expect(page.get_by_text("Mein Handy (dieses Gerät)")).to_be_visible()
    assert page.evaluate("() => window.__pushCalls")["permission"] == 0
    assert [d.id for d in _stored_devices(user_id)] == [stored.id]

    # In English: the section's texts, and this device's notifications from now on too.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Get notified on this device")).to_be_visible()
    expect(page.get_by_role("switch", name="Notifications on this device")).to_be_checked()
    wait_until(page, lambda: _stored_devices(user_id)[0].language == "en", message="language")
    expect(page.get_by_text("Mein Handy (this device)")).to_be_visible()
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("switch", name=SWITCH)).to_be_checked()
    wait_until(page, lambda: _stored_devices(user_id)[0].language == "de", message="language")

    # Switching off removes the device at the portal and in the browser.
    page.get_by_role("switch", name=SWITCH).click()
    expect(
        page.get_by_text("Benachrichtigungen auf diesem Gerät sind ausgeschaltet.")
    ).to_be_visible()
    expect(page.get_by_role("switch", name=SWITCH)).not_to_be_checked()
    assert _stored_devices(user_id) == []
    assert phone.request.get("/api/push/subscriptions").json() == []
    assert _stub_subscription(page) is None
    expect(
        page.get_by_text("Sie bekommen noch auf keinem Gerät Benachrichtigungen.")
    ).to_be_visible()


def test_other_devices_are_listed_and_removed_and_signing_out_removes_this_one(phone, portal):
    user_id = sign_in(phone, "push.devices@example.org")
    # A second device of the account, registered elsewhere.
    with db.connection_context():
        other = PushSubscription.create(
            user=User.get_by_id(user_id),
            endpoint="https://updates.push.services.mozilla.com/wpush/v2/e2e-other",
            p256dh="B" + "A" * 86,
            auth="A" * 22,
            label="Firefox auf Windows",
        )
    phone.grant_permissions(["notifications"])
    phone.add_init_script(STUB)
    page = phone.new_page()
    _open_account(page)
    expect(page.get_by_text("Firefox auf Windows", exact=True)).to_be_visible()
    page.get_by_role("switch", name=SWITCH).click()
    expect(page.get_by_text("Benachrichtigungen sind eingeschaltet.")).to_be_visible()
    assert len(_stored_devices(user_id)) == 2

    page.get_by_role("button", name="Gerät „Firefox auf Windows“ entfernen").click()
    expect(
        page.get_by_text("„Firefox auf Windows“ bekommt keine Benachrichtigungen mehr.")
    ).to_be_visible()
    [this_device] = phone.request.get("/api/push/subscriptions").json()
    assert this_device["id"] != other.id
    assert [d.id for d in _stored_devices(user_id)] == [this_device["id"]]
    expect(page.get_by_role("switch", name=SWITCH)).to_be_checked()

    # Signing out: a shared device must not keep getting this account's notifications.
    page.get_by_role("button", name="Abmelden", exact=True).click()
    expect(page).to_have_url(f"{portal.base}/anmelden")
    assert _stored_devices(user_id) == []
    assert _stub_subscription(page) is None


def _set_permission(context, page, origin: str, setting: str):
    """Change the notification permission as the citizen would in the browser's settings."""
    cdp = context.new_cdp_session(page)
    context_id = cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    cdp.send(
        "Browser.setPermission",
        {
            "permission": {"name": "notifications"},
            "setting": setting,
            "origin": origin,
            "browserContextId": context_id,
        },
    )
    return cdp  # overrides end with the session


def test_states_denied_unsupported_iphone_and_offline(browser, live_server, phone):
    # The citizen taps the switch and the browser's question is answered "block" (a
    # headless browser blocks by itself): how to allow it again; once allowed, the switch.
    user_id = sign_in(phone, "push.denied@example.org")
    phone.add_init_script(STUB)
    page = phone.new_page()
    _open_account(page)
    page.get_by_role("switch", name=SWITCH).click()
    expect(
        page.get_by_text("Benachrichtigungen sind für das Bürgerportal blockiert.")
    ).to_be_visible()
    expect(page.get_by_role("switch", name=SWITCH)).to_have_count(0)
    assert page.evaluate("() => window.__pushCalls")["permission"] == 1
    assert _stored_devices(user_id) == []
    assert_accessible(page, "push-denied")
    _section_screenshot(page, "push-denied")
    settings = _set_permission(phone, page, live_server, "granted")
    expect(page.get_by_role("switch", name=SWITCH)).to_be_enabled()

    # Offline: the switch waits for the network.
    phone.set_offline(True)
    expect(page.get_by_text("Sie sind offline. Benachrichtigungen können Sie")).to_be_visible()
    expect(page.get_by_role("switch", name=SWITCH)).to_be_disabled()
    phone.set_offline(False)
    expect(page.get_by_role("switch", name=SWITCH)).to_be_enabled(timeout=15_000)
    settings.detach()
    page.close()

    # A browser without Web Push.
    unsupported = phone.new_page()
    unsupported.add_init_script("delete window.PushManager;")
    _open_account(unsupported)
    expect(
        unsupported.get_by_text("Dieser Browser kann keine Benachrichtigungen anzeigen.")
    ).to_be_visible()
    expect(unsupported.get_by_role("switch", name=SWITCH)).to_have_count(0)
    unsupported.close()

    # Safari on an iPhone, not added to the home screen.
    iphone = browser.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="de-DE",
        user_agent=(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
        ),
    )
    try:
        sign_in(iphone, "push.iphone@example.org")
        page = iphone.new_page()
        _open_account(page)
        expect(
            page.get_by_text("Auf iPhone und iPad: erst zum Home-Bildschirm hinzufügen")
        ).to_be_visible()
        expect(page.get_by_text("(ab iOS 16.4)")).to_be_visible()
        expect(page.get_by_role("switch", name=SWITCH)).to_have_count(0)
        assert_accessible(page, "push-iphone")
        _section_screenshot(page, "push-iphone")
    finally:
        iphone.close()


def _registration_id(cdp, page, scope: str) -> str:
    found: dict[str, str] = {}

    def on_registrations(event):
        for registration in event["registrations"]:
            if registration["scopeURL"] == scope and not registration["isDeleted"]:
                found["id"] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", on_registrations)
    cdp.send("ServiceWorker.enable")
    wait_until(page, lambda: "id" in found, message="the service worker registration")
    return found["id"]


_NOTIFICATIONS = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
        title: n.title, body: n.body, tag: n.tag, lang: n.lang, icon: n.icon,
        badge: n.badge, data: n.data,
    }));
}"""


def test_pushed_message_is_shown_and_tapping_it_opens_the_application(phone, portal):
    sign_in(phone, "push.worker@example.org", given_names="Erika", family_name="Musterfrau")
    application = submit_dog_deregistration(phone)
    phone.grant_permissions(["notifications"])
    page = phone.new_page()
    _open_account(page)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    cdp = phone.new_cdp_session(page)
    registration = _registration_id(cdp, page, f"{portal.base}/")

    def push(payload: dict | str) -> None:
        data = payload if isinstance(payload, str) else json.dumps(payload)
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": portal.base, "registrationId": registration, "data": data},
        )

    reference = application["reference_display"]
    target = f"/antraege/{application['id']}"
    tag = f"application-{application['id']}"
    push(
        {
            "kind": "status",
            "title": f"Ihr Antrag {reference}",
            "body": "Neuer Status: In Bearbeitung",
            "url": target,
            "tag": tag,
            "lang": "de",
        }
    )
    wait_until(page, lambda: page.evaluate(_NOTIFICATIONS) != [], message="the notification")
    [shown] = page.evaluate(_NOTIFICATIONS)
    assert shown == {
        "title": f"Ihr Antrag {reference}",
        "body": "Neuer Status: In Bearbeitung",
        "tag": tag,
        "lang": "de",
        "icon": f"{portal.base}/icons/icon-192.png",
        "badge": f"{portal.base}/icons/badge-72.png",
        "data": {"url": f"{portal.base}{target}", "kind": "status"},
    }
    for icon in ("/icons/icon-192.png", "/icons/badge-72.png"):
        assert phone.request.get(icon).headers["content-type"] == "image/png"

    # A newer status of the same application replaces the notification (same tag); the
    # text is in the device's language as the payload says.
    push(
        {
            "kind": "status",
            "title": f"Your application {reference}",
            "body": "New status: Approved",
            "url": target,
            "tag": tag,
            "lang": "en",
        }
    )
    wait_until(
        page,
        lambda: [n["body"] for n in page.evaluate(_NOTIFICATIONS)] == ["New status: Approved"],
        message="the replaced notification",
    )
    [shown] = page.evaluate(_NOTIFICATIONS)
    assert (shown["title"], shown["lang"]) == (f"Your application {reference}", "en")

    # An address outside the portal is never opened: the inbox instead.
    push(
        {
            "kind": "broadcast",
            "title": "Test",
            "body": "x",
            "url": "https://example.com/",
            "tag": "t",
        }
    )
    wait_until(page, lambda: len(page.evaluate(_NOTIFICATIONS)) == 2, message="a second one")
    urls = {n["tag"]: n["data"]["url"] for n in page.evaluate(_NOTIFICATIONS)}
    assert urls["t"] == f"{portal.base}/postfach"
    # A message the worker cannot read still shows something (the browser requires it).
    push("not json")
    wait_until(page, lambda: len(page.evaluate(_NOTIFICATIONS)) == 3, message="a third one")
    unreadable = [n for n in page.evaluate(_NOTIFICATIONS) if n["tag"] == ""]
    assert [(n["title"], n["data"]["url"]) for n in unreadable] == [
        ("Bürgerportal Düren", f"{portal.base}/postfach")
    ]

    # Tapping the application's notification takes the open window to the application.
    [worker] = phone.service_workers or [phone.wait_for_event("serviceworker")]
    worker.evaluate(
        """async (tag) => {
            const [notification] = await self.registration.getNotifications({tag});
            try {
                self.dispatchEvent(new NotificationEvent('notificationclick', {notification}));
            } catch (error) {
                // waitUntil() is refused for an event the browser did not send.
            }
        }""",
        tag,
    )
    expect(page).to_have_url(f"{portal.base}{target}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Hund von der Hundesteuer abmelden"
    )
    # The tapped notification is closed; the other one stays.
    wait_until(
        page,
        lambda: sorted(n["tag"] for n in page.evaluate(_NOTIFICATIONS)) == ["", "t"],
        message="the tapped notification closed",
    )
    screenshot(page, "push-opened-application")


# In the worker: its browser subscription replaced by a stand-in (as in the page), then
# the event the browser sends when it renews a subscription by itself.
_RENEW_IN_WORKER = """async () => {
    const base64url = (bytes) => btoa(String.fromCharCode(...bytes))
        .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    const made = {};
    PushManager.prototype.subscribe = async function (options) {
        const pair = await crypto.subtle.generateKey(
            {name: 'ECDH', namedCurve: 'P-256'}, true, ['deriveBits']);
        const keys = {
            p256dh: base64url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))),
            auth: base64url(crypto.getRandomValues(new Uint8Array(16))),
        };
        Object.assign(made, {
            endpoint: 'https://fcm.googleapis.com/fcm/send/e2e-renewed', keys,
            serverKey: Array.from(new Uint8Array(options.applicationServerKey)),
        });
        return {endpoint: made.endpoint, toJSON: () => ({endpoint: made.endpoint, keys})};
    };
    const event = new ExtendableEvent('pushsubscriptionchange');
    Object.defineProperties(event, {
        oldSubscription: {value: null}, newSubscription: {value: null}});
    self.dispatchEvent(event);
    for (let i = 0; i < 50 && !made.endpoint; i += 1) await new Promise((r) => setTimeout(r, 100));
    return made;
}"""

_STORED_DEVICE = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('buergerportal');
    open.onerror = reject;
    open.onsuccess = () => {
        const query = open.result.transaction('meta').objectStore('meta').get('push-device');
        query.onsuccess = () => resolve(query.result);
    };
})"""


def test_worker_subscribes_again_when_the_browser_renews_the_subscription(phone, portal):
    user_id = sign_in(phone, "push.renew@example.org")
    phone.grant_permissions(["notifications"])
    phone.add_init_script(STUB)
    page = phone.new_page()
    _open_account(page)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    page.get_by_role("switch", name=SWITCH).click()
    expect(page.get_by_text("Benachrichtigungen sind eingeschaltet.")).to_be_visible()
    page.get_by_role("checkbox", name="Änderungen bei der Müllabfuhr").check()
    expect(page.get_by_text("Ihre Auswahl ist gespeichert.")).to_be_visible()
    [before] = _stored_devices(user_id)

    [worker] = phone.service_workers
    made = worker.evaluate(_RENEW_IN_WORKER)
    # Subscribed again with the portal's key, and the portal told with the old endpoint:
    # the same device (name, topics) at the new address with the new keys.
    public_key = phone.request.get("/api/push/public-key").json()["public_key"]
    assert bytes(made["serverKey"]) == _base64url_decode(public_key)
    wait_until(
        page,
        lambda: _stored_devices(user_id)[0].endpoint == made["endpoint"],
        message="the renewed subscription at the portal",
    )
    [after] = _stored_devices(user_id)
    assert after.id == before.id
    assert (after.p256dh, after.auth) == (made["keys"]["p256dh"], made["keys"]["auth"])
    assert (after.label, after.topics) == (before.label, ["waste_collection"])
    stored = page.evaluate(_STORED_DEVICE)
    assert stored == {"id": before.id, "userId": user_id, "endpoint": made["endpoint"]}
