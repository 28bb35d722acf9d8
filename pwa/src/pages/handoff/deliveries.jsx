// A hand-off's state, facts and "Erneut senden", shared by the clerk's case view and
// the console's list of hand-offs: the same words and badges in both places.
import { useState } from "preact/hooks";
import { Badge, Button } from "../../components/forms.jsx";
import { asActionError, useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { addCatalogues, formatDateTime, pick, t } from "../../lib/i18n.js";
import de from "./locales/de.json";
import en from "./locales/en.json";
import "./handoff.css";

addCatalogues({ de, en });

// The badge's colour says the same as its text: done, under way, in trouble.
const STATE_KIND = {
  pending: "info",
  sending: "info",
  waiting: "warning",
  sent: "info",
  delivered: "success",
  accepted: "success",
  failed: "danger",
  rejected: "danger",
};

/** A delivery's state as text, for a filter or a sentence. */
export function stateText(state) {
  const key = `handoff.state.${state}`;
  const text = t(key);
  return text === key ? state : text;
}

/** A delivery's state as a badge with its text. */
export function HandoffState({ state }) {
  return <Badge kind={STATE_KIND[state] || "info"}>{stateText(state)}</Badge>;
}

/**
 * "Testmodus" for a delivery to a simulated receiver (the demo's built-in FIT-Connect
 * destination): nothing reached a real specialist system.
 */
export function TestModeBadge({ delivery }) {
  if (!delivery.test_mode) return null;
  return <Badge kind="warning">{t("handoff.test_mode")}</Badge>;
}

/** The name a delivery is shown under: its target's label, else the target's key. */
export function deliveryName(delivery) {
  return pick(delivery.label) || delivery.target_id;
}

/**
 * "Erneut senden" for a list of deliveries: ``retry(delivery)`` asks the server for a
 * new round and hands the delivery as it is now to ``onRetried``; a refusal (someone
 * sent it again meanwhile, or it is no longer in trouble) calls ``reload``. ``notice``
 * is what to tell the user ({kind, title}), ``sending`` the id of the delivery under way.
 */
export function useRetry({ onRetried, reload }) {
  const [notice, setNotice] = useState(null);
  // Which delivery the action is for; useAction says whether it is under way.
  const [chosen, setChosen] = useState(null);
  const { busy, run } = useAction({
    onError: (caught) => {
      if (caught?.status === 409) {
        setNotice({ kind: "warning", title: t("handoff.retry_refused") });
        reload();
      } else {
        setNotice({ kind: "danger", title: asActionError(caught).message });
      }
      return null;
    },
  });
  const retry = (delivery) => {
    setNotice(null);
    setChosen(delivery.id);
    return run(async () => {
      const updated = await api("POST", `/api/staff/handoffs/${delivery.id}/retry`, {});
      onRetried(updated);
      setNotice({ kind: "success", title: t("handoff.retried", { label: deliveryName(delivery) }) });
    });
  };
  return { retry, notice, setNotice, sending: busy ? chosen : null };
}

/** Why a delivery is in trouble, in one line: the receiver's objections or the last error. */
export function troubleText(delivery) {
  const problems = delivery.problems || [];
  return problems.length ? problems.join(" · ") : delivery.last_error || "";
}

/** "Erneut senden" for one delivery, naming it for screen readers. */
export function RetryButton({ delivery, sending, onRetry }) {
  return (
    <Button variant="secondary" disabled={sending === delivery.id} onClick={() => onRetry(delivery)}>
      {t("handoff.retry")}
      <span class="visually-hidden"> ({deliveryName(delivery)})</span>
    </Button>
  );
}

function Fact({ label, children }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key">{label}</dt>
      <dd class="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

/** What there is to know about one delivery, as a description list. */
export function DeliveryFacts({ delivery }) {
  const problems = delivery.problems || [];
  const waiting = ["pending", "waiting"].includes(delivery.state) && delivery.next_attempt_at;
  return (
    <dl class="kern-description-list">
      <Fact label={t("handoff.state_label")}>
        <HandoffState state={delivery.state} /> <TestModeBadge delivery={delivery} />
      </Fact>
      {delivery.test_mode && <Fact label={t("handoff.test_mode")}>{t("handoff.test_mode_hint")}</Fact>}
      {delivery.moment && <Fact label={t("handoff.moment")}>{t(`handoff.moment.${delivery.moment}`)}</Fact>}
      {delivery.remote_id && (
        <Fact label={t("handoff.remote_id")}>
          <code>{delivery.remote_id}</code>
        </Fact>
      )}
      <Fact label={t("handoff.attempts")}>
        {delivery.attempts}
        {delivery.round > 1 && ` · ${t("handoff.round")} ${delivery.round}`}
      </Fact>
      {waiting && <Fact label={t("handoff.next_attempt")}>{formatDateTime(delivery.next_attempt_at)}</Fact>}
      {delivery.sent_at && <Fact label={t("handoff.sent_at")}>{formatDateTime(delivery.sent_at)}</Fact>}
      {delivery.finished_at && <Fact label={t("handoff.finished_at")}>{formatDateTime(delivery.finished_at)}</Fact>}
      {problems.length > 0 && (
        <Fact label={t("handoff.problems")}>
          <ul class="kern-list">
            {problems.map((problem, index) => (
              <li key={`${index}-${problem}`}>{problem}</li>
            ))}
          </ul>
        </Fact>
      )}
      {delivery.last_error && <Fact label={t("handoff.last_error")}>{delivery.last_error}</Fact>}
    </dl>
  );
}
