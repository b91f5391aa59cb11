/**
 * `p2c`, the power of d choices (Mitzenmacher): sample d candidates uniformly and
 * independently (with replacement) and take the one with the fewest outstanding
 * requests, ties to the lower sandbox id. O(d) per decision.
 */
import type { SandboxView } from "../views.js";
import { RandomIndex } from "./random.js";
import type { RoutingIndex, RoutingOptions } from "./routing-policy.js";

class PowerOfChoicesIndex extends RandomIndex {
  override pick(): SandboxView | null {
    const items = this.members.items;
    const n = items.length;
    if (n === 0) return null;
    const rng = this.options.rng;
    let best = items[Math.floor(rng() * n)]!;
    for (let i = 1; i < this.options.d; i++) {
      const c = items[Math.floor(rng() * n)]!;
      if (
        c.outstanding < best.outstanding ||
        (c.outstanding === best.outstanding && c.id < best.id)
      )
        best = c;
    }
    return best;
  }
}

export const p2c = (options: RoutingOptions): RoutingIndex => new PowerOfChoicesIndex(options);
