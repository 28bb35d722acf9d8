// How a service's fee is paid: the policy, and for a fee charged after the decision
// the instalment dates and the kind of notice. What does not apply is hidden, with a
// sentence saying why.
import { Button, TextField } from "../../../components/forms.jsx";
import { t } from "../../../lib/i18n.js";
import { inputIdFor, setIn } from "./paths.js";
import { ItemActions, ItemProblems, Select, errorAt, partChoices } from "./sections-shared.jsx";

// Settings that only a fee charged after the decision has (the loader refuses them
// otherwise); they go when the policy changes.
const AFTER_DECISION_ONLY = ["instalments", "notice_kind", "pro_rata", "direct_debit"];

export function PaymentEditor({ definition, parts, problems, onChange, announce }) {
  const payment = definition.payment || {};
  const afterDecision = payment.policy === "after_decision";
  const instalments = payment.instalments || [];
  const set = (key, value) => onChange(setIn(definition, ["payment", key], value));
  const setPolicy = (policy) => {
    let next = { ...payment, policy };
    if (policy !== "after_decision") {
      const dropped = AFTER_DECISION_ONLY.filter((key) => key in next);
      for (const key of dropped) delete next[key];
      if (dropped.length) announce(t("console.builder.payment.dropped"));
    }
    onChange(setIn(definition, ["payment"], next));
  };
  return (
    <fieldset class="sec-group">
      <legend class="kern-heading-small">{t("console.builder.payment.title")}</legend>
      <ItemProblems problems={problems} path="payment" below={["payment.note", "payment.pro_rata", "payment.direct_debit", "payment.ends_notice"]} />
      <Select
        id={inputIdFor("payment.policy")}
        label={t("console.builder.payment.policy")}
        hint={t("console.builder.payment.policy_hint")}
        error={errorAt(problems, "payment.policy")}
        value={payment.policy}
        choices={partChoices(parts.payment_policies, "console.builder.value.payment_policy", payment.policy)}
        onChange={setPolicy}
      />
      {afterDecision ? (
        <>
          <fieldset class="sec-plain">
            <legend class="kern-label">{t("console.builder.payment.instalments")}</legend>
            <p class="kern-hint">{t("console.builder.payment.instalments_hint")}</p>
            <ItemProblems problems={problems} path="payment.instalments" />
            {instalments.map((date, index) => {
              const path = `payment.instalments[${index}]`;
              const name = t("console.builder.payment.instalment_name", { number: index + 1 });
              return (
                <div class="sec-row sec-row--end" key={index}>
                  <TextField id={inputIdFor(path)} label={name} error={errorAt(problems, path)} value={date} placeholder="02-15" autocomplete="off" onInput={(text) => set("instalments", setIn(instalments, [index], text.trim()))} />
                  <ItemActions
                    name={name}
                    index={index}
                    count={instalments.length}
                    onRemove={() => {
                      const rest = instalments.filter((_, i) => i !== index);
                      set("instalments", rest.length ? rest : undefined);
                    }}
                  />
                </div>
              );
            })}
            <div>
              <Button variant="secondary" onClick={() => set("instalments", [...instalments, ""])}>
                {t("console.builder.payment.add_instalment")}
              </Button>
            </div>
          </fieldset>
          <Select
            id={inputIdFor("payment.notice_kind")}
            label={t("console.builder.payment.notice_kind")}
            hint={t("console.builder.payment.notice_kind_hint")}
            error={errorAt(problems, "payment.notice_kind")}
            value={payment.notice_kind}
            empty={t("console.builder.payment.notice_kind_default")}
            choices={partChoices(parts.notice_kinds, "console.builder.value.notice_kind", payment.notice_kind)}
            onChange={(value) => set("notice_kind", value || undefined)}
          />
        </>
      ) : (
        <p class="kern-body sec-why">{t("console.builder.payment.after_decision_only")}</p>
      )}
    </fieldset>
  );
}
