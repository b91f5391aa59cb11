/**
 * A one-node Slurm cluster on this machine, for the end-to-end test of sharded
 * comparisons as a Slurm array job. Everything lives in one temporary directory: the
 * munge key, munged's socket, slurm.conf, the daemons' state, spool, logs and pid
 * files; the ports are free ones picked at start. Nothing of the system's own munge or
 * Slurm set-up is used or touched. Debian's `slurm-wlm` and `munge` packages provide
 * the programs (`.ci/run` installs them). Every command has a time limit.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { delimiter, join } from "node:path";

const PROGRAMS = [
  "munged",
  "mungekey",
  "slurmctld",
  "slurmd",
  "sbatch",
  "sinfo",
  "scontrol",
  "scancel",
];

/** Where each program is, or the names of the missing ones. */
export function findSlurm(): { paths: Record<string, string> } | { missing: string[] } {
  // The daemons are in sbin, which a non-login PATH may lack.
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/sbin", "/usr/bin"];
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of PROGRAMS) {
    const dir = dirs.find((d) => d !== "" && existsSync(join(d, name)));
    if (dir) paths[name] = join(dir, name);
    else missing.push(name);
  }
  return missing.length > 0 ? { missing } : { paths };
}

export interface Cluster {
  readonly dir: string;
  /** The environment for Slurm's client commands (SLURM_CONF set). */
  readonly env: NodeJS.ProcessEnv;
  /** Runs a Slurm client command (by name) with a time limit; throws with its output on failure. */
  run(program: string, args: string[], options?: { cwd?: string; timeoutMs?: number }): string;
  /** What the daemons logged, for a failure message. */
  logs(): string;
  /** Cancels every job, stops the daemons (killing any that do not stop in time), removes the directory. */
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function check(what: string, r: SpawnSyncReturns<string>, logs: () => string): string {
  if (r.error || r.status !== 0)
    throw new Error(
      `${what} failed (${r.error?.message ?? `exit ${r.status}, signal ${r.signal}`}):\n${r.stdout ?? ""}${r.stderr ?? ""}\n${logs()}`,
    );
  return r.stdout;
}

function slurmConf(dir: string, host: string, ports: [number, number]): string {
  return `# A one-node cluster for lbsim's tests (test/support/slurm.ts).
ClusterName=lbsimtest
SlurmctldHost=${host}
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${join(dir, "munge.socket")}
StateSaveLocation=${join(dir, "state")}
SlurmdSpoolDir=${join(dir, "spool")}
SlurmctldPidFile=${join(dir, "slurmctld.pid")}
SlurmdPidFile=${join(dir, "slurmd.pid")}
SlurmctldLogFile=${join(dir, "slurmctld.log")}
SlurmdLogFile=${join(dir, "slurmd.log")}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
InactiveLimit=0
KillWait=5
NodeName=${host} CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pidIn(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** Waits up to `ms` for `pid` to end, then kills it. */
async function ended(pid: number, ms: number): Promise<void> {
  for (let waited = 0; waited < ms && alive(pid); waited += 100) await sleep(100);
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

export async function startCluster(paths: Record<string, string>): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), "lbsim-slurm-"));
  // munged wants its socket's directories open to all, and its key in a private one.
  chmodSync(dir, 0o755);
  const mungeDir = join(dir, "munge");
  mkdirSync(mungeDir, { mode: 0o700 });
  for (const sub of ["state", "spool"]) mkdirSync(join(dir, sub));
  const host = hostname().split(".")[0]!;
  const conf = join(dir, "slurm.conf");
  writeFileSync(conf, slurmConf(dir, host, [await freePort(), await freePort()]));
  const env = { ...process.env, SLURM_CONF: conf };
  const logs = (): string =>
    ["munge/munged.log", "slurmctld.log", "slurmd.log"]
      .map((f) => join(dir, f))
      .filter((f) => existsSync(f))
      .map((f) => `--- ${f}\n${readFileSync(f, "utf8").split("\n").slice(-30).join("\n")}`)
      .join("\n");
  const exec = (program: string, args: string[], timeoutMs = 20_000, cwd?: string): string =>
    check(
      `${program} ${args.join(" ")}`,
      spawnSync(paths[program] ?? program, args, {
        env,
        cwd,
        encoding: "utf8",
        timeout: timeoutMs,
      }),
      logs,
    );

  const cluster: Cluster = {
    dir,
    env,
    run: (program, args, options = {}) =>
      exec(program, args, options.timeoutMs ?? 20_000, options.cwd),
    logs,
    async stop() {
      const pids = ["slurmctld.pid", "slurmd.pid", "munge/munged.pid"].map((f) =>
        pidIn(join(dir, f)),
      );
      const quietly = (program: string, args: string[]): void => {
        spawnSync(paths[program]!, args, { env, timeout: 10_000, stdio: "ignore" });
      };
      quietly("scancel", ["--full", "--user", "root"]);
      quietly("scontrol", ["shutdown"]);
      for (const pid of pids.slice(0, 2)) if (pid) await ended(pid, 10_000);
      const munged = pids[2];
      if (munged && alive(munged)) process.kill(munged, "SIGTERM");
      if (munged) await ended(munged, 5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    exec("mungekey", ["--create", "--keyfile", join(mungeDir, "munge.key")]);
    exec("munged", [
      "--socket",
      join(dir, "munge.socket"),
      "--key-file",
      join(mungeDir, "munge.key"),
      "--log-file",
      join(mungeDir, "munged.log"),
      "--pid-file",
      join(mungeDir, "munged.pid"),
      "--seed-file",
      join(mungeDir, "munged.seed"),
    ]);
    exec("slurmctld", ["-f", conf]);
    exec("slurmd", ["-f", conf]);
    // Ready once the node has registered with the controller and is idle.
    for (let waited = 0; ; waited += 250) {
      const r = spawnSync(paths.sinfo!, ["--noheader", "--format=%T"], {
        env,
        encoding: "utf8",
        timeout: 5_000,
      });
      if (r.status === 0 && r.stdout.trim() === "idle") break;
      if (waited > 30_000)
        throw new Error(
          `the Slurm node did not become idle in 30 s (sinfo: ${r.stdout}${r.stderr})\n${logs()}`,
        );
      await sleep(250);
    }
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
