/// <reference lib="dom" />
/**
 * The page's script (run in the browser, inlined into the page): reads the chart specs
 * embedded as JSON and draws each into its placeholder with uPlot, which the page
 * inlines before this script. Charts follow the width of their box, and are redrawn
 * to half the paper's width when printed (two columns).
 */
import type UPlot from "uplot";
import type { ChartSpec } from "../chart-spec.js";
import { drawBands, drawBars, drawWhiskers, drawZeroLine } from "./draw.js";
import { formatNumber } from "./number.js";

declare const uPlot: typeof UPlot;

/** Chart height in CSS pixels. */
const HEIGHT = 260;
/** Width charts are drawn at for printing (A4 / Letter less margins, two columns). */
const PRINT_WIDTH = 330;

export function renderReport(): void {
  const specs = JSON.parse(document.getElementById("lbsim-charts")!.textContent!) as ChartSpec[];
  const charts: { u: UPlot; box: HTMLElement }[] = [];
  document.querySelectorAll<HTMLElement>("[data-chart]").forEach((box) => {
    const spec = specs[Number(box.dataset.chart)];
    if (!spec) return;
    const u = new uPlot(chartOptions(spec, widthOf(box)), chartData(spec), box);
    const canvas = u.root.querySelector("canvas");
    canvas?.setAttribute("role", "img");
    canvas?.setAttribute("aria-label", box.dataset.label ?? spec.title);
    charts.push({ u, box });
  });
  const resizeAll = (width?: number): void => {
    for (const { u, box } of charts) u.setSize({ width: width ?? widthOf(box), height: HEIGHT });
  };
  window.addEventListener("resize", () => resizeAll());
  // A details element prints as it is on screen: open it to print the resolved scenario.
  window.addEventListener("beforeprint", () => resizeAll(PRINT_WIDTH));
  window.addEventListener("afterprint", () => resizeAll());
  document.body.dataset.chartsDrawn = String(charts.length);
}

function widthOf(box: HTMLElement): number {
  return Math.max(280, Math.floor(box.clientWidth || 480));
}

function chartData(spec: ChartSpec): UPlot.AlignedData {
  return [spec.x, ...spec.series.map((s) => s.values)] as unknown as UPlot.AlignedData;
}

function chartOptions(spec: ChartSpec, width: number): UPlot.Options {
  const categories = spec.categories;
  const bars = spec.kind === "bars";
  const fmt = (v: number | null): string => (v === null ? "–" : formatValue(v));
  return {
    width,
    height: HEIGHT,
    scales: {
      x: categories
        ? { time: false, range: () => [-0.5, categories.length - 0.5] }
        : { time: false, distr: spec.xLog ? 3 : 1 },
      y: spec.yRange
        ? { distr: spec.yLog ? 3 : 1, range: () => spec.yRange! }
        : { distr: spec.yLog ? 3 : 1 },
    },
    axes: [
      {
        label: spec.xLabel,
        ...(categories
          ? {
              splits: () => categories.map((_, i) => i),
              values: (u: UPlot, splits: number[]) => {
                // Thinned so that labels never overlap: about 70 CSS pixels each.
                const fit = Math.max(2, Math.floor(u.width / 70));
                const every = Math.max(1, Math.ceil(categories.length / fit));
                return splits.map((i) => (i % every === 0 ? (categories[i] ?? "") : ""));
              },
            }
          : {}),
      },
      {
        label: spec.yLabel,
        size: yAxisSize,
        values: (_u: UPlot, splits: number[]) => splits.map((v) => formatNumber(v)),
      },
    ],
    series: [
      {
        label: spec.xLabel,
        value: (_u: UPlot, v: number | null) =>
          v === null ? "–" : categories ? (categories[v] ?? "") : formatValue(v),
      },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        fill: bars ? s.colour : undefined,
        width: bars ? 0 : 2,
        dash: s.dash ?? undefined,
        paths: bars ? () => null : undefined,
        points: { show: !bars && s.points === true, size: 7, fill: s.colour },
        spanGaps: false,
        value: (_u: UPlot, v: number | null) => fmt(v),
        ...(spec.stepped ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
      })),
    ],
    // The legend names the series (values under the cursor would print as dashes).
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    hooks: {
      drawClear: [(u: UPlot) => drawBands(u, spec)],
      draw: [
        (u: UPlot) => {
          if (bars) drawBars(u, spec);
          if (spec.zeroLine) drawZeroLine(u);
          drawWhiskers(u, spec);
        },
      ],
    },
  } as UPlot.Options;
}

/** Numbers in the legend and on the x axis: lbsim's one formatter. */
function formatValue(v: number): string {
  return formatNumber(v);
}

/**
 * Width of the y axis in CSS pixels: the tick marks, the gap and the widest tick label
 * as drawn, so that the axis title (drawn outside this width) never overlaps the labels
 * (long ones, such as "200,000", did with a fixed width).
 */
function yAxisSize(u: UPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = u.axes[axisIdx] as UPlot.Axis & { _size?: number; font?: unknown };
  // uPlot asks again while it settles the layout; keep the first answer.
  if (cycleNum > 1 && axis._size !== undefined) return axis._size;
  const font = Array.isArray(axis.font) ? String(axis.font[0]) : "12px system-ui, sans-serif";
  u.ctx.save();
  u.ctx.font = font;
  const ratio = window.devicePixelRatio || 1;
  let widest = 0;
  for (const v of values ?? []) widest = Math.max(widest, u.ctx.measureText(v).width / ratio);
  u.ctx.restore();
  const ticks = typeof axis.ticks?.size === "number" ? axis.ticks.size : 10;
  const gap = typeof axis.gap === "number" ? axis.gap : 5;
  return Math.ceil(ticks + gap + widest + 6);
}
