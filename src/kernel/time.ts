/** Simulated time is an integer number of microseconds, held in a JS number (exact to 2^53). */
export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;

export const msFromUs = (us: number): number => us / US_PER_MS;
export const secondsFromUs = (us: number): number => us / US_PER_S;
export const usFromSeconds = (s: number): number => Math.round(s * US_PER_S);
