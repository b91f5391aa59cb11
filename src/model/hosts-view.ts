/**
 * The read-only view of the hosts (and their code caches) that every placement policy
 * gets, built-in or module (src/policies/views.ts documents each call). The hosts and
 * the caches are held in private fields (`#`), unreachable from outside, and the view
 * is frozen: a policy can read the world but cannot change it.
 */
import type { HostsView } from "../policies/views.js";
import type { CodeCacheView } from "./code-cache.js";
import type { Hosts } from "./hosts.js";

export class HostsReadView implements HostsView {
  readonly #hosts: Hosts;
  readonly #cache: CodeCacheView & { packages?(host: number): number[] };
  readonly count: number;
  readonly zones: number;
  readonly perZone: number;
  readonly memoryMb: number;
  readonly cpus: number;

  constructor(hosts: Hosts, cache: CodeCacheView & { packages?(host: number): number[] }) {
    this.#hosts = hosts;
    this.#cache = cache;
    this.count = hosts.count;
    this.zones = hosts.zones;
    this.perZone = hosts.perZone;
    this.memoryMb = hosts.memoryMb;
    this.cpus = hosts.cpus;
    Object.freeze(this);
  }

  freeMb(h: number): number {
    return this.#hosts.freeMb[h]!;
  }
  up(h: number): boolean {
    return this.#hosts.up[h] === 1;
  }
  room(h: number): number {
    return this.#hosts.freeTree.get(h);
  }
  zoneOf(h: number): number {
    return Math.floor(h / this.perZone);
  }
  sandboxCount(h: number): number {
    return this.#hosts.sandboxCount[h]!;
  }
  maxFree(lo: number, hi: number): number {
    return this.#hosts.freeTree.max(lo, hi);
  }
  argMaxFree(lo: number, hi: number): number {
    const h = this.#hosts.freeTree.argMax(lo, hi);
    return h >= 0 && this.#hosts.up[h] ? h : -1;
  }
  firstFit(lo: number, hi: number, mb: number): number {
    return this.#hosts.freeTree.firstAtLeast(lo, hi, mb);
  }
  bestFit(zone: number, mb: number): number {
    return this.#hosts.bestFit(zone, mb);
  }
  upCount(lo: number, hi: number): number {
    return this.#hosts.upCount(lo, hi);
  }
  upUsedMb(lo: number, hi: number): number {
    return this.#hosts.upUsedMb(lo, hi);
  }
  caches(h: number, fn: number): boolean {
    return this.#cache.holds(h, fn);
  }
  cachedHostCount(fn: number): number {
    return this.#cache.holderCount(fn);
  }
  cachedHost(fn: number, i: number): number {
    return this.#cache.holder(fn, i);
  }
  cachedPackages(h: number): number[] {
    return this.#cache.packages?.(h) ?? [];
  }
}
Object.freeze(HostsReadView.prototype);
