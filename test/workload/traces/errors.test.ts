/**
 * Bad trace input is refused with the file, the line and the column at fault, by the
 * readers and by the scenario loader (before anything runs).
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadScenarioText, ScenarioError } from "../../../src/scenario/load.js";
import { TraceError } from "../../../src/workload/traces/errors.js";
import type { FileRef } from "../../../src/workload/traces/lines.js";
import { readTrace } from "../../../src/workload/traces/load.js";
import { file, read2019, small2019, tmp } from "./helpers.js";

const dir = tmp();
const { inv, dur, mem } = small2019([
  [1, 0, 2],
  [0, 5, 0],
]);
const durations = file(dir, "durations.csv", dur);

function error2019(invocations: string, name = "invocations.csv"): string {
  try {
    read2019({ invocations: file(dir, name, invocations), durations });
  } catch (e) {
    if (e instanceof TraceError) return e.message;
    throw e;
  }
  throw new Error("no error");
}

function errorOf(format: "azure2021" | "lbsim", ref: FileRef): string {
  try {
    readTrace({ format, invocations: ref, selection: { kind: "all" }, memoryMb: 128 });
  } catch (e) {
    if (e instanceof TraceError) return e.message;
    throw e;
  }
  throw new Error("no error");
}

describe("bad Azure 2019 files", () => {
  it("a missing column", () => {
    const noFunction = inv.replace("HashFunction", "Function");
    expect(error2019(noFunction)).toBe(
      'invocations.csv: line 1: no column "HashFunction" (the header has: HashOwner, HashApp, Function, Trigger, 1, 2, 3)',
    );
    const noPercentile = dur.replace("percentile_Average_99", "p99");
    expect(() =>
      read2019({
        invocations: file(dir, "i.csv", inv),
        durations: file(dir, "d.csv", noPercentile),
      }),
    ).toThrow(/^d\.csv: line 1: no column "percentile_Average_99"/);
  });

  it("a non-numeric count", () => {
    const bad = inv.replace("o,a0,f1,http,0,5,0", "o,a0,f1,http,0,five,0");
    expect(error2019(bad)).toBe(
      'invocations.csv: line 3, column 6 (2): expected a count (a non-negative integer), got "five"',
    );
    expect(error2019(inv.replace("o,a0,f0,http,1,", "o,a0,f0,http,-1,"))).toMatch(
      /line 2, column 5 \(1\): expected a count/,
    );
  });

  it("a ragged row", () => {
    expect(error2019(inv.replace("o,a0,f1,http,0,5,0", "o,a0,f1,http,0,5"))).toBe(
      "invocations.csv: line 3, column 7: expected 7 fields (as in the header), got 6",
    );
    expect(error2019(inv.replace("o,a0,f1,http,0,5,0", "o,a0,f1,http,0,5,0,9"))).toMatch(
      /line 3, column 8: expected 7 fields/,
    );
  });

  it("an empty file", () => {
    expect(error2019("")).toBe(
      "invocations.csv: line 1: the file is empty (expected a header line)",
    );
    expect(error2019("\n\n")).toMatch(/line 1: the file is empty/);
  });

  it("a window the file does not hold, a file without minutes, percentiles that decrease", () => {
    expect(() =>
      read2019({ invocations: file(dir, "i.csv", inv), durations }, { minutes: [2, 5] }),
    ).toThrow("i.csv: line 1: no column for minute 4 (the file has minutes 1..3)");
    expect(error2019("HashOwner,HashApp,HashFunction\no,a,f")).toMatch(/line 1: no minute columns/);
    const decreasing = dur.replace("1,2,50,100,150,900,1000", "1,2,50,40,150,900,1000");
    expect(() =>
      read2019({
        invocations: file(dir, "i.csv", inv),
        durations: file(dir, "d2.csv", decreasing),
      }),
    ).toThrow(
      'd2.csv: line 2, column 11 (percentile_Average_50): expected percentiles that do not decrease (percentile_Average_25 is 50), got "40"',
    );
  });

  it("corrupt gzip, and a file that is not there", () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `o,a${i},f,http,${i % 7},${i % 5},${i % 3}`,
    );
    const cut = gzipSync(Buffer.from([inv, ...rows].join("\n"))).subarray(0, 20_000);
    expect(error2019(cut as unknown as string, "cut.csv.gz")).toMatch(
      /^cut\.csv\.gz: line \d+: not valid gzip data/,
    );
    expect(() =>
      read2019({ invocations: { path: `${dir}/none.csv`, file: "none.csv" }, durations }),
    ).toThrow("none.csv: file not found");
  });
});

describe("bad Azure 2021 files", () => {
  const header = "app,func,end_timestamp,duration";
  it("a missing column, a non-numeric time, a ragged row, an empty file", () => {
    expect(errorOf("azure2021", file(dir, "a.csv", "app,func,end,duration\na,f,1,1"))).toMatch(
      /^a\.csv: line 1: no column "end_timestamp"/,
    );
    expect(errorOf("azure2021", file(dir, "b.csv", `${header}\na,f,1.5,0.1\na,f,soon,0.1`))).toBe(
      'b.csv: line 3, column 3 (end_timestamp): expected an end time in seconds, got "soon"',
    );
    expect(errorOf("azure2021", file(dir, "c.csv", `${header}\na,f,1.5,-0.1`))).toBe(
      'c.csv: line 2, column 4 (duration): expected a duration in seconds, got "-0.1"',
    );
    expect(errorOf("azure2021", file(dir, "d.csv", `${header}\na,f,1.5`))).toBe(
      "d.csv: line 2, column 4: expected 4 fields (as in the header), got 3",
    );
    expect(errorOf("azure2021", file(dir, "e.csv", ""))).toBe(
      "e.csv: line 1: the file is empty (expected a header line)",
    );
  });
});

describe("bad lbsim files", () => {
  const good = [
    "lbsim-trace 1 minutes",
    "window 1 3",
    "functions 1",
    "f fn 128 3 k 0:1 1:2",
    "data",
    "c 0 1 +1 2",
    "end 3",
  ];
  const with_ = (i: number, line: string | null) =>
    good.flatMap((l, j) => (j === i ? (line === null ? [] : [line]) : [l])).join("\n");

  it("reads a good one", () => {
    expect(
      readTrace({
        format: "lbsim",
        invocations: file(dir, "ok.lbtrace", good.join("\n")),
        selection: { kind: "all" },
        memoryMb: 1,
      }).invocations,
    ).toBe(3);
  });

  it("names the line and field at fault", () => {
    expect(errorOf("lbsim", file(dir, "a.lbtrace", with_(0, "lbsim-trace 2 minutes")))).toMatch(
      /^a\.lbtrace: line 1, column 2: version 2/,
    );
    expect(errorOf("lbsim", file(dir, "b.lbtrace", with_(5, "c 0 1 x 2")))).toBe(
      'b.lbtrace: line 6, column 4: expected a non-negative integer, got "x"',
    );
    expect(errorOf("lbsim", file(dir, "c.lbtrace", with_(6, null)))).toBe(
      "c.lbtrace: line 6: the file ends without its `end` line (cut short?)",
    );
    expect(errorOf("lbsim", file(dir, "d.lbtrace", with_(5, "c 0 1 +1 2 5")))).toMatch(
      /line 6, column 6: counts run past the window's 3 minutes/,
    );
    expect(errorOf("lbsim", file(dir, "e.lbtrace", with_(3, "f fn 128 4 k 0:1 1:2")))).toMatch(
      /line 6: the counts add up to 3, the function line says 4/,
    );
    expect(errorOf("lbsim", file(dir, "f.lbtrace", ""))).toMatch(
      /^f\.lbtrace: line 1: the file is empty/,
    );
  });
});

describe("through a scenario: an error of the trace file, nothing runs", () => {
  const scenario = (trace: string) => `name: t\nduration: 1min\nworkload:\n  trace:\n${trace}`;

  it("names the trace file (relative to the scenario), its line and its column", () => {
    const d = tmp();
    file(d, "inv.csv", inv.replace("o,a0,f1,http,0,5,0", "o,a0,f1,http,0,5x,0"));
    file(d, "dur.csv", dur);
    file(d, "mem.csv", mem);
    const text = scenario(
      "    format: azure2019\n    invocations: inv.csv\n    durations: dur.csv\n    memory: mem.csv\n",
    );
    let error: unknown;
    try {
      loadScenarioText(text, `${d}/s.yaml`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toBe(
      `${d}/inv.csv: line 3, column 6 (2): expected a count (a non-negative integer), got "5x"`,
    );
  });

  it("checks the fields of workload.trace", () => {
    const problems = (trace: string) => {
      try {
        loadScenarioText(scenario(trace), "s.yaml");
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    };
    expect(problems("    format: azure2019\n    invocations: i.csv\n")).toBe(
      "s.yaml: workload.trace.durations: azure2019 needs a durations file (line 4)",
    );
    expect(problems("    format: azure2021\n    invocations: i.csv\n    memory: m.csv\n")).toMatch(
      /workload\.trace\.memory: only azure2019 has a memory file \(format is azure2021\)/,
    );
    expect(
      problems(
        "    format: lbsim\n    invocations: i\n    topFunctions: 3\n    sampleFunctions: 3\n",
      ),
    ).toMatch(
      /workload\.trace\.sampleFunctions: expected topFunctions or sampleFunctions, not both/,
    );
    expect(problems("    format: lbsim\n    invocations: i\n    minutes: [9, 3]\n")).toMatch(
      /workload\.trace\.minutes: expected \[first, last\] with last >= first/,
    );
    expect(problems("    format: csv\n    invocations: i\n")).toMatch(/workload\.trace\.format/);
    expect(problems("    format: lbsim\n    invocations: nowhere.lbtrace\n")).toBe(
      "nowhere.lbtrace: file not found",
    );
    const d = tmp();
    const quiet = small2019([
      [1, 0],
      [3, 0],
    ]);
    file(d, "i.csv", quiet.inv);
    file(d, "d.csv", quiet.dur);
    expect(
      (() => {
        try {
          loadScenarioText(
            scenario(
              "    format: azure2019\n    invocations: i.csv\n    durations: d.csv\n    minutes: [2, 2]\n",
            ),
            `${d}/s.yaml`,
          );
        } catch (e) {
          return (e as Error).message;
        }
      })(),
    ).toBe(
      `${d}/s.yaml: workload.trace: the trace has no invocation to replay in minutes 2..2 (line 4)`,
    );
  });
});
