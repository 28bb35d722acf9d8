// The case view's "Übergabe an Fachverfahren": every hand-off of the application to a
// specialist system with its state, the receiver's reference, a rejecting receiver's
// objections and the last error, and "Erneut senden" where the state allows it.
// Services without hand-off targets show nothing here.
import { useEffect, useState } from "preact/hooks";
import { Alert } from "../../components/forms.jsx";
import { LoadError } from "../../components/status.jsx";
import { apiGet } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { DeliveryFacts, RetryButton, deliveryName, useRetry } from "../handoff/deliveries.jsx";

export function HandoffSection({ applicationId }) {
  const [deliveries, setDeliveries] = useState(null);
  const [error, setError] = useState(null);
  const load = () =>
    apiGet(`/api/staff/applications/${encodeURIComponent(applicationId)}/handoffs`).then(
      ({ data }) => setDeliveries(data),
      (caught) => setError(caught),
    );
  useEffect(() => {
    load();
  }, [applicationId]);
  const { retry, notice, sending } = useRetry({
    onRetried: (updated) => {
      setDeliveries((current) => current.map((item) => (item.id === updated.id ? updated : item)));
      // The new round may have got through meanwhile.
      load();
    },
    reload: load,
  });
  if (error) return <LoadError error={error} />;
  if (!deliveries?.length) return null;
  return (
    <section class="kern-stack" aria-labelledby="handoff-heading">
      <h2 class="kern-heading-medium" id="handoff-heading">
        {t("handoff.heading")}
      </h2>
      {notice && <Alert kind={notice.kind} title={notice.title} />}
      <ul class="kern-stack handoff-list">
        {deliveries.map((delivery) => (
          <li key={delivery.id} class="kern-stack handoff-list__item">
            <h3 class="kern-heading-small" id={`handoff-${delivery.id}`}>
              {deliveryName(delivery)}
            </h3>
            <DeliveryFacts delivery={delivery} />
            {delivery.can_retry && (
              <div class="kern-btn-wrapper">
                <RetryButton delivery={delivery} sending={sending} onRetry={retry} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
