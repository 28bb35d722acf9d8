// Bringing device drafts to the server and sending queued submissions. Runs in the page
// and in the service worker (Background Sync), so it only uses fetch, IndexedDB,
// Web Locks and BroadcastChannel.
//
// A draft counts its local changes (localRev) and remembers which of them the server
// has (syncedRev). Updates carry If-Match with the server revision the device last
// saw; a 412 means another device changed the draft, and both versions are kept for
// the citizen to choose from. Submissions carry an idempotency key chosen when the
// citizen pressed "send", so a replay never creates a second application.
import { allDrafts, getDraft, updateDraft } from "./db.js";
import { newId, request } from "./http.js";
import { SUBMITTED, recordStepView } from "./step-views.js";

export const CHANNEL = "buergerportal-drafts";
export const SYNC_TAG = "submit-queue";

export function announce(localId, kind) {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ localId, kind });
  channel.close();
}

function withLock(task) {
  // One sync at a time per origin: two tabs or a tab and the worker sending the same
  // If-Match would make the second one look like a conflict.
  if (globalThis.navigator?.locks?.request) return navigator.locks.request("buergerportal-sync", task);
  return task();
}

/** Compare answers the way the server normalises them (numbers as text, spaces). */
export function sameAnswers(a, b) {
  const norm = (value) => {
    if (value === null || value === undefined || value === "") return "";
    if (Array.isArray(value)) return value.map(norm);
    if (typeof value === "object") {
      const out = {};
      for (const key of Object.keys(value).sort()) {
        const v = norm(value[key]);
        if (v !== "" && !(Array.isArray(v) && v.length === 0)) out[key] = v;
      }
      return out;
    }
    return String(value).trim().replace(/\s+/g, " ").replace(",", ".");
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

export function isDirty(draft) {
  return !draft.serverId || draft.localRev !== draft.syncedRev;
}

function serverCopy(data) {
  return {
    answers: data.answers,
    revision: data.revision,
    updatedAt: data.updated_at,
    status: data.status,
    reference: data.reference_display || data.reference,
  };
}

async function markConflict(localId, kind, ctx, serverId) {
  const fresh = await request("GET", `/api/applications/${serverId}`, { locale: ctx.locale });
  if (!fresh.ok) return getDraft(localId);
  const draft = await updateDraft(localId, (d) => {
    d.conflict = { kind, server: serverCopy(fresh.data), detectedAt: new Date().toISOString() };
  });
  announce(localId, "conflict");
  return draft;
}

// A refusal the server will give again for the same answers (too many open drafts, an
// answer it cannot keep) is kept on the draft, so the form says why the answers are not
// backed up instead of "backing up …" for ever. Offline, signed out or a server fault
// is not a refusal: those are retried.
function isRefusal(result) {
  return result.status >= 400 && result.status < 500 && result.status !== 401;
}

async function noteRefusal(localId, result) {
  const updated = await updateDraft(localId, (d) => {
    d.syncRefusal = { status: result.status, message: result.data?.message || "" };
  });
  announce(localId, "refused");
  return updated;
}

async function createOnServer(draft, ctx) {
  const result = await request("POST", "/api/applications", {
    body: { service_id: draft.serviceId, answers: draft.answers },
    headers: { "Idempotency-Key": draft.draftKey },
    csrf: ctx.csrf,
    locale: ctx.locale,
  });
  if (!result.ok) {
    if (isRefusal(result)) await noteRefusal(draft.localId, result);
    return { result };
  }
  const sentRev = draft.localRev;
  const sent = draft.answers;
  const updated = await updateDraft(draft.localId, (d) => {
    d.syncRefusal = null;
    d.serverId = result.data.id;
    d.serverRevision = result.data.revision;
    d.serviceVersion = result.data.service_version;
    d.serverIssues = result.data.issues || [];
    // Fields the server filled from the profile and the device did not have yet.
    for (const [key, value] of Object.entries(result.data.answers || {})) {
      if (!(key in d.answers)) d.answers[key] = value;
    }
    if (sameAnswers(result.data.answers, sent) && d.localRev === sentRev) {
      d.syncedRev = d.localRev;
      d.lastSyncedAt = new Date().toISOString();
    }
  });
  return { draft: updated, result };
}

async function syncUnlocked(localId, ctx, attempt = 0) {
  let draft = await getDraft(localId);
  if (!draft || !ctx?.userId || draft.userId !== ctx.userId) return { draft };
  if (draft.state === "submitted" || draft.conflict) return { draft };
  if (!isDirty(draft)) return { draft };
  if (!draft.serverId) {
    const created = await createOnServer(draft, ctx);
    if (!created.draft) return { draft, result: created.result };
    draft = created.draft;
    announce(localId, "synced");
    if (!isDirty(draft)) return { draft, result: created.result };
  }
  const sentRev = draft.localRev;
  const result = await request("PUT", `/api/applications/${draft.serverId}`, {
    body: { answers: draft.answers },
    headers: { "If-Match": `"${draft.serverRevision}"` },
    csrf: ctx.csrf,
    locale: ctx.locale,
  });
  if (result.ok) {
    draft = await updateDraft(localId, (d) => {
      d.syncRefusal = null;
      d.serverRevision = result.data.revision;
      d.syncedRev = sentRev;
      d.serverIssues = result.data.issues || [];
      d.lastSyncedAt = new Date().toISOString();
    });
    announce(localId, "synced");
    return { draft, result };
  }
  if (result.status === 412) return { draft: await markConflict(localId, "changed", ctx, draft.serverId), result };
  if (result.status === 409) return { draft: await markConflict(localId, "submitted", ctx, draft.serverId), result };
  if (result.status === 404 && attempt === 0) {
    // The server copy was deleted on another device: what is typed here starts a new one.
    await updateDraft(localId, (d) => {
      d.serverId = null;
      d.serverRevision = null;
      d.draftKey = newId();
    });
    return syncUnlocked(localId, ctx, 1);
  }
  if (isRefusal(result)) return { draft: await noteRefusal(localId, result), result };
  return { draft, result };
}

/** Bring one draft to the server. Returns {draft, result} (result absent if nothing to do). */
export function syncDraft(localId, ctx) {
  return withLock(() => syncUnlocked(localId, ctx));
}

/** Every unsynced draft of the signed-in citizen, then every queued submission. */
export function syncEverything(ctx) {
  return withLock(async () => {
    let offline = false;
    for (const draft of await allDrafts()) {
      if (draft.userId !== ctx.userId || draft.state === "queued" || !isDirty(draft)) continue;
      const { result } = await syncUnlocked(draft.localId, ctx);
      if (result?.status === 0) offline = true;
    }
    const queue = await processQueueUnlocked(ctx);
    return { pending: offline || queue.pending };
  });
}

async function processQueueUnlocked(ctx) {
  let pending = false;
  const queued = (await allDrafts()).filter((d) => d.state === "queued" && d.userId === ctx.userId);
  for (const item of queued) {
    const { draft, result } = await syncUnlocked(item.localId, ctx);
    if (!draft || draft.conflict) continue;
    if (isDirty(draft)) {
      if (!result || result.status === 0 || result.status === 401 || result.status >= 500) pending = true;
      else await rejectSubmission(item.localId, result);
      continue;
    }
    const sent = await request("POST", `/api/applications/${draft.serverId}/submit`, {
      headers: { "Idempotency-Key": draft.submitKey },
      csrf: ctx.csrf,
      locale: ctx.locale,
    });
    if (sent.ok) {
      await updateDraft(item.localId, (d) => {
        d.state = "submitted";
        d.reference = sent.data.reference;
        d.referenceDisplay = sent.data.reference_display;
        d.status = sent.data.status;
        d.statusLabel = sent.data.status_label;
        d.submittedAt = sent.data.submitted_at;
        d.serverRevision = sent.data.revision;
        d.submitErrors = [];
      });
      announce(item.localId, "submitted");
      // The funnel's last step; a failure to note it must not fail the submission.
      await recordStepView(draft, SUBMITTED).catch(() => {});
    } else if (sent.status === 0 || sent.status === 401 || sent.status >= 500) {
      pending = true;
    } else {
      await rejectSubmission(item.localId, sent);
    }
  }
  return { pending };
}

async function rejectSubmission(localId, result) {
  // The application stays a draft on the device with the server's reasons to show.
  const errors = result.data?.errors?.length
    ? result.data.errors
    : [{ field: "", code: result.data?.code || "error", message: result.data?.message || "" }];
  await updateDraft(localId, (d) => {
    d.state = "draft";
    d.submitErrors = errors;
  });
  announce(localId, "rejected");
}

/** Send queued submissions (the service worker's Background Sync calls this). */
export function processQueue(ctx) {
  return withLock(() => processQueueUnlocked(ctx));
}
