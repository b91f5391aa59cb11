/** Shared helpers of the scenario tests. */
import { fileURLToPath } from "node:url";
import { ScenarioError } from "../../src/scenario/errors.js";
import { type LoadOptions, loadScenarioText } from "../../src/scenario/load.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** One function, enough for a valid scenario. */
export const MINIMAL = `name: mini
duration: 1min
functions:
  - name: f
    duration: 10ms
    arrivals: { process: poisson, rate: 10/s }
`;

/** The error a load throws; fails the test when it does not throw a ScenarioError. */
export function loadError(
  text: string,
  fileName = "test.yaml",
  options: LoadOptions = {},
): ScenarioError {
  try {
    loadScenarioText(text, fileName, options);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("expected a ScenarioError, but the scenario loaded");
}
