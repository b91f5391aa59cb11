/**
 * The scenario's platform sections (SPEC 3): cluster, network, balancer, placement and
 * keep-alive, with the built-in policy names and the limits that keep a typo from
 * exhausting memory. schema.ts puts them together with the workload, faults and the
 * rest into the scenario schema.
 */
import * as z from "zod";
import { distSchema } from "./schema-dist.js";
import {
  countOrUnlimited,
  intBetween,
  memory,
  nonEmptyString,
  policyOptions,
  policyValue,
  positiveNumber,
  time,
  timeOrUnlimited,
  withCommas,
} from "./schema-values.js";
import type { PlacementPolicyName, RoutingPolicyName } from "./types.js";

export const ROUTING_POLICIES = [
  "mru",
  "lru",
  "random",
  "round-robin",
  "least-outstanding",
  "p2c",
] as const satisfies readonly RoutingPolicyName[];

export const PLACEMENT_POLICIES = [
  "random",
  "round-robin",
  "first-fit",
  "best-fit",
  "worst-fit",
  "p2c",
  "consistent-hash",
  "cache-affinity",
] as const satisfies readonly PlacementPolicyName[];

export const KEEPALIVE_POLICIES = ["fixed", "none", "hybrid"] as const;

/**
 * Limits that keep a typo (hostsPerZone: 1e9) from exhausting memory before a run
 * starts; each error names its limit. README "Limits" lists them.
 */
export const MAX_ZONES = 1000;
export const MAX_HOSTS_PER_ZONE = 1_000_000;
export const MAX_PARTITIONS = 100_000;
export const MAX_REPLICAS = 100;
/** Hosts or sandboxes a power-of-d choice samples. */
export const MAX_CHOICES = 1000;

export const clusterSchema = z
  .object({
    zones: z
      .union([intBetween(1, MAX_ZONES), z.array(nonEmptyString()).min(1).max(MAX_ZONES)], {
        error: `expected a number of zones (1 to ${withCommas(MAX_ZONES)}) or a list of zone names`,
      })
      .prefault(1)
      .describe(
        `The availability zones: their names, or a count (3 gives z1, z2, z3); at most ${withCommas(MAX_ZONES)}. Default 1.`,
      ),
    hostsPerZone: intBetween(1, MAX_HOSTS_PER_ZONE)
      .prefault(10)
      .describe(`Worker hosts in each zone, 1 to ${withCommas(MAX_HOSTS_PER_ZONE)}. Default 10.`),
    host: z
      .object({
        memoryMb: memory({ positive: true })
          .prefault(32768)
          .describe(
            "Memory of each host for sandboxes: a number of MB or a size (32GB). Default 32768 (32 GB).",
          ),
        cpus: positiveNumber()
          .prefault(16)
          .describe(
            "vCPUs of each host; busy sandboxes demanding more stretch their executions (cluster.contention). Default 16.",
          ),
        codeCacheMb: memory()
          .prefault(0)
          .describe(
            "Size of each host's cache of code packages (LRU), a number of MB or a size (2GB): a cold start that finds its package cached is faster. Default 0 (no cache: every cold start is uncached).",
          ),
      })
      .strict()
      .prefault({})
      .describe("What every host has (all hosts are alike)."),
    failureDetection: time()
      .prefault("3s")
      .describe(
        "Time until the balancer learns that a host is down and stops routing to it: a duration. Default 3s.",
      ),
    orphanTimeout: time()
      .prefault("15min")
      .describe(
        "A host reclaims a sandbox that no balancer routes to (orphaned, e.g. by a failover without replication) after this idle time: a duration. Default 15min.",
      ),
    contention: z
      .boolean()
      .prefault(true)
      .describe(
        "Whether executions stretch when a host's busy sandboxes demand more vCPUs than it has (processor sharing). Default true.",
      ),
  })
  .strict();

export const networkSchema = z
  .object({
    sameZone: distSchema
      .prefault(0)
      .describe(
        "One-way network latency between a frontend, a balancer node and a host of the same zone: a duration or a distribution. Default 0.",
      ),
    crossZone: distSchema
      .prefault(0)
      .describe("One-way network latency between zones: a duration or a distribution. Default 0."),
    connectTimeout: time()
      .prefault("1s")
      .describe(
        "An attempt sent to an unreachable or crashed peer fails (unreachable) after this: a duration. Default 1s.",
      ),
  })
  .strict();

const routingName = policyValue(ROUTING_POLICIES).describe(
  "mru (most recently used idle sandbox first, as Lambda), lru, random, round-robin, least-outstanding (fewest requests in flight) or p2c (the less loaded of d sampled).",
);

export const balancerSchema = z
  .object({
    partitions: intBetween(1, MAX_PARTITIONS)
      .prefault(1)
      .describe(
        `Balancer partitions, each with its own leader; functions are hashed onto them. 1 to ${withCommas(MAX_PARTITIONS)}; default 1.`,
      ),
    replicas: intBetween(1, MAX_REPLICAS)
      .optional()
      .describe(
        `Nodes per partition (a leader and followers, one per zone in turn), 1 to ${MAX_REPLICAS}. Default 3, or the number of zones if fewer.`,
      ),
    replication: z
      .enum(["none", "async", "sync"])
      .prefault("none")
      .describe(
        "How a leader copies its routing state to followers: none (a new leader starts empty), async (changes of the last replicationLag are lost on failover) or sync (each change waits for a follower's acknowledgement). Default none.",
      ),
    replicationLag: time()
      .prefault("100ms")
      .describe(
        "With async replication, the changes of this last span are lost on failover: a duration. Default 100ms.",
      ),
    serviceTime: time()
      .prefault(0)
      .describe(
        "Time a leader spends on each operation (routing a request, recording a release); it serves them one at a time, FIFO: a duration. Default 0.",
      ),
    routing: z
      .union([
        routingName,
        z
          .object({
            policy: routingName,
            d: intBetween(1, MAX_CHOICES)
              .prefault(2)
              .describe(`Sandboxes p2c samples, 1 to ${withCommas(MAX_CHOICES)}. Default 2.`),
            options: policyOptions()
              .optional()
              .describe("A routing policy module's own options (checked by its `options` schema)."),
          })
          .strict(),
      ])
      .prefault("mru")
      .describe(
        "Which warm sandbox of the function a request goes to: a policy name, or {policy, d}. Default mru (d 2).",
      ),
    overflow: z
      .enum(["throttle", "queue"])
      .prefault("throttle")
      .describe(
        "When no sandbox can take a request and none can be created: throttle (fail it at once, as Lambda) or queue (wait in the partition's queue). Default throttle.",
      ),
    queue: z
      .object({
        maxLength: countOrUnlimited()
          .prefault("unlimited")
          .describe(
            "Requests the partition queue holds at most (overflow: queue); a request beyond fails (capacity). A number or unlimited; default unlimited.",
          ),
        maxWait: timeOrUnlimited()
          .prefault("unlimited")
          .describe(
            "A request queued longer fails (capacity): a duration or unlimited. Default unlimited.",
          ),
      })
      .strict()
      .prefault({})
      .describe("Bounds of each partition's queue (overflow: queue)."),
    failover: z
      .object({
        detection: time()
          .prefault("1s")
          .describe(
            "Time until the followers notice that their leader is down: a duration. Default 1s.",
          ),
        election: time()
          .prefault("300ms")
          .describe(
            "Time the followers then take to elect a new leader: a duration. Default 300ms.",
          ),
      })
      .strict()
      .prefault({})
      .describe("How a partition replaces a crashed leader (requests to it fail meanwhile)."),
  })
  .strict();

const placementName = z.enum(PLACEMENT_POLICIES);

export const placementSchema = z
  .object({
    policy: policyValue(PLACEMENT_POLICIES)
      .prefault("p2c")
      .describe(
        "Which host a new sandbox goes to (a built-in name or a policy module's path: ./, ../ or /): random, round-robin, first-fit, best-fit (least free memory that fits), worst-fit (most), p2c (the emptier of d sampled), consistent-hash (the function's hosts on a ring) or cache-affinity (a host caching the package). Default p2c.",
      ),
    options: policyOptions()
      .optional()
      .describe("A placement policy module's own options (checked by its `options` schema)."),
    d: intBetween(1, MAX_CHOICES)
      .prefault(2)
      .describe(`Hosts p2c samples, 1 to ${withCommas(MAX_CHOICES)}. Default 2.`),
    zoneBalance: z
      .boolean()
      .prefault(false)
      .describe(
        "Pick the zone with the fewest sandboxes of the function first, then a host in it. Default false.",
      ),
    latency: time()
      .prefault(0)
      .describe(
        "Time the placement service takes per decision, added to every cold start: a duration. Default 0.",
      ),
    boundedLoad: z
      .number({ error: "expected a number >= 1" })
      .min(1, { error: "expected a number >= 1" })
      .prefault(1.25)
      .describe(
        "consistent-hash skips hosts whose load is above this many times the mean (consistent hashing with bounded loads), at least 1. Default 1.25.",
      ),
    fallback: placementName
      .prefault("random")
      .describe(
        "The policy cache-affinity uses when no host with room caches the package (not cache-affinity itself). Default random.",
      ),
  })
  .strict();

export const keepAliveSchema = z
  .object({
    policy: policyValue(KEEPALIVE_POLICIES)
      .prefault("fixed")
      .describe(
        "When idle sandboxes are reclaimed (a built-in name or a policy module's path): fixed (after ttl idle), none (at once) or hybrid (the histogram policy of Shahrad et al.: learned pre-warm and keep-alive windows per function). Default fixed.",
      ),
    options: policyOptions()
      .optional()
      .describe("A keep-alive policy module's own options (checked by its `options` schema)."),
    ttl: time()
      .prefault("10min")
      .describe(
        "Idle time before a sandbox is reclaimed (fixed), and hybrid's window for functions it has not learned yet: a duration. Default 10min.",
      ),
  })
  .strict();
