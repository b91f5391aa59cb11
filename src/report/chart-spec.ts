/**
 * What the page's script draws: every number is computed when the report is generated;
 * the browser only turns these specs into uPlot charts (client/). Shared by both sides
 * as types alone.
 */

export interface SeriesSpec {
  readonly label: string;
  readonly colour: string;
  readonly values: (number | null)[];
  /** Lower and upper ends of each value's 95% confidence interval (whiskers). */
  readonly lo?: (number | null)[];
  readonly hi?: (number | null)[];
  readonly dash?: number[] | null;
  /** Draw a marker at each value (lines with few points). */
  readonly points?: boolean;
  /** Per value: draw the bar pale (a difference whose interval includes 0). */
  readonly pale?: boolean[];
}

/** A shaded span of x (a fault acting), labelled at its top. */
export interface BandSpec {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface ChartSpec {
  /** "lines": x numeric (or categories); "bars": grouped bars, one per series per category. */
  readonly kind: "lines" | "bars";
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xLog?: boolean;
  readonly yLog?: boolean;
  /** x values are indexes into these labels. */
  readonly categories?: string[];
  readonly x: number[];
  readonly series: SeriesSpec[];
  readonly bands?: BandSpec[];
  /** y range when fixed (bars and whiskers include 0 and the intervals). */
  readonly yRange?: [number, number];
  /** Draw the y = 0 line (differences). */
  readonly zeroLine?: boolean;
  /** Draw lines as steps (a CDF between bucket edges). */
  readonly stepped?: boolean;
  /** Bars: the series stack into one bar per category, in series order from 0 up. */
  readonly stacked?: boolean;
}
