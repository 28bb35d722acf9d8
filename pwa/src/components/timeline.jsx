// The history of an application, oldest first, as an ordered list: each entry in plain
// words from the server ("Neuer Stand: Genehmigt", "Zahlung eingegangen").
import { formatDateTime, t } from "../lib/i18n.js";

const BY = { citizen: "timeline.by_citizen", staff: "timeline.by_staff", system: "timeline.by_system" };

export function Timeline({ events }) {
  if (!events?.length) return <p class="kern-body">{t("timeline.empty")}</p>;
  return (
    <ol class="timeline">
      {events.map((event, index) => (
        <li class="timeline__item" key={`${event.at}-${index}`}>
          <p class="kern-body kern-body--small timeline__when">
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            {BY[event.by] && ` · ${t(BY[event.by])}`}
          </p>
          <p class="kern-body timeline__what">
            <strong>{event.what || (event.kind === "submitted" ? t("timeline.submitted") : event.status_label)}</strong>
          </p>
          {event.message && <p class="kern-body timeline__message">{event.message}</p>}
        </li>
      ))}
    </ol>
  );
}
