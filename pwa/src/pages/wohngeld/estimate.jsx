// The non-binding housing benefit estimate: a few figures in, an amount out, always
// labelled as an estimate (the server's label and disclaimer), never as a decision.
import { useState } from "preact/hooks";
import { Alert, Button, ErrorSummary, TextField } from "../../components/forms.jsx";
import { Page } from "../../components/page.jsx";
import { asActionError, useAction } from "../../hooks/use-action.js";
import { api } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";

const KINDS = ["employment", "pension", "unemployment_benefit", "maintenance", "self_employment", "other"];
// The server's field names and the inputs they belong to.
const INPUT_OF = { members: "wg-members", rent_or_burden: "wg-rent" };

const number = (text) => Number(String(text).trim().replace(",", "."));

export function EstimatePage() {
  const [members, setMembers] = useState("1");
  const [rent, setRent] = useState("");
  const [kind, setKind] = useState("employment");
  const [income, setIncome] = useState("");
  const [errors, setErrors] = useState([]);
  const [message, setMessage] = useState(null);
  const [tries, setTries] = useState(0);
  const [result, setResult] = useState(null);
  const { busy, run } = useAction({
    onError: (thrown) => {
      const caught = asActionError(thrown);
      const fields = caught.fieldErrors || [];
      setErrors(fields.map((item) => ({ field: INPUT_OF[item.field] || "wg-income", message: item.message })));
      if (!fields.length) setMessage(caught.message);
      return null;
    },
  });
  const send = (event) => {
    event.preventDefault();
    setTries(tries + 1);
    setMessage(null);
    setResult(null);
    const problems = [
      ["wg-members", members],
      ["wg-rent", rent],
      ["wg-income", income || "0"],
    ]
      .filter(([, value]) => String(value).trim() === "" || Number.isNaN(number(value)))
      .map(([field]) => ({ field, message: t("wohngeld.number_required") }));
    setErrors(problems);
    if (problems.length) return;
    return run(async () => {
      const body = {
        members: Math.trunc(number(members)),
        rent_or_burden: number(rent),
        incomes: number(income || "0") > 0 ? [{ kind, monthly_amount: number(income) }] : [],
      };
      setResult(await api("POST", "/api/wohngeld/estimate", body));
    });
  };
  const errorFor = (id) => errors.find((item) => item.field === id)?.message;
  return (
    <Page title={t("wohngeld.estimate_title")}>
      <p class="kern-body">{t("wohngeld.estimate_intro")}</p>
      <ErrorSummary errors={errors} message={message} focusToken={tries} />
      <form class="kern-stack" onSubmit={send} noValidate>
        <TextField id="wg-members" label={t("wohngeld.members")} hint={t("wohngeld.members_hint")} error={errorFor("wg-members")} value={members} inputmode="numeric" onInput={setMembers} />
        <TextField id="wg-rent" label={t("wohngeld.rent")} hint={t("wohngeld.rent_hint")} error={errorFor("wg-rent")} value={rent} inputmode="decimal" onInput={setRent} />
        <div class="kern-form-input">
          <label class="kern-label" for="wg-kind">{t("wohngeld.income_kind")}</label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="wg-kind" value={kind} onChange={(event) => setKind(event.currentTarget.value)}>
              {KINDS.map((value) => (
                <option key={value} value={value}>{t(`wohngeld.kind_${value}`)}</option>
              ))}
            </select>
          </div>
        </div>
        <TextField id="wg-income" label={t("wohngeld.income")} error={errorFor("wg-income")} value={income} inputmode="decimal" onInput={setIncome} />
        <div class="kern-btn-wrapper">
          <Button type="submit" disabled={busy}>{busy ? t("wohngeld.busy") : t("wohngeld.submit")}</Button>
        </div>
      </form>
      {result && (
        <section class="kern-stack">
          <Alert kind="info" title={result.label}>
            <p class="kern-body kern-body--bold">
              {result.entitled ? t("wohngeld.result_amount", { amount: result.monthly_amount }) : t("wohngeld.result_none")}
            </p>
            {result.notes.includes("ceiling_applied") && <p class="kern-body">{t("wohngeld.result_ceiling")}</p>}
            <p class="kern-body">{result.disclaimer}</p>
          </Alert>
          <p>
            <Link class="kern-btn kern-btn--primary" href="/leistungen/housing_benefit">
              <span class="kern-label">{t("wohngeld.apply")}</span>
            </Link>
          </p>
        </section>
      )}
    </Page>
  );
}
