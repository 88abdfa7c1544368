// When the editor re-analyses (issue 17 item 13): a burst of file events (a branch switch rewriting a
// thousand files) becomes one analysis. Pure: the clock is passed in, so the timing is testable.
// Rules: a run starts once events have been quiet for the last event's delay, or at most `maxWaitMs`
// after the burst's first event (a steady stream cannot starve it); runs never overlap; events that
// arrive during a run are gathered and make exactly one more run after it, so the last state is
// always analysed and nothing more is queued.

export interface Timers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What a file event asks for; the last event for a file wins. */
export type FileChange = 'changed' | 'deleted';

/** The events gathered for one run. */
export interface Burst {
  /** Events counted, including repeated ones for the same file. */
  events: number;
  /** The first reasons given (at most MAX_REASONS), for the log. */
  reasons: string[];
  /** Files by key in the order of their last event (a folder deleted then a file created inside it). */
  files: Map<string, FileChange>;
  firstAt: number;
}

export type Phase = 'idle' | 'waiting' | 'running';

export interface CoalescerOptions {
  /** The longest a burst waits for quiet before it is analysed anyway. */
  maxWaitMs: number;
  /** Every phase change and every event while not idle (progress in the editor). */
  onPhase?: (phase: Phase, pending: Burst | undefined, running: Burst | undefined) => void;
  /** A run that failed; later events still run. */
  onError?: (e: unknown) => void;
}

const MAX_REASONS = 5;

export class Coalescer {
  private phase: Phase = 'idle';
  private pending?: Burst;
  private running?: Burst;
  private timer?: unknown;
  private delay = 0;
  private lastAt = 0;
  private idle: (() => void)[] = [];
  private disposed = false;

  constructor(
    private readonly run: (burst: Burst) => Promise<void>,
    private readonly timers: Timers,
    private readonly options: CoalescerOptions,
  ) {}

  /** One event: analyse after `delayMs` of quiet. `file` names a file to re-read or drop in the run. */
  request(delayMs: number, reason: string, file?: { key: string; change: FileChange }): void {
    if (this.disposed) return;
    const now = this.timers.now();
    const b: Burst = (this.pending ??= { events: 0, reasons: [], files: new Map<string, FileChange>(), firstAt: now });
    b.events++;
    if (b.reasons.length < MAX_REASONS) b.reasons.push(reason);
    if (file) {
      // Re-inserted so the map's order is the order of last events.
      b.files.delete(file.key);
      b.files.set(file.key, file.change);
    }
    this.delay = delayMs;
    this.lastAt = now;
    if (this.phase === 'running') {
      // Armed when the run ends: never a second run beside this one.
      this.options.onPhase?.(this.phase, this.pending, this.running);
      return;
    }
    this.arm(now);
    this.setPhase('waiting');
  }

  get state(): Phase {
    return this.phase;
  }

  /** Resolves when nothing is waiting or running. */
  whenIdle(): Promise<void> {
    if (this.phase === 'idle') return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    if (this.phase === 'waiting') this.setPhase('idle');
  }

  private arm(now: number): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    const b = this.pending!;
    // Quiet counts from the last event, also when that was during a run that has just ended.
    const at = Math.min(this.lastAt + this.delay, b.firstAt + this.options.maxWaitMs);
    this.timer = this.timers.set(() => this.fire(), Math.max(0, at - now));
  }

  private fire(): void {
    this.timer = undefined;
    const burst = this.pending;
    this.pending = undefined;
    if (!burst || this.disposed) return;
    this.running = burst;
    this.setPhase('running');
    let p: Promise<void>;
    try {
      p = this.run(burst);
    } catch (e) {
      p = Promise.reject(e);
    }
    void p
      .catch((e: unknown) => this.options.onError?.(e))
      .then(() => {
        this.running = undefined;
        if (this.pending && !this.disposed) {
          this.arm(this.timers.now());
          this.setPhase('waiting');
        } else this.setPhase('idle');
      });
  }

  private setPhase(phase: Phase): void {
    this.phase = phase;
    this.options.onPhase?.(phase, this.pending, this.running);
    if (phase === 'idle') for (const r of this.idle.splice(0)) r();
  }
}
