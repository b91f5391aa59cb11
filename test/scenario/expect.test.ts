/** `expect:` at load time: its paths are checked against the summary the scenario will have. */
import { describe, expect, it } from "vitest";
import { loadScenarioText } from "../../src/scenario/load.js";
import { loadError } from "./helpers.js";

const BASE = `name: t
duration: 10s
functions:
  - { name: checkout, duration: 10ms, arrivals: { process: poisson, rate: 10/s } }
faults:
  - { kind: host-crash, at: 5s }
  - { kind: random-host-crashes, mtbf: 1h, repair: 1min }
`;

const withExpect = (lines: string, tail = "") => `${BASE}expect:\n${lines}\n${tail}`;

describe("expect", () => {
  it("resolves to {metric, min, max} with null for a bound not given", () => {
    const s = loadScenarioText(
      withExpect(
        `  - { metric: latencyMs.p99, max: 200 }
  - metric: functions[checkout].coldStartRatio
    min: 0
    max: 0.5
  - { metric: "faults[0].recoverySeconds", max: 10 }`,
      ),
      "t.yaml",
    );
    expect(s.expect).toEqual([
      { metric: "latencyMs.p99", min: null, max: 200 },
      { metric: "functions[checkout].coldStartRatio", min: 0, max: 0.5 },
      { metric: "faults[0].recoverySeconds", min: null, max: 10 },
    ]);
  });

  it("defaults to none", () => {
    expect(loadScenarioText(BASE, "t.yaml").expect).toEqual([]);
  });

  it.each([
    [
      "  - { metric: latencyMs.p95, max: 1 }",
      /expect\[0\]\.metric: no field latencyMs\.p95 in the summary \(did you mean latencyMs\.p90\?\) \(line 9\)/,
    ],
    ["  - { metric: latency.p99, max: 1 }", /did you mean latencyMs\.p99\?/],
    [
      "  - { metric: nothingLikeIt, max: 1 }",
      /no field nothingLikeIt in the summary \(its numbers are under: .*latencyMs/,
    ],
    [
      '  - { metric: "functions[chekout].arrived", max: 1 }',
      /no function "chekout" in the scenario \(did you mean checkout\?\)/,
    ],
    [
      '  - { metric: "faults[1].failedDuring", max: 1 }',
      /no entry faults\[1\] in the summary \(the scenario has 1 scheduled fault\(s\): faults\[0\]; random host crashes have none\)/,
    ],
    ['  - { metric: "faults[0].kind", max: 1 }', /faults\[0\]\.kind is not a number/],
    [
      "  - { metric: latencyMs, max: 1 }",
      /latencyMs is not a number; expected a field inside it, such as latencyMs\.mean/,
    ],
    ['  - { metric: "latencyMs..p99", max: 1 }', /a field name expected at character 11/],
    ["  - { metric: latencyMs.p99 }", /expect\[0\]: expected min, max or both/],
    [
      "  - { metric: latencyMs.p99, min: 2, max: 1 }",
      /expect\[0\]\.max: expected max >= min \(2\), got 1/,
    ],
    [
      "  - { metric: latencyMs.p99, max: 1ms }",
      /expect\[0\]\.max: expected a number \(in the summary's units\), got "1ms"/,
    ],
    [
      "  - { metric: latencyMs.p99, mx: 1 }",
      /expect\[0\]\.mx: unknown field \(did you mean max\?\)/,
    ],
  ])("rejects %s", (line, message) => {
    expect(loadError(withExpect(line)).message).toMatch(message);
  });

  it("a variant's expect replaces the scenario's; a variant without one keeps it", () => {
    const text = withExpect(
      "  - { metric: latencyMs.p99, max: 200 }",
      `variants:
  same: { placement.policy: random }
  own:
    placement.policy: best-fit
    expect: [{ metric: coldStartRatio, max: 0.1 }]
  tighter: { "expect[0].max": 100 }
`,
    );
    const at = (variant: string) => loadScenarioText(text, "t.yaml", { variant }).expect;
    expect(at("same")).toEqual([{ metric: "latencyMs.p99", min: null, max: 200 }]);
    expect(at("own")).toEqual([{ metric: "coldStartRatio", min: null, max: 0.1 }]);
    expect(at("tighter")).toEqual([{ metric: "latencyMs.p99", min: null, max: 100 }]);
  });

  it("a variant's bad expectation is reported where the variant writes it", () => {
    const text = withExpect(
      "  - { metric: latencyMs.p99, max: 200 }",
      `variants:
  own: { expect: [{ metric: latencyMs.p100, max: 1 }] }
`,
    );
    expect(loadError(text).message).toMatch(
      /^test\.yaml: variants\.own\.expect: expect\[0\]\.metric: no field latencyMs\.p100 .*\(line 11\)$/,
    );
  });
});
