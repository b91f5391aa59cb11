#!/usr/bin/python3
"""The `power-of-two` model written the idiomatic SimPy way (SPEC 10).

N servers, each a `simpy.Resource` of capacity 1 (its queue is the FIFO); a source
process creates one process per request at Poisson times (rate load * N per mean
execution time); each request samples `choices` servers uniformly and independently,
joins the one with the fewest outstanding requests (queued + in service, ties to the
lower index), holds it for an exponential execution time and records its time in
system. No network or balancer delay. Same parameters and warmup as
baseline-hand-loop.ts; time is in milliseconds (floats), as SimPy users write it.

Run: /usr/bin/python3 test/bench/simpy_power_of_two.py [requests]   (Debian: python3-simpy3)
Prints one JSON line; the theory comparison goes to stderr.
"""

import json
import random
import sys
import time

import simpy

SERVERS = 100
LOAD = 0.9
MEAN_EXEC_MS = 1.0
CHOICES = 2
SEED = 1
WARMUP_FRACTION = 0.1


class Stats:
    def __init__(self, warmup):
        self.warmup = warmup
        self.total_ms = 0.0
        self.measured = 0


def request(env, index, servers, route_rng, exec_rng, stats):
    arrived = env.now
    best = route_rng.randrange(SERVERS)
    for _ in range(CHOICES - 1):
        other = route_rng.randrange(SERVERS)
        load_best = servers[best].count + len(servers[best].queue)
        load_other = servers[other].count + len(servers[other].queue)
        if load_other < load_best or (load_other == load_best and other < best):
            best = other
    with servers[best].request() as slot:
        yield slot
        yield env.timeout(exec_rng.expovariate(1.0 / MEAN_EXEC_MS))
    if index >= stats.warmup:
        stats.total_ms += env.now - arrived
        stats.measured += 1


def source(env, requests, servers, stats):
    arrival_rng = random.Random(f"{SEED}/arrivals")
    route_rng = random.Random(f"{SEED}/routing")
    exec_rng = random.Random(f"{SEED}/durations")
    rate = LOAD * SERVERS / MEAN_EXEC_MS
    for index in range(requests):
        yield env.timeout(arrival_rng.expovariate(rate))
        env.process(request(env, index, servers, route_rng, exec_rng, stats))


def supermarket_mean_time(load, d):
    """Mitzenmacher, N -> infinity: sum over i >= 1 of load^((d^i - d) / (d - 1))."""
    if d == 1:
        return 1.0 / (1.0 - load)
    return sum(load ** ((d**i - d) / (d - 1)) for i in range(1, 40))


def main():
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    started = time.perf_counter()
    env = simpy.Environment()
    servers = [simpy.Resource(env, capacity=1) for _ in range(SERVERS)]
    stats = Stats(int(requests * WARMUP_FRACTION))
    env.process(source(env, requests, servers, stats))
    env.run()
    wall = time.perf_counter() - started
    mean_ms = stats.total_ms / stats.measured
    print(json.dumps({
        "model": "power-of-two",
        "impl": "simpy",
        "requests": requests,
        "wallSeconds": wall,
        "requestsPerSecond": requests / wall,
        "meanTimeInSystemMs": mean_ms,
    }, separators=(",", ":")))
    theory_ms = supermarket_mean_time(LOAD, CHOICES) * MEAN_EXEC_MS
    print(f"supermarket model (N -> infinity): {theory_ms:.4f} ms; "
          f"measured {100 * (mean_ms / theory_ms - 1):.2f}% off", file=sys.stderr)


if __name__ == "__main__":
    main()
