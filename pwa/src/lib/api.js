// The API client for pages: same-origin JSON, CSRF token on writes, errors with field
// messages, and the time a copy was cached when the service worker answered offline.
import { PERSONAL_CACHE } from "./cache-names.js";
import { reportNetwork } from "./connectivity.js";
import { request as send } from "./http.js";
import { locale } from "./i18n.js";
import { signal } from "./signal.js";

export const session = signal({ loaded: false, authenticated: false, user: null, csrf_token: null });

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = status === 0 ? "network" : body?.code || "error";
    this.fieldErrors = body?.errors || [];
    // What else the server said (a 412's current version, for example).
    this.body = body;
  }
}

/** Every API call tells the connectivity signal whether the portal answered. */
async function request(method, path, opts) {
  const result = await send(method, path, opts);
  reportNetwork(result.status !== 0 && !result.headers.get("X-Cached-At"));
  return result;
}

/**
 * "standalone" when the portal runs as the installed app (home screen), else "browser".
 * Sent as Portal-Display-Mode with every API request, so the session started at sign-in
 * can be counted for the statistics' share of the installed app.
 */
export function displayMode() {
  const standalone =
    (typeof matchMedia === "function" && matchMedia("(display-mode: standalone)").matches) ||
    (typeof navigator !== "undefined" && navigator.standalone === true);
  return standalone ? "standalone" : "browser";
}

function options(method, extra = {}) {
  const current = session.get();
  const headers = { "Portal-Display-Mode": displayMode(), ...extra.headers };
  return { ...extra, headers, locale: locale.get(), csrf: method === "GET" ? undefined : current.csrf_token };
}

/** Call the API; resolves with the body, rejects with an ApiError. */
export async function api(method, path, body, headers) {
  const result = await request(method, path, options(method, { body, headers }));
  if (!result.ok) throw new ApiError(result.status, result.data);
  return result.data;
}

/** GET with meta data: {data, cachedAt} where cachedAt is set for an offline copy. */
export async function apiGet(path) {
  const result = await request("GET", path, options("GET"));
  if (!result.ok) throw new ApiError(result.status, result.data);
  return { data: result.data, cachedAt: result.headers.get("X-Cached-At") };
}

/** Upload a file (multipart); resolves with the server's description of it. */
export async function apiUpload(path, fields) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const result = await request("POST", path, options("POST", { form }));
  if (!result.ok) throw new ApiError(result.status, result.data);
  return result.data;
}

export async function loadSession() {
  const result = await request("GET", "/api/auth/session", options("GET"));
  if (!result.ok) throw new ApiError(result.status, result.data);
  session.set({ loaded: true, offline: Boolean(result.headers.get("X-Cached-At")), ...result.data });
  return result.data;
}

export function setSession(data) {
  session.set({ loaded: true, ...data });
}

/** Forget what the previous person's data looked like (shared devices). */
export async function forgetPersonalData() {
  if (typeof caches !== "undefined") await caches.delete(PERSONAL_CACHE).catch(() => {});
}
