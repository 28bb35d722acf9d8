// The history of an application, oldest first, as an ordered list: each entry in plain
// words from the server ("Neuer Stand: Genehmigt", "Zahlung eingegangen"), with the
// values a clerk set at a decision.
import { formatDateTime, t } from "../lib/i18n.js";
import { DocumentLink } from "./document-link.jsx";

const BY = { citizen: "timeline.by_citizen", staff: "timeline.by_staff", system: "timeline.by_system" };

/** ``fileHref(file)``: where a file sent with a reply is downloaded. */
export function Timeline({ events, fileHref }) {
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
            <strong>{event.what || (event.kind === "submitted" ? t("timeline.submitted") : event.kind === "reply" ? t("timeline.reply") : event.status_label)}</strong>
          </p>
          {event.message && <p class="kern-body timeline__message">{event.message}</p>}
          {event.values?.length > 0 && (
            // What the clerk set with a decision: the granted amount, the period.
            <dl class="kern-description-list" aria-label={t("timeline.decided_values")}>
              {event.values.map((row) => (
                <div class="kern-description-list-item" key={row.id}>
                  <dt class="kern-description-list-item__key">{row.label}</dt>
                  <dd class="kern-description-list-item__value">{row.value}</dd>
                </div>
              ))}
            </dl>
          )}
          {event.files?.length > 0 && (
            <ul class="kern-list link-list" aria-label={t("timeline.reply_files")}>
              {event.files.map((file) => (
                <li key={file.upload_id}>
                  {fileHref ? (
                    <DocumentLink href={fileHref(file)} name={file.filename}>
                      {file.filename}
                    </DocumentLink>
                  ) : (
                    <span class="kern-body">{file.filename}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
