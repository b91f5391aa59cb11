/** The closed forms of queueing theory the model is checked against (SPEC 9). */

/** Erlang B blocking probability for c servers and offered load a, by the stable recursion. */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: probability that an arrival waits, c servers, offered load a < c. */
export function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/**
 * Mean time in system of the supermarket model (Mitzenmacher), N -> infinity, in units
 * of the mean execution time: sum over i >= 1 of load^((d^i - d) / (d - 1)); for d = 1
 * the exponent is i - 1 and the sum is the M/M/1 value 1 / (1 - load).
 */
export function supermarketMeanTime(load: number, d: number): number {
  if (d === 1) return 1 / (1 - load);
  let sum = 0;
  for (let i = 1; i < 64; i++) {
    const term = load ** ((d ** i - d) / (d - 1));
    sum += term;
    if (term < 1e-16) break;
  }
  return sum;
}
