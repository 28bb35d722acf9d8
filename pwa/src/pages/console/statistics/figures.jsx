// The statistics' four panels: online quote against the target, the funnel with the
// steps where people give up, processing times, and the channels citizens use. Every
// chart has its figures in a table beside it (the chart is never the only carrier) and
// a CSV download of that table.
import { pick, t } from "../../../lib/i18n.js";
import { ChartCanvas } from "./chart.jsx";
import { giveUpStepName } from "./steps.js";
import { cellText, count, FigureTable, hours, share, text } from "./table.jsx";

const percent = (value) => (value === null || value === undefined ? null : Math.round(value * 1000) / 10);

/** A heading, the chart (if any) and its table side by side on wide screens. */
function Panel({ id, title, intro, children }) {
  return (
    <section class="kern-stack stats-panel" aria-labelledby={`${id}-heading`}>
      <h2 class="kern-heading-medium" id={`${id}-heading`}>
        {title}
      </h2>
      {intro && <p class="kern-body">{intro}</p>}
      {children}
    </section>
  );
}

/** A row of headline figures (name and value), e.g. the quote for the whole range. */
function KeyFigures({ items }) {
  return (
    <dl class="stats-keys">
      {items.map(([key, label, cell]) => (
        <div class="stats-keys__item" key={key}>
          <dt class="kern-body kern-body--small">{label}</dt>
          <dd class="stats-keys__value" data-figure={key}>
            {cellText(cell)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function QuotePanel({ quote }) {
  const target = quote.target;
  const labels = quote.periods.map((row) => row.period);
  const datasets = [{ label: t("console.statistics.quote.series"), data: quote.periods.map((row) => percent(row.quote)) }];
  if (target) {
    datasets.push({
      label: t("console.statistics.quote.target_series"),
      data: labels.map(() => percent(target.target_quote)),
      dashed: true,
      colour: "#5c6670",
    });
  }
  const summary = t("console.statistics.quote.summary", {
    total: cellText(share(quote.total.quote)),
    target: target ? cellText(share(target.target_quote)) : t("console.statistics.quote.no_target"),
    periods: quote.periods.length,
  });
  const head = [t("console.statistics.col.period"), t("console.statistics.col.online"), t("console.statistics.col.counter"), t("console.statistics.col.quote")];
  const rows = quote.periods.map((row) => [text(row.period), count(row.online), count(row.counter), share(row.quote)]);
  rows.push([text(t("console.statistics.total")), count(quote.total.online), count(quote.total.counter), share(quote.total.quote)]);
  return (
    <Panel id="stats-quote" title={t("console.statistics.quote.title")} intro={t("console.statistics.quote.intro")}>
      <KeyFigures
        items={[
          ["quote", t("console.statistics.quote.total"), share(quote.total.quote)],
          ["target", t("console.statistics.quote.target"), target ? share(target.target_quote) : text(t("console.statistics.quote.no_target"))],
        ]}
      />
      <div class="stats-pair">
        <ChartCanvas id="chart-quote" type="line" labels={labels} datasets={datasets} summary={summary} percent />
        <FigureTable id="table-quote" caption={t("console.statistics.quote.table")} head={head} rows={rows} />
      </div>
    </Panel>
  );
}

const FUNNEL_STEPS = ["started", "submitted", "paid", "decided", "completed", "abandoned"];

function FunnelPanel({ funnel }) {
  const labels = FUNNEL_STEPS.map((step) => t(`console.statistics.funnel.${step}`));
  const summary = t("console.statistics.funnel.summary", {
    started: cellText(count(funnel.started)),
    submitted: cellText(count(funnel.submitted)),
    completed: cellText(count(funnel.completed)),
    abandoned: cellText(count(funnel.abandoned)),
  });
  const rows = FUNNEL_STEPS.map((step, index) => [text(labels[index]), count(funnel[step])]);
  const gaveUp = funnel.gave_up_at || [];
  return (
    <Panel id="stats-funnel" title={t("console.statistics.funnel.title")} intro={t("console.statistics.funnel.intro")}>
      <KeyFigures items={[["median_start_to_submit", t("console.statistics.funnel.median"), hours(funnel.median_start_to_submit_hours)]]} />
      <div class="stats-pair">
        <ChartCanvas
          id="chart-funnel"
          type="bar"
          labels={labels}
          datasets={[{ label: t("console.statistics.funnel.series"), data: FUNNEL_STEPS.map((step) => funnel[step]) }]}
          summary={summary}
        />
        <FigureTable id="table-funnel" caption={t("console.statistics.funnel.table")} head={[t("console.statistics.col.stage"), t("console.statistics.col.count")]} rows={rows} />
      </div>
      <h3 class="kern-heading-small">{t("console.statistics.funnel.gave_up_heading")}</h3>
      {gaveUp.length === 0 ? (
        <p class="kern-body">{t("console.statistics.funnel.gave_up_none")}</p>
      ) : (
        <FigureTable
          id="table-gave-up"
          caption={t("console.statistics.funnel.gave_up_table")}
          head={[t("console.statistics.col.step"), t("console.statistics.col.gave_up")]}
          rows={gaveUp.map((row) => [text(stepTitle(row)), count(row.count)])}
        />
      )}
    </Panel>
  );
}

function stepTitle(row) {
  return giveUpStepName(row.step, pick(row.title), t("console.statistics.funnel.check_page"));
}

function ProcessingPanel({ processing }) {
  const periods = processing.periods || [];
  const labels = periods.map((row) => row.period);
  const summary = t("console.statistics.processing.summary", {
    median: cellText(hours(processing.median_hours)),
    p90: cellText(hours(processing.p90_hours)),
    auto: cellText(share(processing.auto_share)),
    overdue: cellText(count(processing.overdue)),
  });
  return (
    <Panel id="stats-processing" title={t("console.statistics.processing.title")} intro={t("console.statistics.processing.intro")}>
      <KeyFigures
        items={[
          ["decided", t("console.statistics.processing.decided"), count(processing.decided)],
          ["median_hours", t("console.statistics.processing.median"), hours(processing.median_hours)],
          ["p90_hours", t("console.statistics.processing.p90"), hours(processing.p90_hours)],
          ["auto_share", t("console.statistics.processing.auto"), share(processing.auto_share)],
          ["overdue", t("console.statistics.processing.overdue"), count(processing.overdue)],
        ]}
      />
      <div class="stats-pair">
        <ChartCanvas
          id="chart-processing"
          type="bar"
          labels={labels}
          datasets={[
            { label: t("console.statistics.processing.median"), data: periods.map((row) => row.median_hours) },
            { label: t("console.statistics.processing.p90"), data: periods.map((row) => row.p90_hours) },
          ]}
          summary={summary}
        />
        <FigureTable
          id="table-processing"
          caption={t("console.statistics.processing.table")}
          head={[t("console.statistics.col.period"), t("console.statistics.processing.decided"), t("console.statistics.processing.median"), t("console.statistics.processing.p90")]}
          rows={periods.map((row) => [text(row.period), count(row.decided), hours(row.median_hours), hours(row.p90_hours)])}
        />
      </div>
    </Panel>
  );
}

function label(prefix, id) {
  const key = `console.statistics.${prefix}.${id}`;
  const found = t(key);
  return found === key ? id : found;
}

/** A horizontal bar chart of named counts beside their table; a sentence when there are none. */
function CountChart({ id, items, series, summaryKey, caption, column, empty }) {
  if (items.length === 0) {
    return (
      <p class="kern-body" id={`table-${id}`}>
        {empty}
      </p>
    );
  }
  const list = items.map(([name, value]) => `${name}: ${cellText(count(value))}`).join(", ");
  return (
    <div class="stats-pair">
      <ChartCanvas
        id={`chart-${id}`}
        type="bar"
        horizontal
        labels={items.map(([name]) => name)}
        datasets={[{ label: series, data: items.map(([, value]) => value) }]}
        summary={t(summaryKey, { list })}
      />
      <FigureTable id={`table-${id}`} caption={caption} head={[column, t("console.statistics.col.count")]} rows={items.map(([name, value]) => [text(name), count(value)])} />
    </div>
  );
}

function ChannelsPanel({ channels }) {
  const methods = channels.payment_methods || [];
  const levels = channels.trust_levels || [];
  const shares = [
    ["push_opt_in", channels.push_opt_in],
    ["email_opt_in", channels.email_opt_in],
    ["installed_app", channels.installed_app],
  ];
  return (
    <Panel id="stats-channels" title={t("console.statistics.channels.title")} intro={t("console.statistics.channels.intro")}>
      <FigureTable
        id="table-shares"
        caption={t("console.statistics.channels.shares_table")}
        head={[t("console.statistics.col.feature"), t("console.statistics.col.share"), t("console.statistics.col.count")]}
        rows={shares.map(([id, figure]) => [text(t(`console.statistics.channels.${id}`)), share(figure?.share ?? null), count(figure?.count ?? null)])}
      />
      <CountChart
        id="payment"
        items={methods.map((row) => [label("method", row.method), row.count])}
        series={t("console.statistics.channels.payments_series")}
        summaryKey="console.statistics.channels.payments_summary"
        caption={t("console.statistics.channels.payments_table")}
        column={t("console.statistics.col.method")}
        empty={t("console.statistics.channels.payments_none")}
      />
      <CountChart
        id="trust"
        items={levels.map((row) => [label("trust", row.level), row.count])}
        series={t("console.statistics.channels.trust_series")}
        summaryKey="console.statistics.channels.trust_summary"
        caption={t("console.statistics.channels.trust_table")}
        column={t("console.statistics.col.level")}
        empty={t("console.statistics.channels.trust_none")}
      />
    </Panel>
  );
}

/** "Zugänge über Kampagnen": landings through each flyer's tag and applications sent from them. */
function CampaignsPanel({ campaigns }) {
  const rows = campaigns?.tags || [];
  return (
    <Panel id="stats-campaigns" title={t("console.statistics.campaigns.title")} intro={t("console.statistics.campaigns.intro")}>
      {rows.length === 0 ? (
        <p class="kern-body">{t("console.statistics.campaigns.none")}</p>
      ) : (
        <FigureTable
          id="table-campaigns"
          caption={t("console.statistics.campaigns.table")}
          head={[t("console.statistics.campaigns.col_name"), t("console.statistics.campaigns.col_tag"), t("console.statistics.campaigns.col_entries"), t("console.statistics.campaigns.col_submitted")]}
          rows={rows.map((row) => [text(row.name), text(row.tag), count(row.entries), count(row.submitted)])}
        />
      )}
    </Panel>
  );
}

/** The panels for one answer of GET /api/statistics/figures. */
export function Figures({ figures }) {
  return (
    <>
      <QuotePanel quote={figures.quote} />
      <FunnelPanel funnel={figures.funnel} />
      <ProcessingPanel processing={figures.processing} />
      <ChannelsPanel channels={figures.channels} />
      <CampaignsPanel campaigns={figures.campaigns} />
    </>
  );
}
