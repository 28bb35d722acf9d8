// Drafts on this device: started, saved on every change, synced, queued for sending.
// What the citizen typed is written to IndexedDB before anything else happens.
import { api, apiGet, session } from "./api.js";
import { currentCampaign } from "./campaign.js";
import { loadDefinition } from "./catalogue.js";
import { online, reportNetwork } from "./connectivity.js";
import { allDrafts, deleteDraft as deleteStored, getDraft, putDraft, setMeta, updateDraft } from "./db.js";
import { clearBackup } from "./draft-backup.js";
import { newId } from "./http.js";
import { locale } from "./i18n.js";
import { signal } from "./signal.js";
import { requestBackgroundSync } from "./sw-register.js";
import { CHANNEL, SYNC_TAG, isDirty, syncDraft, syncEverything } from "./sync.js";

/** Bumped whenever any draft changes (here, in another tab or in the service worker). */
export const draftsChanged = signal(0);
const bump = () => draftsChanged.set(draftsChanged.get() + 1);

if (typeof BroadcastChannel !== "undefined") new BroadcastChannel(CHANNEL).onmessage = bump;

export function syncContext() {
  const current = session.get();
  if (!current.authenticated || !current.user) return null;
  return { userId: current.user.id, csrf: current.csrf_token, locale: locale.get() };
}

export { getDraft, isDirty };

async function deleteDraft(localId) {
  clearBackup(localId);
  await deleteStored(localId);
}

export async function myDrafts() {
  const ctx = syncContext();
  const userId = ctx?.userId ?? null;
  return (await allDrafts())
    .filter((draft) => draft.userId === userId || draft.userId === null)
    .sort((a, b) => (b.updatedAt || "").localeCompare(a.updatedAt || ""));
}

const addressOf = (data) =>
  data?.street ? { street: data.street, house_number: data.house_number, postal_code: data.postal_code, city: data.city } : null;

function profileAnswers(definition, profile, email, card) {
  const address = addressOf(profile);
  const sources = {
    "profile.given_names": profile?.given_names,
    "profile.family_name": profile?.family_name,
    "profile.birth_date": profile?.date_of_birth,
    "profile.email": email,
    "profile.phone": profile?.phone,
    "profile.address": address,
    // What the ID card says, for services that state the card's data.
    "eid.given_names": card?.given_names,
    "eid.family_name": card?.family_name,
    "eid.birth_date": card?.date_of_birth,
    "eid.address": addressOf(card),
  };
  const answers = {};
  for (const step of definition.steps) {
    for (const field of step.fields) if (field.prefill && sources[field.prefill]) answers[field.id] = sources[field.prefill];
  }
  return answers;
}

/** Start a draft from a definition, prefilled from the profile (a cached copy offline). */
export async function startDraft(definition) {
  const ctx = syncContext();
  let answers = {};
  if (ctx) {
    const profile = await apiGet("/api/account/profile").then((r) => r.data, () => null);
    const wantsCard = definition.steps.some((step) => step.fields.some((field) => field.prefill?.startsWith("eid.")));
    const review = wantsCard ? await apiGet("/api/account/eid-data").then((r) => r.data, () => null) : null;
    const card = review?.fields ? Object.fromEntries(review.fields.map((field) => [field.name, field.card])) : null;
    answers = profileAnswers(definition, profile, session.get().user.email, card);
  }
  const now = new Date().toISOString();
  const draft = {
    localId: newId(),
    userId: ctx?.userId ?? null,
    serviceId: definition.id,
    serviceVersion: definition.version,
    title: definition.title,
    definition,
    answers,
    localRev: 0,
    syncedRev: 0,
    serverId: null,
    serverRevision: null,
    draftKey: newId(),
    state: "draft",
    submitKey: null,
    conflict: null,
    submitErrors: [],
    serverIssues: [],
    createdAt: now,
    updatedAt: now,
    // The flyer's campaign tag of this visit: its step views carry it (lib/campaign.js).
    campaign: currentCampaign(),
  };
  await putDraft(draft);
  bump();
  scheduleSync(draft.localId, 0);
  return draft;
}

/** Continue on this device an application drafted on another one. */
export async function adoptServerDraft(application, definition) {
  const existing = (await allDrafts()).find((d) => d.serverId === application.id);
  if (existing) return existing;
  const ctx = syncContext();
  const now = new Date().toISOString();
  const draft = {
    localId: newId(),
    userId: ctx?.userId ?? null,
    serviceId: application.service_id,
    serviceVersion: application.service_version,
    title: application.title,
    definition,
    answers: application.answers || {},
    localRev: 0,
    syncedRev: 0,
    serverId: application.id,
    serverRevision: application.revision,
    draftKey: newId(),
    state: "draft",
    submitKey: null,
    conflict: null,
    submitErrors: [],
    serverIssues: [],
    createdAt: application.created_at || now,
    updatedAt: now,
    lastSyncedAt: now,
  };
  await putDraft(draft);
  bump();
  return draft;
}

/**
 * The server started the draft on another version of the service than the copy this
 * device had (a definition changed meanwhile): render the version the draft belongs to.
 */
export async function matchDefinitionVersion(draft) {
  if (!draft.serviceVersion || draft.definition.version === draft.serviceVersion) return draft;
  const definition = await loadDefinition(draft.serviceId, draft.serviceVersion).catch(() => null);
  if (!definition) return draft;
  const updated = await updateDraft(draft.localId, (d) => {
    d.definition = definition;
  });
  bump();
  return updated;
}

/** Save answers at once (every keystroke), then sync a moment later. */
export async function saveAnswers(localId, answers, extra = {}) {
  const draft = await updateDraft(localId, (d) => {
    d.answers = answers;
    d.localRev += 1;
    d.updatedAt = new Date().toISOString();
    Object.assign(d, extra);
  });
  bump();
  scheduleSync(localId);
  return draft;
}

export async function rememberPage(localId, pageKey) {
  await updateDraft(localId, (d) => {
    d.lastPage = pageKey;
  });
}

const timers = new Map();

export function scheduleSync(localId, delay = 800) {
  clearTimeout(timers.get(localId));
  timers.set(
    localId,
    setTimeout(async () => {
      timers.delete(localId);
      const ctx = syncContext();
      if (!ctx || !online.get()) return;
      const outcome = await syncDraft(localId, ctx).catch(() => null);
      if (outcome?.result) reportNetwork(outcome.result.status !== 0);
      bump();
    }, delay),
  );
}

export async function syncNow(localId) {
  const ctx = syncContext();
  if (!ctx) return getDraft(localId);
  const { draft, result } = await syncDraft(localId, ctx);
  if (result) reportNetwork(result.status !== 0);
  bump();
  return draft;
}

/** Send: queue with a fresh idempotency key, then try at once (and again when online). */
export async function submitDraft(localId) {
  await updateDraft(localId, (d) => {
    d.state = "queued";
    d.submitKey ||= newId();
    d.submitErrors = [];
    d.queuedAt = new Date().toISOString();
  });
  bump();
  requestBackgroundSync(SYNC_TAG);
  await syncAll();
  return getDraft(localId);
}

/** Put a queued draft back to editing (the citizen wants to change something first). */
export async function unqueue(localId) {
  await updateDraft(localId, (d) => {
    if (d.state === "queued") d.state = "draft";
  });
  bump();
}

let running = null;

/** Sync every draft and send the queue; safe to call often (one run at a time). */
export function syncAll() {
  const ctx = syncContext();
  if (!ctx) return Promise.resolve();
  running ||= syncEverything(ctx)
    .catch(() => {})
    .finally(() => {
      running = null;
      bump();
    });
  return running;
}

/** Drafts typed before signing in now belong to the person who signed in. */
export async function claimAnonymousDrafts() {
  const ctx = syncContext();
  if (!ctx) return;
  for (const draft of await allDrafts()) {
    if (draft.userId === null) await updateDraft(draft.localId, (d) => (d.userId = ctx.userId));
  }
  await setMeta("locale", locale.get());
  bump();
}

export async function removeDraft(localId) {
  const draft = await getDraft(localId);
  if (draft?.serverId && draft.state === "draft" && syncContext()) {
    await api("DELETE", `/api/applications/${draft.serverId}`).catch(() => {});
  }
  await deleteDraft(localId);
  bump();
}

/** After signing out: forget drafts the server has; keep what only this device has. */
export async function forgetSyncedDrafts(userId) {
  for (const draft of await allDrafts()) {
    if (draft.userId === userId && (draft.state === "submitted" || (!isDirty(draft) && draft.state === "draft"))) {
      await deleteDraft(draft.localId);
    }
  }
  bump();
}

export async function forgetAllDrafts() {
  for (const draft of await allDrafts()) await deleteDraft(draft.localId);
  bump();
}

// Conflict choices: the citizen decides which version continues; nothing is dropped
// without that decision.
export async function keepMine(localId) {
  await updateDraft(localId, (d) => {
    d.serverRevision = d.conflict.server.revision;
    d.conflict = null;
    d.localRev += 1;
  });
  return syncNow(localId);
}

export async function takeServer(localId) {
  await updateDraft(localId, (d) => {
    d.answers = d.conflict.server.answers;
    d.serverRevision = d.conflict.server.revision;
    d.localRev += 1;
    d.syncedRev = d.localRev;
    d.conflict = null;
  });
  bump();
  return getDraft(localId);
}

export async function keepBoth(localId) {
  const draft = await getDraft(localId);
  const copy = {
    ...draft,
    localId: newId(),
    serverId: null,
    serverRevision: null,
    draftKey: newId(),
    conflict: null,
    state: "draft",
    localRev: draft.localRev + 1,
    syncedRev: 0,
    updatedAt: new Date().toISOString(),
  };
  await putDraft(copy);
  await takeServer(localId);
  scheduleSync(copy.localId, 0);
  return copy;
}

/** The server copy was sent from another device: continue these answers as a new one. */
export async function continueAsNew(localId) {
  const draft = await getDraft(localId);
  const copy = { ...draft, localId: newId(), serverId: null, serverRevision: null, draftKey: newId(), conflict: null, state: "draft", submitKey: null, syncedRev: 0 };
  await putDraft(copy);
  await deleteDraft(localId);
  bump();
  scheduleSync(copy.localId, 0);
  return copy;
}
