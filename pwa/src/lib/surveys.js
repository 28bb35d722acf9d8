// City surveys and the satisfaction question on the device: the device token that
// limits a survey to one answer per device (random, kept in localStorage, sent with an
// answer and stored hashed by the server), the banners the citizen dismissed, and the
// satisfaction answers waiting for the network (kept with the submitted draft in
// IndexedDB, sent once with an idempotency key).
import { api, ApiError } from "./api.js";
import { allDrafts, getDraft, updateDraft } from "./db.js";
import { newId } from "./http.js";
import { isFinal } from "./survey-outcome.js";

const DEVICE_KEY = "buergerportal.device-token";
const DISMISSED_KEY = "buergerportal.dismissed-surveys";
const ANSWERED_KEY = "buergerportal.answered-surveys";

function readList(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function addToList(key, item) {
  const list = readList(key);
  if (!list.includes(item)) list.push(item);
  try {
    localStorage.setItem(key, JSON.stringify(list));
  } catch {
    // Storage full or blocked: the banner just comes back next time.
  }
}

/** This device's random token (made once; 32 hex characters or a UUID). */
export function deviceToken() {
  let token = null;
  try {
    token = localStorage.getItem(DEVICE_KEY);
  } catch {
    token = null;
  }
  if (!token || token.length < 22) {
    token = newId();
    try {
      localStorage.setItem(DEVICE_KEY, token);
    } catch {
      // Without storage every answer is a new device; the server still validates it.
    }
  }
  return token;
}

export const isDismissed = (surveyId) => readList(DISMISSED_KEY).includes(surveyId);
export const dismiss = (surveyId) => addToList(DISMISSED_KEY, surveyId);
export const isAnsweredHere = (surveyId) => readList(ANSWERED_KEY).includes(surveyId);
export const markAnswered = (surveyId) => addToList(ANSWERED_KEY, surveyId);

/**
 * Send a survey's answers; a repeat from this device or account is "answered" too.
 * ``key`` (kept by the page for its retries) makes a retried send find the first answer.
 */
export async function answerSurvey(surveyId, answers, key) {
  try {
    await api("POST", `/api/surveys/${surveyId}/responses`, { answers, device: deviceToken() }, { "Idempotency-Key": key });
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "survey_answered") throw error;
    markAnswered(surveyId);
    throw error;
  }
  markAnswered(surveyId);
}

/**
 * Keep the citizen's satisfaction answer with the submitted draft and send it. Offline
 * it waits there; `sendPendingSatisfaction` sends it when the portal answers again.
 * Resolves with the draft's satisfaction state ({rating, comment, key, sent}).
 */
export async function giveSatisfaction(localId, rating, comment) {
  await updateDraft(localId, (draft) => {
    if (!draft.satisfaction) draft.satisfaction = { rating, comment, key: newId(), sent: false };
  });
  return sendSatisfaction(localId);
}

async function sendSatisfaction(localId) {
  const draft = await getDraft(localId);
  const pending = draft?.satisfaction;
  if (!pending || pending.sent || pending.dropped || !draft.serverId) return pending;
  try {
    await api(
      "POST",
      `/api/applications/${draft.serverId}/satisfaction`,
      { rating: pending.rating, comment: pending.comment || null },
      { "Idempotency-Key": pending.key },
    );
  } catch (error) {
    // Offline, the server busy, signed out (401) or not yet submitted (409): it stays
    // queued. Answered before (another device): nothing left to send. Any other
    // refusal (404, 422, 403 …) would come again on every retry: it leaves the queue.
    if (!(error instanceof ApiError)) return pending;
    if (error.code !== "satisfaction_given") {
      if (!isFinal(error.status)) return pending;
      const dropped = await updateDraft(localId, (stored) => {
        if (stored.satisfaction) stored.satisfaction.dropped = true;
      });
      return dropped?.satisfaction;
    }
  }
  const updated = await updateDraft(localId, (stored) => {
    if (stored.satisfaction) stored.satisfaction.sent = true;
  });
  return updated?.satisfaction;
}

/** Send every satisfaction answer still waiting (called when the network returns). */
export async function sendPendingSatisfaction() {
  const drafts = await allDrafts();
  for (const draft of drafts) {
    if (draft.satisfaction && !draft.satisfaction.sent && !draft.satisfaction.dropped) await sendSatisfaction(draft.localId);
  }
}
