// The step-view outbox (pwa/src/lib/step-views.js): what is kept, what is sent in which
// batches, and what survives a failed send. Run with `npm test` (node's test runner).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  BATCH_SIZE,
  MAX_AGE_MS,
  MAX_KEPT,
  addView,
  createOutbox,
  newJourney,
  outcome,
  prune,
  removeBatch,
} from "../src/lib/step-views.js";

const NOW = Date.parse("2026-12-05T12:00:00Z");
const at = (msAgo = 0) => new Date(NOW - msAgo).toISOString();
const view = (journey, step, msAgo = 0) => ({ journey, service_id: "dog_tax", version: 3, step, at: at(msAgo) });

/** A storage in memory, with the same read/update contract as the IndexedDB one. */
function memory(initial = []) {
  let views = initial;
  return {
    read: async () => views,
    update: async (change) => {
      views = change(views);
      return views;
    },
    get views() {
      return views;
    },
  };
}

/** A fake server answering each POST with the next status of ``statuses``. */
function server(statuses) {
  const batches = [];
  return {
    batches,
    send: async (batch, options) => {
      batches.push({ batch, options });
      const status = statuses.shift();
      if (status === "throw") throw new TypeError("Failed to fetch");
      return status;
    },
  };
}

describe("journey tokens", () => {
  test("are 32 URL-safe characters and differ each time", () => {
    const tokens = new Set(Array.from({ length: 50 }, newJourney));
    assert.equal(tokens.size, 50);
    for (const token of tokens) assert.match(token, /^[A-Za-z0-9_-]{32}$/);
  });
});

describe("the outbox list", () => {
  test("keeps the same step of the same journey once", () => {
    let list = addView([], view("a", "owner"), NOW);
    list = addView(list, view("a", "owner", -1000), NOW);
    list = addView(list, view("a", "dog"), NOW);
    list = addView(list, view("b", "owner"), NOW);
    assert.deepEqual(
      list.map((item) => `${item.journey}/${item.step}`),
      ["a/owner", "a/dog", "b/owner"],
    );
  });

  test("drops views older than the server takes", () => {
    const list = prune([view("a", "old", MAX_AGE_MS + 1), view("a", "new", 1000)], NOW);
    assert.deepEqual(list.map((item) => item.step), ["new"]);
  });

  test("keeps the newest views when a device stays offline for long", () => {
    let list = [];
    for (let i = 0; i < MAX_KEPT + 10; i += 1) list = addView(list, view(`j${i}`, "owner"), NOW);
    assert.equal(list.length, MAX_KEPT);
    assert.equal(list[0].journey, "j10");
    assert.equal(list.at(-1).journey, `j${MAX_KEPT + 9}`);
  });

  test("removing a batch leaves views added meanwhile", () => {
    const batch = [view("a", "owner"), view("a", "dog")];
    const later = view("b", "owner");
    assert.deepEqual(removeBatch([...batch, later], batch), [later]);
  });

  test("answers decide between sent, drop and keep", () => {
    assert.equal(outcome(202), "sent");
    assert.equal(outcome(422), "drop");
    assert.equal(outcome(400), "drop");
    for (const status of [0, 401, 403, 429, 500, 503]) assert.equal(outcome(status), "keep", String(status));
  });
});

describe("flushing", () => {
  test("sends in batches of at most 100 until the outbox is empty", async () => {
    const storage = memory();
    const fake = server([202, 202, 202]);
    const outbox = createOutbox({ storage, send: fake.send, now: () => NOW });
    for (let i = 0; i < 250; i += 1) await outbox.record(view(`j${i}`, "owner"));
    const result = await outbox.flush();
    assert.deepEqual(fake.batches.map(({ batch }) => batch.length), [BATCH_SIZE, BATCH_SIZE, 50]);
    assert.deepEqual(result, { sent: 250, left: 0 });
    assert.deepEqual(storage.views, []);
    // Every view went out exactly once, in the order recorded.
    const sent = fake.batches.flatMap(({ batch }) => batch.map((item) => item.journey));
    assert.deepEqual(sent, Array.from({ length: 250 }, (_, i) => `j${i}`));
  });

  test("a failed send keeps the batch and stops until the next try", async () => {
    const storage = memory();
    const fake = server([202, 0, 202, 202]);
    const outbox = createOutbox({ storage, send: fake.send, now: () => NOW });
    for (let i = 0; i < 150; i += 1) await outbox.record(view(`j${i}`, "owner"));
    const first = await outbox.flush();
    assert.deepEqual(first, { sent: 100, left: 50 });
    assert.equal(storage.views.length, 50);
    assert.equal(storage.views[0].journey, "j100");
    const second = await outbox.flush();
    assert.deepEqual(second, { sent: 50, left: 0 });
    // The kept batch was sent again as it was.
    assert.deepEqual(fake.batches[1].batch, fake.batches[2].batch);
  });

  test("a network error (fetch throws) counts as no network", async () => {
    const storage = memory();
    const outbox = createOutbox({ storage, send: server(["throw"]).send, now: () => NOW });
    await outbox.record(view("a", "owner"));
    assert.deepEqual(await outbox.flush(), { sent: 0, left: 1 });
    assert.equal(storage.views.length, 1);
  });

  test("server trouble and rate limits keep the batch", async () => {
    for (const status of [500, 503, 429, 403]) {
      const storage = memory();
      const outbox = createOutbox({ storage, send: server([status]).send, now: () => NOW });
      await outbox.record(view("a", "owner"));
      await outbox.flush();
      assert.equal(storage.views.length, 1, String(status));
    }
  });

  test("a batch refused as invalid is dropped, the next one still goes", async () => {
    const storage = memory();
    const fake = server([422, 202]);
    const outbox = createOutbox({ storage, send: fake.send, now: () => NOW });
    for (let i = 0; i < 120; i += 1) await outbox.record(view(`j${i}`, "owner"));
    assert.deepEqual(await outbox.flush(), { sent: 20, left: 0 });
    assert.deepEqual(storage.views, []);
  });

  test("views recorded while a batch is on its way stay for the next batch", async () => {
    const storage = memory();
    let outbox;
    const send = async (batch) => {
      // A step shown while the request is in flight.
      if (batch[0].journey === "a") await outbox.record(view("b", "owner"));
      return 202;
    };
    outbox = createOutbox({ storage, send, now: () => NOW });
    await outbox.record(view("a", "owner"));
    assert.deepEqual(await outbox.flush(), { sent: 2, left: 0 });
  });

  test("two flushes at once send each view once", async () => {
    const storage = memory();
    const fake = server([202]);
    const outbox = createOutbox({ storage, send: fake.send, now: () => NOW });
    await outbox.record(view("a", "owner"));
    const [one, two] = await Promise.all([outbox.flush(), outbox.flush()]);
    assert.equal(fake.batches.length, 1);
    assert.deepEqual(one, two);
  });

  test("keepalive is passed to the sender when the page is hidden", async () => {
    const storage = memory();
    const fake = server([202]);
    const outbox = createOutbox({ storage, send: fake.send, now: () => NOW });
    await outbox.record(view("a", "owner"));
    await outbox.flush({ keepalive: true });
    assert.deepEqual(fake.batches[0].options, { keepalive: true });
  });

  test("views too old to send are not sent", async () => {
    const storage = memory([view("a", "owner", MAX_AGE_MS + 60_000)]);
    const fake = server([]);
    const outbox = createOutbox({ storage, send: fake.send, now: () => NOW });
    assert.deepEqual(await outbox.flush(), { sent: 0, left: 0 });
    assert.equal(fake.batches.length, 0);
  });
});
