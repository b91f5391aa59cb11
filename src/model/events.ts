/**
 * Every event of the model, by kind. The world registers these first, in this order,
 * so a kind's number is its enum value, and dispatches them with one switch (direct
 * calls on the hot path); the two numbers an event carries are named beside each kind.
 */
export enum Ev {
  /** a: arrival source. */
  Arrival = 0,
  /** a: attempt. A request reaches its partition's leader. */
  LeaderAcquire,
  /** a: attempt, b: leader term. The leader finished serving the acquire. */
  AcquireDone,
  /** a: attempt. The request reaches its sandbox's host. */
  HostArrive,
  /** a: attempt. */
  ExecEnd,
  /** a: attempt. The answer reaches the client's frontend. */
  Response,
  /** a: sandbox id, b: serial. A release reaches the leader. */
  LeaderRelease,
  /** a: sandbox id, b: serial. The leader finished serving the release. */
  ReleaseDone,
  /** a: attempt. Its sandbox finished initializing. */
  Ready,
  /** a: function. The uniform keep-alive's timer. */
  KeepAlive,
  /** a: function. The oldest request of the overflow queue reached maxWait. */
  QueueTimer,
  /** a: attempt. A retry reaches the client's frontend. */
  Retry,
  /** a: attempt. The client's timeout. */
  Timeout,
  /** a: attempt, b: cause. The sender's connection timed out. */
  FailLater,
  /** a: attempt. The leader's connection to a host timed out. */
  SendFailed,
  /** a: sandbox id, b: serial. A host reclaims an orphan. */
  OrphanReclaim,
  /** a: host, b: the host's down epoch. The balancer learns that a host is down. */
  HostDetected,
  /** a: zone, b: the zone's cut epoch. The balancer learns that a zone is cut off. */
  CutDetected,
  /** a: partition, b: the partition's election number. A new leader is elected. */
  Election,
  /** a: partition, b: replica. A crashed balancer node restarts (empty). */
  NodeRestart,
  /** a: sandbox id, b: serial. An adaptive keep-alive's deadline. */
  KeepAliveExpire,
  /** a: function, b: keep-until time. An adaptive keep-alive's pre-warm. */
  Prewarm,
  /** a: sandbox id, b: serial. A restored provisioned sandbox (minSandboxes) is ready. */
  RestoreMinimum,
}

/** Number of model event kinds (the first kind number left to others). */
export const EVENT_KINDS = Ev.RestoreMinimum + 1;
