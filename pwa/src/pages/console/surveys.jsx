// Surveys in the console (/verwaltung/umfragen): the city's surveys with their number
// of answers, "Neue Umfrage" (a draft from the survey template, built in the builder),
// each survey's results (a distribution per choice question as bars with their table,
// the free texts, a CSV of all answers) and the satisfaction after applications per
// service (distribution, average, comments, CSV). Figures under the privacy threshold
// come from the server as null and are shown as "fewer than 5".
import { useState } from "preact/hooks";
import { Button } from "../../components/forms.jsx";
import { Loading } from "../../components/page.jsx";
import { LoadError } from "../../components/status.jsx";
import { useResource } from "../../hooks/use-resource.js";
import { session } from "../../lib/api.js";
import { pick, t } from "../../lib/i18n.js";
import { Link } from "../../lib/router.jsx";
import { useSignal } from "../../lib/signal.js";
import { DataTable } from "./city-shared.jsx";
import { ChartCanvas } from "./statistics/chart.jsx";
import { ConsolePage, isAdmin } from "./layout.jsx";
import { TemplateForm, servicePath } from "./services-shared.jsx";
import "./surveys.css";

const MIN = 5;
const surveyPath = (id) => `/verwaltung/umfragen/${encodeURIComponent(id)}`;

// Results come for whole periods only (a month, a quarter, a year or everything): two
// overlapping day ranges could otherwise be subtracted down to a single day's answers.
function rangeQuery(range) {
  if (!range.period) return "";
  const [group, period] = range.period.split(":");
  return `?${new URLSearchParams({ group, period })}`;
}

/** The periods offered: every year, quarter and month of the last two years, newest first. */
export function periodChoices(today = new Date()) {
  const year = today.getFullYear();
  const month = today.getMonth() + 1;
  const years = [year, year - 1, year - 2].map((y) => [`year:${y}`, String(y)]);
  const quarters = [];
  const months = [];
  for (let back = 0; back < 24; back += 1) {
    const index = year * 12 + (month - 1) - back;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    const label = `${y}-${String(m).padStart(2, "0")}`;
    months.push([`month:${label}`, label]);
    const q = `${y}-Q${Math.ceil(m / 3)}`;
    if (!quarters.some(([value]) => value === `quarter:${q}`)) quarters.push([`quarter:${q}`, q]);
  }
  return { years, quarters, months };
}

const countText = (item) => (item.suppressed ? t("console.surveys.hidden", { min: MIN }) : String(item.count));

/**
 * A distribution as a bar chart (Chart.js, as the statistics draw theirs) with its data
 * table beside it: the chart is an image whose text points to the table, which carries
 * every figure. A suppressed count is a gap in the chart, "fewer than 5" in the table.
 */
export function BarTable({ id, caption, rows, total }) {
  // Shares are of every answer to the question (null: too few to show any).
  return (
    <div class="survey-distribution">
      <div class="survey-chart">
        <ChartCanvas
          id={id}
          type="bar"
          horizontal
          labels={rows.map((row) => row.label)}
          datasets={[{ label: t("console.surveys.col_count"), data: rows.map((row) => (row.suppressed ? null : row.count)) }]}
          summary={t("console.surveys.chart_summary", { caption })}
        />
      </div>
      <DataTable caption={caption} head={[t("console.surveys.col_answer"), t("console.surveys.col_count"), t("console.surveys.col_share")]}>
        {rows.map((row) => (
          <tr class="kern-table__row" key={row.label}>
            <th class="kern-table__header" scope="row">
              {row.label}
            </th>
            <td class="kern-table__cell">{countText(row)}</td>
            <td class="kern-table__cell">{row.suppressed || !total ? "–" : `${Math.round(((row.count || 0) / total) * 100)} %`}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function RangeForm({ idPrefix, range, onApply, children }) {
  const [values, setValues] = useState(range);
  const choices = periodChoices();
  return (
    <form
      class="console-filters"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(values);
      }}
    >
      {children}
      <div class="kern-form-input">
        <label class="kern-label" for={`${idPrefix}-period`}>
          {t("console.surveys.range_legend")}
        </label>
        <div class="kern-hint" id={`${idPrefix}-period-hint`}>
          {t("console.surveys.period_hint")}
        </div>
        <div class="kern-form-input__select-wrapper">
          <select
            class="kern-form-input__select"
            id={`${idPrefix}-period`}
            aria-describedby={`${idPrefix}-period-hint`}
            value={values.period}
            onChange={(event) => setValues({ ...values, period: event.currentTarget.value })}
          >
            <option value="">{t("console.surveys.period_all")}</option>
            {["years", "quarters", "months"].map((kind) => (
              <optgroup key={kind} label={t(`console.surveys.period_${kind}`)}>
                {choices[kind].map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      </div>
      <div class="kern-btn-wrapper">
        <Button type="submit" variant="secondary">
          {t("console.surveys.apply")}
        </Button>
      </div>
    </form>
  );
}

// --- The list and satisfaction ----------------------------------------------------------

export function ConsoleSurveysPage() {
  const current = useSignal(session);
  return (
    <ConsolePage title={t("console.surveys.title")}>
      <p class="kern-body">{t("console.surveys.intro", { min: MIN })}</p>
      <SurveyList admin={isAdmin(current.user)} />
      <Satisfaction />
    </ConsolePage>
  );
}

function SurveyList({ admin }) {
  const { data, error, loading } = useResource("/api/statistics/surveys");
  return (
    <section class="kern-stack" aria-labelledby="city-surveys-heading">
      <h2 class="kern-heading-medium" id="city-surveys-heading">
        {t("console.surveys.city_heading")}
      </h2>
      {admin && (
        <p>
          <Link class="kern-btn kern-btn--primary" href="/verwaltung/umfragen/neu">
            <span class="kern-label">{t("console.surveys.new")}</span>
          </Link>
        </p>
      )}
      <LoadError error={error} />
      {loading && <Loading />}
      {data && !data.length && <p class="kern-body">{t("console.surveys.none")}</p>}
      {data && data.length > 0 && (
        <DataTable
          caption={t("console.surveys.table_caption")}
          head={[t("console.surveys.col_title"), t("console.surveys.col_state"), t("console.surveys.col_open"), t("console.surveys.col_answers"), t("console.surveys.col_actions")]}
        >
          {data.map((row) => (
            <tr class="kern-table__row" key={row.service_id}>
              <th class="kern-table__header" scope="row">
                {pick(row.title)}
              </th>
              <td class="kern-table__cell">{t(`console.surveys.state.${row.state}`)}</td>
              <td class="kern-table__cell">{row.open ? t("console.surveys.yes") : t("console.surveys.no")}</td>
              <td class="kern-table__cell">{row.suppressed ? t("console.surveys.hidden", { min: MIN }) : row.answers}</td>
              <td class="kern-table__cell">
                <ul class="kern-list survey-actions">
                  {row.results_version && (
                    <li>
                      <Link class="kern-link" href={surveyPath(row.service_id)}>
                        {t("console.surveys.results")}
                        <span class="visually-hidden">: {pick(row.title)}</span>
                      </Link>
                    </li>
                  )}
                  {admin && (
                    <li>
                      <Link class="kern-link" href={servicePath(row.service_id)}>
                        {t("console.surveys.edit")}
                        <span class="visually-hidden">: {pick(row.title)}</span>
                      </Link>
                    </li>
                  )}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function Satisfaction() {
  const services = useResource("/api/services");
  const [service, setService] = useState("");
  const [range, setRange] = useState({ period: "" });
  const params = new URLSearchParams(rangeQuery(range).slice(1));
  if (service) params.set("service_id", service);
  const { data, error, loading } = useResource(`/api/statistics/satisfaction?${params}`);
  const [choice, setChoice] = useState("");
  return (
    <section class="kern-stack" aria-labelledby="satisfaction-heading">
      <h2 class="kern-heading-medium" id="satisfaction-heading">
        {t("console.surveys.satisfaction_heading")}
      </h2>
      <p class="kern-body">{t("console.surveys.satisfaction_intro")}</p>
      <RangeForm
        idPrefix="satisfaction"
        range={range}
        onApply={(values) => {
          setRange(values);
          setService(choice);
        }}
      >
        <div class="kern-form-input">
          <label class="kern-label" for="satisfaction-service">
            {t("console.surveys.service")}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="satisfaction-service" value={choice} onChange={(event) => setChoice(event.currentTarget.value)}>
              <option value="">{t("console.surveys.all_services")}</option>
              {(services.data || []).map((item) => (
                <option key={item.id} value={item.id}>
                  {pick(item.title)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </RangeForm>
      <LoadError error={error} />
      {loading && !data && <Loading />}
      {data && (
        <div class="kern-stack" id="satisfaction-results">
          <p class="kern-body" role="status">
            {data.suppressed ? t("console.surveys.answers_hidden", { min: MIN }) : t("console.surveys.answers_total", { count: data.answers })}
          </p>
          <p class="kern-body kern-body--bold">
            {data.average === null ? t("console.surveys.average_hidden", { min: MIN }) : t("console.surveys.average", { value: data.average.toLocaleString(document.documentElement.lang || "de") })}
          </p>
          <BarTable
            id="chart-satisfaction"
            total={data.answers}
            caption={t("console.surveys.satisfaction_distribution")}
            rows={data.distribution.map((item) => ({ ...item, label: t(`console.surveys.rating_${item.rating}`) }))}
          />
          <p>
            <a class="kern-link" href={`/api/statistics/satisfaction.csv${rangeQuery(range)}`} download>
              {t("console.surveys.satisfaction_csv")}
            </a>
          </p>
          <h3 class="kern-heading-small">{t("console.surveys.comments_heading")}</h3>
          {data.comments.length ? (
            <ul class="kern-list survey-texts">
              {data.comments.map((comment, index) => (
                <li key={index}>
                  <p class="kern-body">{comment.text}</p>
                  <p class="kern-body kern-body--small">
                    {t("console.surveys.comment_meta", { month: comment.month })}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p class="kern-body">{t("console.surveys.comments_none")}</p>
          )}
        </div>
      )}
    </section>
  );
}

// --- A new survey ----------------------------------------------------------------------

export function ConsoleSurveyNewPage() {
  return (
    <ConsolePage title={t("console.surveys.new_title")}>
      <Link class="kern-link back-link" href="/verwaltung/umfragen">
        {t("console.surveys.back")}
      </Link>
      <p class="kern-body">{t("console.surveys.new_intro")}</p>
      <TemplateForm
        fields={["service_id", "title_de", "title_en"]}
        endpoint="/api/admin/surveys"
        idPrefix="new-survey"
        textKey="console.surveys"
        hinted={["service_id"]}
      />
    </ConsolePage>
  );
}

// --- One survey's results ------------------------------------------------------------------

export function ConsoleSurveyResultsPage({ surveyId }) {
  const [range, setRange] = useState({ period: "" });
  const { data, error, loading } = useResource(`/api/statistics/surveys/${encodeURIComponent(surveyId)}/results${rangeQuery(range)}`);
  const title = data ? t("console.surveys.results_of", { title: pick(data.title) }) : t("console.surveys.results");
  return (
    <ConsolePage title={title}>
      <Link class="kern-link back-link" href="/verwaltung/umfragen">
        {t("console.surveys.back")}
      </Link>
      <RangeForm idPrefix="results" range={range} onApply={setRange} />
      <LoadError error={error} />
      {loading && !data && <Loading />}
      {data && (
        <div class="kern-stack">
          <p class="kern-body" role="status">
            {data.suppressed ? t("console.surveys.answers_hidden", { min: MIN }) : t("console.surveys.answers_total", { count: data.answers })}
          </p>
          <p>
            <a class="kern-link" href={`/api/statistics/surveys/${encodeURIComponent(surveyId)}/results.csv${rangeQuery(range)}`} download>
              {t("console.surveys.csv")}
            </a>
          </p>
          {data.questions.map((question) => (
            <section class="kern-stack" key={question.field_id} aria-labelledby={`question-${question.field_id}`}>
              <h2 class="kern-heading-medium" id={`question-${question.field_id}`}>
                {pick(question.label)}
              </h2>
              <BarTable
                id={`chart-${question.field_id}`}
                total={question.answered.count}
                caption={t("console.surveys.distribution", { question: pick(question.label) })}
                rows={question.options.map((option) => ({ ...option, label: pick(option.label) }))}
              />
            </section>
          ))}
          {data.texts.map((text) => (
            <section class="kern-stack" key={text.field_id} aria-labelledby={`question-${text.field_id}`}>
              <h2 class="kern-heading-medium" id={`question-${text.field_id}`}>
                {pick(text.label)}
              </h2>
              {text.answers.length ? (
                <ul class="kern-list survey-texts">
                  {text.answers.map((answer, index) => (
                    <li key={index} class="kern-body">
                      {answer}
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="kern-body">{t("console.surveys.texts_none")}</p>
              )}
            </section>
          ))}
        </div>
      )}
    </ConsolePage>
  );
}
