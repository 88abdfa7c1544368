// The editor's re-analysis scheduling (issue 17 item 13) on a fake clock: a burst of file events is one
// analysis, runs never overlap, the last state is always analysed, a steady stream cannot starve it.
import * as assert from 'node:assert/strict';
import { Coalescer, type Burst, type Phase, type Timers } from '../../src/reanalysis';

class FakeClock implements Timers {
  t = 0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  set(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.t + ms, fn });
    return id;
  }
  clear(h: unknown): void {
    this.due.delete(h as number);
  }
  get armed(): number {
    return this.due.size;
  }
  /** Moves time on by `ms`, firing due timers in order (and the promise jobs they start). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next || next[1].at > end) break;
      this.due.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

const settle = () => new Promise<void>((r) => setImmediate(r));

/** A run that the test finishes by hand (an analysis that takes a while). */
function harness(maxWaitMs = 5000) {
  const clock = new FakeClock();
  const runs: { burst: Burst; at: number; finish: () => void; fail: (e: Error) => void }[] = [];
  const phases: Phase[] = [];
  const errors: unknown[] = [];
  let active = 0;
  let maxActive = 0;
  const c = new Coalescer(
    (burst) =>
      new Promise<void>((resolve, reject) => {
        active++;
        maxActive = Math.max(maxActive, active);
        const done = () => {
          active--;
          resolve();
        };
        runs.push({ burst, at: clock.t, finish: done, fail: (e) => (active--, reject(e)) });
      }),
    clock,
    { maxWaitMs, onPhase: (p) => phases.push(p), onError: (e) => errors.push(e) },
  );
  return { clock, c, runs, phases, errors, maxActive: () => maxActive };
}

describe('re-analysis scheduling (branch-switch storm)', () => {
  it('a checkout touching 1,000 files, 1 ms apart, is one analysis after the last event and the delay', async () => {
    const h = harness();
    for (let i = 0; i < 1000; i++) {
      h.c.request(250, `changed f${i}.tf`, { key: `f${i % 400}.tf`, change: 'changed' });
      await h.clock.advance(1);
    }
    assert.equal(h.runs.length, 0);
    await h.clock.advance(248);
    assert.equal(h.runs.length, 0, 'not before 250 ms of quiet');
    await h.clock.advance(1);
    assert.equal(h.runs.length, 1);
    assert.equal(h.runs[0].at, 999 + 250);
    assert.equal(h.runs[0].burst.events, 1000);
    assert.equal(h.runs[0].burst.files.size, 400, 'a file touched twice is read once');
    assert.equal(h.runs[0].burst.reasons.length, 5);
    h.runs[0].finish();
    await settle();
    assert.equal(h.c.state, 'idle');
    assert.equal(h.clock.armed, 0);
    await h.clock.advance(10_000);
    assert.equal(h.runs.length, 1, 'nothing more runs');
  });

  it('never runs two analyses at once; the events of a running one make exactly one more run, with all of them', async () => {
    const h = harness();
    h.c.request(250, 'first', { key: 'a.tf', change: 'changed' });
    await h.clock.advance(250);
    assert.equal(h.runs.length, 1);
    // The storm hits while the first analysis is running.
    for (let i = 0; i < 500; i++) {
      h.c.request(250, `storm ${i}`, { key: `s${i}.tf`, change: i % 2 ? 'deleted' : 'changed' });
      await h.clock.advance(2);
    }
    await h.clock.advance(5000);
    assert.equal(h.runs.length, 1, 'nothing starts beside the running analysis');
    assert.equal(h.c.state, 'running');
    h.runs[0].finish();
    await settle();
    // Quiet since long before the end: the follow-up starts at once.
    await h.clock.advance(0);
    assert.equal(h.runs.length, 2);
    assert.equal(h.runs[1].burst.events, 500);
    assert.equal(h.runs[1].burst.files.get('s499.tf'), 'deleted');
    h.runs[1].finish();
    await settle();
    assert.equal(h.maxActive(), 1);
    assert.equal(h.c.state, 'idle');
    await h.clock.advance(10_000);
    assert.equal(h.runs.length, 2);
  });

  it('the last event is always analysed: one arriving as a run ends is in a run that starts after it', async () => {
    const h = harness();
    h.c.request(0, 'a', { key: 'a.tf', change: 'changed' });
    await h.clock.advance(0);
    h.c.request(250, 'b', { key: 'a.tf', change: 'deleted' });
    h.runs[0].finish();
    await settle();
    await h.clock.advance(249);
    assert.equal(h.runs.length, 1, 'still waits for quiet after the run');
    await h.clock.advance(1);
    assert.equal(h.runs.length, 2);
    assert.deepEqual([...h.runs[1].burst.files], [['a.tf', 'deleted']]);
  });

  it('keeps each file at its last event, in the order of last events', async () => {
    const h = harness();
    h.c.request(10, 'x', { key: 'm/a.tf', change: 'changed' });
    h.c.request(10, 'x', { key: 'm', change: 'deleted' });
    h.c.request(10, 'x', { key: 'm/a.tf', change: 'changed' });
    await h.clock.advance(10);
    assert.deepEqual(
      [...h.runs[0].burst.files],
      [
        ['m', 'deleted'],
        ['m/a.tf', 'changed'],
      ],
    );
  });

  it('a steady stream of events cannot starve the analysis: a run at most maxWait after the first event', async () => {
    const h = harness(2000);
    for (let i = 0; i < 100; i++) {
      h.c.request(250, `tick ${i}`);
      await h.clock.advance(100);
      for (const r of h.runs) r.finish();
    }
    // 100 events 100 ms apart never give 250 ms of quiet: one run every 2 s, each with the 20 events since the last.
    assert.deepEqual(
      h.runs.map((r) => [r.at, r.burst.events]),
      [
        [2000, 20],
        [4000, 20],
        [6000, 20],
        [8000, 20],
        [10000, 20],
      ],
    );
    await h.clock.advance(10_000);
    assert.equal(h.runs.length, 5, 'the last event (9,900 ms) was in the last run');
  });

  it('a failed run is reported and later events still run; whenIdle waits for all of it', async () => {
    const h = harness();
    let idle = false;
    h.c.request(5, 'a');
    void h.c.whenIdle().then(() => (idle = true));
    await h.clock.advance(5);
    h.c.request(5, 'b');
    h.runs[0].fail(new Error('boom'));
    await settle();
    assert.equal(h.errors.length, 1);
    assert.equal(idle, false);
    await h.clock.advance(5);
    assert.equal(h.runs.length, 2);
    h.runs[1].finish();
    await settle();
    assert.equal(idle, true);
  });

  it('reports its phases for the progress indicator', async () => {
    const h = harness();
    h.c.request(5, 'a');
    h.c.request(5, 'b');
    await h.clock.advance(5);
    h.runs[0].finish();
    await settle();
    assert.deepEqual(h.phases, ['waiting', 'waiting', 'running', 'idle']);
  });

  it('after dispose nothing runs', async () => {
    const h = harness();
    h.c.request(5, 'a');
    h.c.dispose();
    await h.clock.advance(100);
    assert.equal(h.runs.length, 0);
    assert.equal(h.c.state, 'idle');
  });
});
