// The inbox's unread count for the navigation badge: threads with a new message.
import { apiGet } from "./api.js";
import { signal } from "./signal.js";

export const unread = signal(0);

export async function refreshUnread() {
  try {
    const { data } = await apiGet("/api/inbox/unread");
    unread.set(data.unread || 0);
  } catch {
    // Offline or signed out: keep the last known number.
  }
}
