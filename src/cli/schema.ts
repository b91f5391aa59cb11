/** `lbsim schema`: the JSON Schema of scenario files, generated from the validator itself. */
import type { Command } from "commander";
import { scenarioJsonSchema } from "../scenario/load.js";

export function register(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of scenario files (for editors)")
    .action(() => {
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });
}
