// One Chart.js chart on a canvas (the library loads with the first chart, see
// chart-setup.js). The canvas is an image with a summary for screen readers: the data
// table beside it carries every figure.
import { useEffect, useRef } from "preact/hooks";

// KERN's colours: primary blue, a dark grey for targets, a warm second series.
export const COLOURS = ["#0b3b7e", "#b35c00", "#2f6f3e", "#6b2a7a", "#5c6670"];

/** Whether the person asked for less motion (then charts draw at once). */
export function reducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function config({ type, labels, datasets, percent, horizontal }) {
  return {
    type,
    data: {
      labels,
      datasets: datasets.map((set, index) => {
        const colour = set.colour || COLOURS[index % COLOURS.length];
        return {
          label: set.label,
          data: set.data,
          type: set.type,
          backgroundColor: colour,
          borderColor: colour,
          borderDash: set.dashed ? [6, 4] : undefined,
          pointRadius: set.dashed ? 0 : 3,
          // A suppressed figure (null) is a gap, never a drop to zero.
          spanGaps: false,
        };
      }),
    },
    options: {
      animation: reducedMotion() ? false : { duration: 300 },
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      scales: {
        [horizontal ? "x" : "y"]: {
          beginAtZero: true,
          max: percent ? 100 : undefined,
          ticks: percent ? { callback: (value) => `${value} %` } : { precision: 0 },
        },
      },
      plugins: { legend: { display: datasets.length > 1 } },
    },
  };
}

/**
 * A chart of ``type`` ("bar" or "line") over ``labels`` with ``datasets``
 * ([{label, data, type?, colour?, dashed?}]); ``summary`` is the canvas's text alternative.
 * ``percent`` writes the value axis as percentages (data 0..100).
 */
export function ChartCanvas({ id, type, labels, datasets, summary, percent = false, horizontal = false }) {
  const canvas = useRef(null);
  const shape = JSON.stringify({ type, labels, datasets, percent, horizontal });
  useEffect(() => {
    let chart = null;
    let gone = false;
    import("./chart-setup.js").then(({ Chart }) => {
      if (gone || !canvas.current) return;
      chart = new Chart(canvas.current, config({ type, labels, datasets, percent, horizontal }));
    });
    return () => {
      gone = true;
      chart?.destroy();
    };
  }, [shape]);
  return (
    <div class="stats-chart">
      <canvas id={id} ref={canvas} role="img" aria-label={summary}>
        {summary}
      </canvas>
    </div>
  );
}
