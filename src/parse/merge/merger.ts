// The incremental merge engine. FragmentMerger keeps what it worked out per fragment and per id, so
// that after one changed fragment it redoes only what that fragment touches: the ids it defines,
// and the elements whose references look those ids up. What merging means (folding definitions,
// export twins, how missing references are reported) is policy.ts; this file is how to do it
// without starting over. Fragments (and their elements) are treated as immutable once handed
// over: a changed file must come as a new fragment object. mergeFragments is the one-shot form.
// Neither writes to its inputs.
import { isUnresolved, unresolved, type NetworkElement, type Ref, type Route, type SourceLocation, type TgwRoute } from '../../model/types';
import { REF_FIELDS_BY_KIND } from '../../model/refs';
import type { Declaration, InputFormat, ModelFragment } from '../types';
import type { ParseDiagnostic } from '../../model/inputs';
import { sameData, sameList, sameRefs } from './compare';
import {
  declarationBase,
  findExportTwins,
  foldDefinitions,
  hasTwinRole,
  isAddressTarget,
  isCheckedTarget,
  missingReference,
  missingReferenceSeverity,
  unmodelledReason,
  unmodelledReference,
  type Definition,
  type ReferenceSeverity,
} from './policy';

export interface MergeResult {
  /** Sorted by id. An element nothing had to rewrite is the fragment's own object (never modified). */
  elements: NetworkElement[];
  /** Duplicate ids (in file order), then dropped export twins, then missing references (in file order). */
  diagnostics: ParseDiagnostic[];
}

export interface IncrementalMergeResult extends MergeResult {
  /**
   * Ids added, removed, or whose element is not the same object (===) as in the previous update's
   * result; every other id's element is the very object the previous result held. Undefined on
   * the first update (no previous result to compare with).
   */
  changedIds?: Set<string>;
  /** Files of the fragments added or removed (a replaced fragment counts as both) since the previous update. */
  changedFiles: Set<string>;
}

/** Merges fragments in one go (a FragmentMerger used once). */
export function mergeFragments(fragments: ModelFragment[]): MergeResult {
  const { elements, diagnostics } = new FragmentMerger().update(fragments);
  return { elements, diagnostics };
}

/** One element of one fragment: one definition of its id. */
interface Contribution {
  fs: FragState;
  index: number;
  el: NetworkElement;
  st: IdState;
  /** The id's next definition in file order. */
  next: Contribution | undefined;
  /** The duplicate-id warning this definition earned, if any. */
  dup: ParseDiagnostic | undefined;
}

interface FragState {
  frag: ModelFragment;
  /** Position in file order in the current update. */
  rank: number;
  contribs: Contribution[];
  /** Duplicate-id warnings of this fragment's definitions, in element order; rebuilt when dirty. */
  dups: ParseDiagnostic[];
  dupsDirty: boolean;
  /** Missing-reference diagnostics of the ids first defined here, in element order; rebuilt when dirty. */
  refs: ParseDiagnostic[];
  refsDirty: boolean;
}

/** Everything known about one id (or one lookup key: a provider id, a missing reference). */
interface IdState {
  id: string;
  /** Its first definition; the others follow by `next`, in file order (fragment rank, element index). */
  firstDef: Contribution | undefined;
  /** The definitions folded into one (before references are resolved); undefined when none is left. */
  held: NetworkElement | undefined;
  /** With several definitions: the ones `held` was folded from (ignored duplicates left out). */
  used: NetworkElement[] | undefined;
  format: InputFormat;
  file: string;
  /** In the model: held, and not dropped as the export twin of a Terraform definition. */
  present: boolean;
  /** `firstDef` as of the previous update, when present then. */
  prevFirstDef: Contribution | undefined;
  /** The element in the model: `held` with references resolved (`held` itself when nothing changed). */
  out: NetworkElement | undefined;
  /** The `held` that `out` was resolved from. */
  outFrom: NetworkElement | undefined;
  refDiags: ParseDiagnostic[];
  /**
   * Ids whose resolution looked this key up (as an id or as a provider id). May hold stale entries
   * (those are only resolved again for nothing); compacted as it grows.
   */
  dependents: IdState[] | undefined;
  depLimit: number;
  /** The provider id / service name this id is registered under (present elements only). */
  pid: string | undefined;
  svc: string | undefined;
  /** A definition removed in update `removedStamp` (its fragment went or was replaced). */
  removed: Contribution | undefined;
  removedStamp: number;
  /** The update that last queued it for folding / resolving; a scratch mark. */
  foldStamp: number;
  resolveStamp: number;
  mark: number;
}

/**
 * The ids whose resolution looked up a key that nothing defines, when there are several (one is
 * kept as itself). May hold stale entries, like `IdState.dependents`; compacted as it grows.
 */
class WaitList {
  constructor(
    public deps: IdState[],
    public limit = 16,
  ) {}
}

/** One declaration (a resource the model holds no element for) of one fragment. */
interface DeclContribution {
  fs: FragState;
  index: number;
  d: Declaration;
}

/** What one update works out on its way, phase by phase (see FragmentMerger.update). */
interface UpdateContext {
  /** Marks states queued in this update (IdState.foldStamp, resolveStamp, removedStamp). */
  stamp: number;
  /** The update's fragments in file order. */
  ordered: ModelFragment[];
  /** The previous result's elements when this update starts over (fragments reordered). */
  before: NetworkElement[] | undefined;
  /** Every fragment's state, in file order; `added` are the new ones. */
  states: FragState[];
  added: FragState[];
  changedFiles: Set<string>;
  /** Ids whose definitions changed: to fold again. */
  touched: IdState[];
  /** A DCF policy or switch was touched: export twins to work out again. */
  twinsDirty: boolean;
  /** Present ids to resolve again (their element or something they looked up changed). */
  resolve: IdState[];
  /** Ids that left / entered the model. */
  gone: IdState[];
  appeared: IdState[];
  /** Ids whose element is another object; undefined on a full build. */
  changedIds: Set<string> | undefined;
  /** Declaration ids whose declarations changed, with the one references used before the update. */
  declTouched: Map<string, Declaration | undefined>;
}

const NONE: ParseDiagnostic[] = [];
Object.freeze(NONE);

const cmpFile = (a: ModelFragment, b: ModelFragment) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
const cmpContrib = (a: { fs: FragState; index: number }, b: { fs: FragState; index: number }) => a.fs.rank - b.fs.rank || a.index - b.index;
/** The order ids were first defined in (the order the one-shot merge met them). */
const cmpHeld = (a: IdState, b: IdState) => cmpContrib(a.firstDef!, b.firstDef!);

function newState(id: string): IdState {
  return {
    id,
    firstDef: undefined,
    held: undefined,
    used: undefined,
    format: 'aws-cli',
    file: '',
    present: false,
    prevFirstDef: undefined,
    out: undefined,
    outFrom: undefined,
    refDiags: NONE,
    dependents: undefined,
    depLimit: 16,
    pid: undefined,
    svc: undefined,
    removed: undefined,
    removedStamp: 0,
    foldStamp: 0,
    resolveStamp: 0,
    mark: 0,
  };
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s) s.add(v);
  else m.set(k, new Set([v]));
}

function deleteFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s && s.delete(v) && !s.size) m.delete(k);
}

/**
 * Moves an id's entry in a holders index (provider ids, service names) from key `was` to `now`,
 * marking both keys dirty; a holder whose first definition moved re-enters under the same key.
 */
function rehome<V>(
  holders: Map<string, Set<V>>,
  dirty: Set<string>,
  v: V,
  was: string | undefined,
  now: string | undefined,
  moved: boolean,
): string | undefined {
  if (now === was && !(now !== undefined && moved)) return was;
  if (was !== undefined) {
    deleteFrom(holders, was, v);
    dirty.add(was);
  }
  if (now !== undefined) {
    addTo(holders, now, v);
    dirty.add(now);
  }
  return now;
}

/**
 * The merge, kept between calls. `update(fragments)` returns what mergeFragments(fragments) returns
 * (equal elements and diagnostics, in the same order), doing work in proportion to the fragments
 * added or removed since the previous call (compared by object identity) and to what they touch.
 */
export class FragmentMerger {
  private frags = new Map<ModelFragment, FragState>();
  /** Ids, and other keys references looked up (provider ids, missing ids). */
  private ids = new Map<string, IdState>();
  /**
   * Keys references looked up that no id state holds (never defined, or gone with no one left
   * depending on them), with who looked them up. Kept apart from `ids` because a damaged or partial
   * export can make most references missing (a 50 MB export: 634,000 of them): a map entry each,
   * not an IdState and a list. A key moves into `ids` when a fragment defines it.
   */
  private waiting = new Map<string, IdState | WaitList>();
  /** Service name -> ids whose `service` reference looked it up (may be stale, like `dependents`). */
  private svcDependents = new Map<string, IdState[]>();
  /** Provider ids other than the element's own id (an own id is found as an id first anyway). */
  private pidHolders = new Map<string, Set<IdState>>();
  private pidWinner = new Map<string, string>();
  private svcHolders = new Map<string, Set<IdState>>();
  private svcWinner = new Map<string, string>();
  /** Declarations by id, in no order (the one in force is the first in file order: declWinner). */
  private declared = new Map<string, DeclContribution[]>();
  /** Ids holding a DCF policy or the DCF switch from Terraform, a plan or a controller export. */
  private dcf = new Set<IdState>();
  private dropped = new Set<IdState>();
  private twinDiags: ParseDiagnostic[] = [];
  /** The states of the previous result's elements, sorted by id. */
  private sortedStates: IdState[] = [];
  private updates = 0;
  private marks = 0;
  /** Diagnostics of the resolution under way. */
  private diagBuf: ParseDiagnostic[] = [];
  /** The key the previous reference looked up (valid within one update's resolution). */
  private lastRef: unknown;
  /** Its state; undefined when the key is waiting (no state holds it). */
  private lastKey: IdState | undefined;

  update(input: ModelFragment[]): IncrementalMergeResult {
    const ctx = this.begin(input);
    this.removeFragments(ctx);
    this.addFragments(ctx);
    this.foldTouched(ctx);
    this.recomputeTwins(ctx);
    this.updateLookupKeys(ctx);
    this.resolveChanged(ctx);
    const elements = this.assembleModel(ctx);
    const diagnostics = this.collectDiagnostics(ctx);
    return {
      elements,
      diagnostics,
      changedIds: ctx.before ? diffById(ctx.before, elements) : ctx.changedIds,
      changedFiles: ctx.changedFiles,
    };
  }

  /** The update's context: its fragments in file order, and whether it starts over. */
  private begin(input: ModelFragment[]): UpdateContext {
    // The same fragment object twice: the later ones are distinct (never reused) copies.
    const seen = new Set<ModelFragment>();
    const fragments = input.map((f) => (seen.has(f) ? { ...f } : (seen.add(f), f)));
    const ordered = [...fragments].sort(cmpFile);
    // Fragments kept from the previous update must keep their relative order (they do unless
    // two share a file name and swapped places); otherwise start again.
    const first = this.updates === 0;
    let before: NetworkElement[] | undefined;
    let last = -1;
    for (const f of ordered) {
      const s = this.frags.get(f);
      if (!s) continue;
      if (s.rank < last) {
        before = this.sortedStates.map((st) => st.out!);
        this.reset();
        break;
      }
      last = s.rank;
    }
    const full = first || before !== undefined;
    return {
      stamp: ++this.updates,
      ordered,
      before,
      states: [],
      added: [],
      changedFiles: new Set(),
      touched: [],
      twinsDirty: false,
      resolve: [],
      gone: [],
      appeared: [],
      changedIds: full ? undefined : new Set(),
      declTouched: new Map(),
    };
  }

  private queueFold(ctx: UpdateContext, st: IdState): void {
    if (st.foldStamp === ctx.stamp) return;
    st.foldStamp = ctx.stamp;
    ctx.touched.push(st);
  }

  private queueResolve(ctx: UpdateContext, st: IdState): void {
    if (st.resolveStamp === ctx.stamp || !st.present) return;
    st.resolveStamp = ctx.stamp;
    ctx.resolve.push(st);
  }

  /** Definitions of the fragments that are gone (or replaced) go; their ids are touched. */
  private removeFragments(ctx: UpdateContext): void {
    const keep = new Set(ctx.ordered);
    for (const [f, fs] of this.frags) {
      if (keep.has(f)) continue;
      this.frags.delete(f);
      ctx.changedFiles.add(f.file);
      for (const c of fs.contribs) {
        const st = c.st;
        st.removed = c;
        st.removedStamp = ctx.stamp;
        if (st.firstDef === c) st.firstDef = c.next;
        else {
          let p = st.firstDef!;
          while (p.next !== c) p = p.next!;
          p.next = c.next;
        }
        this.queueFold(ctx, st);
      }
      for (const d of f.declared ?? NO_DECLS) {
        this.touchDeclared(ctx, d.id);
        const list = this.declared.get(d.id)!;
        const i = list.findIndex((x) => x.fs === fs);
        if (list.length === 1) this.declared.delete(d.id);
        else list.splice(i, 1);
      }
    }
  }

  /** Notes, before the first change to a declaration id in this update, the declaration in force. */
  private touchDeclared(ctx: UpdateContext, id: string): void {
    if (!ctx.declTouched.has(id)) ctx.declTouched.set(id, this.declWinner(id));
  }

  /** The declaration of an id that references see: the first in file order. */
  private declWinner(id: string): Declaration | undefined {
    const list = this.declared.get(id);
    if (!list) return undefined;
    let best = list[0];
    for (let i = 1; i < list.length; i++) if (cmpContrib(list[i], best) < 0) best = list[i];
    return best.d;
  }

  /** Fragments are ranked in file order; definitions of the new ones come, in file order. */
  private addFragments(ctx: UpdateContext): void {
    const { states, added } = ctx;
    for (const f of ctx.ordered) {
      let fs = this.frags.get(f);
      if (!fs) {
        fs = { frag: f, rank: 0, contribs: [], dups: NONE, dupsDirty: true, refs: NONE, refsDirty: true };
        this.frags.set(f, fs);
        added.push(fs);
        ctx.changedFiles.add(f.file);
      }
      fs.rank = states.length;
      states.push(fs);
    }
    for (const fs of added) {
      const els = fs.frag.elements;
      const contribs = (fs.contribs = new Array<Contribution>(els.length));
      for (let i = 0; i < els.length; i++) {
        let el = els[i];
        let st = this.ids.get(el.id);
        if (!st) {
          st = newState(el.id);
          this.adoptWaiting(st);
          this.ids.set(el.id, st);
        }
        // A file parsed again gives new objects for what did not change: keep the old object when
        // the new one is equal (value and location), so the element stays the same object.
        const r = st.removedStamp === ctx.stamp ? st.removed! : undefined;
        if (r && r.fs.frag.file === fs.frag.file && r.el !== el && sameData(r.el, el)) el = r.el;
        const c: Contribution = { fs, index: i, el, st, next: undefined, dup: undefined };
        contribs[i] = c;
        if (!st.firstDef || cmpContrib(c, st.firstDef) < 0) {
          c.next = st.firstDef;
          st.firstDef = c;
        } else {
          let p = st.firstDef;
          while (p.next && cmpContrib(p.next, c) < 0) p = p.next;
          c.next = p.next;
          p.next = c;
        }
        this.queueFold(ctx, st);
      }
      const decls = fs.frag.declared ?? NO_DECLS;
      for (let i = 0; i < decls.length; i++) {
        const d = decls[i];
        this.touchDeclared(ctx, d.id);
        const c: DeclContribution = { fs, index: i, d };
        const list = this.declared.get(d.id);
        if (list) list.push(c);
        else this.declared.set(d.id, [c]);
      }
    }
  }

  /** Folds each touched id's definitions, as the one-shot merge meets them. */
  private foldTouched(ctx: UpdateContext): void {
    for (const st of ctx.touched) {
      this.fold(st);
      const dcf = hasTwinRole(st.held, st.format);
      if (dcf || (this.dcf.size && this.dcf.has(st))) {
        ctx.twinsDirty = true;
        if (dcf) this.dcf.add(st);
        else this.dcf.delete(st);
      }
    }
  }

  /** Export twins of Terraform DCF policies (few; worked out again whenever one is touched). */
  private recomputeTwins(ctx: UpdateContext): void {
    if (!ctx.twinsDirty) return;
    const before = this.dropped;
    const { dropped, diagnostics } = findExportTwins([...this.dcf].sort(cmpHeld));
    this.dropped = dropped;
    this.twinDiags = diagnostics;
    for (const st of before) if (!dropped.has(st)) this.queueFold(ctx, st);
    for (const st of dropped) if (!before.has(st)) this.queueFold(ctx, st);
  }

  /**
   * Presence, provider ids and service names of the touched ids; the lookup keys whose answer
   * changes queue the ids that looked them up for resolving again.
   */
  private updateLookupKeys(ctx: UpdateContext): void {
    const changedKeys: IdState[] = [];
    /** Waiting keys whose answer changed (a provider id or declaration they may name). */
    const changedWaiting: string[] = [];
    const changedSvcs: string[] = [];
    const dirtyPids = new Set<string>();
    const dirtySvcs = new Set<string>();
    for (const st of ctx.touched) {
      const h = st.held;
      const now = h !== undefined && !this.dropped.has(st);
      const was = st.present;
      const fb = st.prevFirstDef;
      const first = now ? st.firstDef : undefined;
      st.prevFirstDef = first;
      const moved = was && now && fb !== first;
      if (now !== was) {
        changedKeys.push(st);
        st.present = now;
        if (now) ctx.appeared.push(st);
        else ctx.gone.push(st);
      }
      const pid = now && h.providerId && h.providerId !== st.id ? h.providerId : undefined;
      st.pid = rehome(this.pidHolders, dirtyPids, st, st.pid, pid, moved);
      const svc = now && h.kind === 'endpointService' && typeof h.serviceName === 'string' ? h.serviceName : undefined;
      st.svc = rehome(this.svcHolders, dirtySvcs, st, st.svc, svc, moved);
      if (now && st.outFrom !== h) this.queueResolve(ctx, st);
      if (fb !== first) {
        // Its missing-reference diagnostics move (or come, or go) with its first definition.
        if (fb) fb.fs.refsDirty = true;
        if (first) first.fs.refsDirty = true;
      }
    }
    // A reference to a declared id now reads another declaration (or none, or one for the first time).
    for (const [id, was] of ctx.declTouched) {
      if (sameDeclaration(was, this.declWinner(id))) continue;
      const k = this.ids.get(id);
      if (k) changedKeys.push(k);
      else changedWaiting.push(id);
    }
    for (const pid of dirtyPids) {
      const w = this.winner(this.pidHolders.get(pid), -1);
      if (w === this.pidWinner.get(pid)) continue;
      if (w === undefined) this.pidWinner.delete(pid);
      else this.pidWinner.set(pid, w);
      const k = this.ids.get(pid);
      if (k) changedKeys.push(k);
      else changedWaiting.push(pid);
    }
    for (const svc of dirtySvcs) {
      const w = this.winner(this.svcHolders.get(svc), 1);
      if (w === this.svcWinner.get(svc)) continue;
      if (w === undefined) this.svcWinner.delete(svc);
      else this.svcWinner.set(svc, w);
      changedSvcs.push(svc);
    }
    for (const k of changedKeys) for (const st of k.dependents ?? NO_STATES) this.queueResolve(ctx, st);
    for (const k of changedWaiting) {
      const w = this.waiting.get(k);
      if (w instanceof WaitList) for (const st of w.deps) this.queueResolve(ctx, st);
      else if (w) this.queueResolve(ctx, w);
    }
    for (const k of changedSvcs) for (const st of this.svcDependents.get(k) ?? NO_STATES) this.queueResolve(ctx, st);
  }

  /** Resolves references where the element or what it looked up changed. */
  private resolveChanged(ctx: UpdateContext): void {
    this.lastRef = this.lastKey = undefined;
    const changedIds = ctx.changedIds;
    for (const st of ctx.gone) {
      st.out = st.outFrom = undefined;
      st.refDiags = NONE;
      changedIds?.add(st.id);
    }
    for (const st of ctx.resolve) {
      const prevOut = st.out;
      const sameInput = st.outFrom === st.held;
      const out = this.resolveElement(st);
      const diags = this.diagBuf.length ? this.diagBuf.splice(0) : NONE;
      st.outFrom = st.held;
      if (prevOut !== undefined && sameInput && sameRefs(prevOut, out)) continue;
      st.out = out;
      if (diags.length || st.refDiags.length) st.firstDef!.fs.refsDirty = true;
      st.refDiags = diags;
      if (out !== prevOut) changedIds?.add(st.id);
    }
  }

  /**
   * The model: the previous one with the changes applied, still sorted by id. Built from the
   * states, never from the previous result (whoever holds that may reorder it).
   */
  private assembleModel(ctx: UpdateContext): NetworkElement[] {
    let elements: NetworkElement[];
    const { gone, appeared } = ctx;
    if (!gone.length && !appeared.length) {
      const sts = this.sortedStates;
      elements = new Array<NetworkElement>(sts.length);
      for (let i = 0; i < sts.length; i++) elements[i] = sts[i].out!;
    } else {
      const fresh = appeared.sort((a, b) => (a.id < b.id ? -1 : 1));
      const sts: IdState[] = [];
      let j = 0;
      for (const st of this.sortedStates) {
        if (!st.present) continue;
        while (j < fresh.length && fresh[j].id < st.id) sts.push(fresh[j++]);
        sts.push(st);
      }
      while (j < fresh.length) sts.push(fresh[j++]);
      elements = new Array<NetworkElement>(sts.length);
      for (let i = 0; i < sts.length; i++) elements[i] = sts[i].out!;
      this.sortedStates = sts;
    }
    this.lastRef = this.lastKey = undefined;
    for (const st of ctx.touched) if (!st.firstDef && !st.dependents?.length) this.ids.delete(st.id);
    return elements;
  }

  /** Diagnostics in the one-shot order: duplicates, twins, missing references. */
  private collectDiagnostics(ctx: UpdateContext): ParseDiagnostic[] {
    const diagnostics: ParseDiagnostic[] = [];
    for (const fs of ctx.states) {
      if (fs.dupsDirty) {
        fs.dups = [];
        for (const c of fs.contribs) if (c.dup) fs.dups.push(c.dup);
        fs.dupsDirty = false;
      }
      for (const d of fs.dups) diagnostics.push(d);
    }
    for (const d of this.twinDiags) diagnostics.push(d);
    for (const fs of ctx.states) {
      if (fs.refsDirty) {
        fs.refs = [];
        for (const c of fs.contribs) {
          const st = c.st;
          if (st.present && st.firstDef === c) for (const d of st.refDiags) fs.refs.push(d);
        }
        fs.refsDirty = false;
      }
      for (const d of fs.refs) diagnostics.push(d);
    }
    return diagnostics;
  }

  private reset(): void {
    this.frags = new Map();
    this.ids = new Map();
    this.waiting = new Map();
    this.svcDependents = new Map();
    this.pidHolders = new Map();
    this.pidWinner = new Map();
    this.svcHolders = new Map();
    this.svcWinner = new Map();
    this.declared = new Map();
    this.dcf = new Set();
    this.dropped = new Set();
    this.twinDiags = [];
    this.sortedStates = [];
  }

  /** The id's definitions folded in file order (policy.ts); an unchanged fold keeps its object. */
  private fold(st: IdState): void {
    const c0 = st.firstDef;
    if (!c0) {
      st.held = st.used = undefined;
      return;
    }
    setDup(c0, undefined);
    if (!c0.next) {
      // One definition is the element (foldDefinitions would say so, at the cost of a few objects).
      st.held = c0.el;
      st.used = undefined;
      st.format = c0.fs.frag.format;
      st.file = c0.fs.frag.file;
      return;
    }
    const contribs: Contribution[] = [];
    const defs: Definition[] = [];
    for (let c: Contribution | undefined = c0; c; c = c.next) {
      contribs.push(c);
      defs.push({ el: c.el, format: c.fs.frag.format, file: c.fs.frag.file });
    }
    const f = foldDefinitions(defs);
    for (let i = 1; i < contribs.length; i++) setDup(contribs[i], f.dups[i]);
    const used = f.used;
    // The same definitions fold to an equal element: keep the object the model already holds.
    if (used.length === 1) st.held = f.el;
    else if (!st.used || !sameList(st.used, used)) st.held = f.el;
    st.used = used.length === 1 ? undefined : used;
    st.format = f.format;
    st.file = f.file;
  }

  /** The id of the first (dir -1) or last (dir 1) holder in definition order. */
  private winner(holders: Set<IdState> | undefined, dir: -1 | 1): string | undefined {
    let best: IdState | undefined;
    for (const st of holders ?? NO_STATES) if (!best || cmpHeld(st, best) * dir > 0) best = st;
    return best?.id;
  }

  /** Remembers that `st`'s resolution looked `key` up. */
  private depend(key: IdState, st: IdState): void {
    const d = key.dependents;
    if (!d) key.dependents = [st];
    else if (d[d.length - 1] !== st) {
      d.push(st);
      if (d.length > key.depLimit) {
        key.dependents = this.compact(d);
        key.depLimit = Math.max(16, 2 * key.dependents.length);
      }
    }
  }

  /** Remembers that `st`'s resolution looked up `key`, which no state holds. */
  private wait(key: string, st: IdState): void {
    const w = this.waiting.get(key);
    if (w === undefined) this.waiting.set(key, st);
    else if (w instanceof WaitList) {
      const d = w.deps;
      if (d[d.length - 1] === st) return;
      d.push(st);
      if (d.length > w.limit) {
        w.deps = this.compact(d);
        w.limit = Math.max(16, 2 * w.deps.length);
      }
    } else if (w !== st) this.waiting.set(key, new WaitList([w, st]));
  }

  /** A state made for a key that was waiting takes over who looked it up. */
  private adoptWaiting(st: IdState): void {
    const w = this.waiting.get(st.id);
    if (w === undefined) return;
    this.waiting.delete(st.id);
    if (w instanceof WaitList) {
      st.dependents = w.deps;
      st.depLimit = w.limit;
    } else st.dependents = [w];
  }

  /** A dependents list without repeats and without ids no longer in the model. */
  private compact(d: IdState[]): IdState[] {
    const mark = ++this.marks;
    const out: IdState[] = [];
    for (const s of d) {
      if (!s.present || s.mark === mark) continue;
      s.mark = mark;
      out.push(s);
    }
    return out;
  }

  private check(st: IdState, ref: Ref, owner: string, field: string, loc: SourceLocation, severity: ReferenceSeverity = 'warning'): Ref {
    if (isUnresolved(ref)) {
      // A service given by name resolves when the provider side is in the inputs.
      if (field !== 'service') return ref;
      const d = this.svcDependents.get(ref.text);
      if (!d) this.svcDependents.set(ref.text, [st]);
      else if (d[d.length - 1] !== st) d.push(st);
      return this.svcWinner.get(ref.text) ?? ref;
    }
    // Consecutive references often name the same id (route tables: many routes to one TGW).
    if (ref !== this.lastRef) {
      this.lastRef = ref;
      this.lastKey = this.ids.get(ref);
    }
    const key = this.lastKey;
    if (key) {
      this.depend(key, st);
      if (key.present) return ref;
    } else this.wait(ref, st);
    const viaProvider = this.pidWinner.get(ref);
    if (viaProvider) return viaProvider;
    const decl = this.declaredAs(ref, st);
    if (decl) {
      this.diagBuf.push(unmodelledReference(owner, field, ref, loc, decl));
      return unresolved(ref, unmodelledReason(decl));
    }
    this.diagBuf.push(missingReference(owner, field, ref, loc, severity));
    return unresolved(ref, 'not defined in the workspace');
  }

  /**
   * The declaration a missing reference names: its own id's, else (`aws_lb.web[0]`) the one of its
   * id without the instance key, which `st` then depends on too.
   */
  private declaredAs(ref: string, st: IdState): Declaration | undefined {
    const own = this.declWinner(ref);
    if (own) return own;
    const base = declarationBase(ref);
    if (base === undefined) return undefined;
    const key = this.ids.get(base);
    if (key) this.depend(key, st);
    else this.wait(base, st);
    return this.declWinner(base);
  }

  /**
   * `held` with its references checked against the model: an id stays, a provider id becomes the
   * element's id, a service name becomes the endpoint service's id, anything else becomes
   * Unresolved with a located diagnostic (in diagBuf). Copy on write: `held` itself when nothing changes.
   */
  private resolveElement(st: IdState): NetworkElement {
    const e = st.held!;
    const rec = e as unknown as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    const spec = REF_FIELDS_BY_KIND[e.kind];
    if (spec?.one) {
      for (const f of spec.one) {
        const v = rec[f];
        if (v === undefined) continue;
        const r = this.check(st, v as Ref, e.id, f, e.loc, missingReferenceSeverity(e.kind, f));
        if (r !== v) (out ??= { ...rec })[f] = r;
      }
    }
    if (spec?.many) {
      for (const f of spec.many) {
        const v = rec[f];
        if (!Array.isArray(v)) continue;
        let list: unknown[] | undefined;
        for (let i = 0; i < v.length; i++) {
          if (!(i in v)) continue;
          const r = v[i] as Ref;
          const x = isAddressTarget(f, r) ? r : this.check(st, r, e.id, f, e.loc);
          if (x !== r) (list ??= v.slice())[i] = x;
        }
        if (list) (out ??= { ...rec })[f] = list;
      }
    }
    if (e.kind === 'routeTable') {
      const rs = e.routes;
      let routes: Route[] | undefined;
      for (let i = 0; i < rs.length; i++) {
        const r = this.checkRoute(st, rs[i]);
        if (r !== rs[i]) (routes ??= rs.slice())[i] = r;
      }
      if (routes) (out ??= { ...rec }).routes = routes;
    } else if (e.kind === 'tgwRouteTable') {
      const rs = e.routes;
      let routes: TgwRoute[] | undefined;
      for (let i = 0; i < rs.length; i++) {
        const r = rs[i];
        if (r.attachment === undefined) continue;
        const a = this.check(st, r.attachment, r.id, 'attachment', r.loc);
        if (a !== r.attachment) (routes ??= rs.slice())[i] = { ...r, attachment: a };
      }
      if (routes) (out ??= { ...rec }).routes = routes;
    }
    return (out as unknown as NetworkElement | undefined) ?? e;
  }

  private checkRoute(st: IdState, r: Route): Route {
    let target = r.target;
    let destination = r.destination;
    if (isCheckedTarget(target)) {
      const ref = this.check(st, target.ref!, r.id, 'target', r.loc);
      if (ref !== target.ref) target = { ...target, ref };
    }
    if ('prefixList' in destination) {
      const pl = this.check(st, destination.prefixList, r.id, 'destination', r.loc, missingReferenceSeverity('route', 'destination'));
      if (pl !== destination.prefixList || Object.keys(destination).length !== 1) destination = { prefixList: pl };
    }
    return target === r.target && destination === r.destination ? r : { ...r, target, destination };
  }
}

const NO_STATES: IdState[] = [];
const NO_DECLS: Declaration[] = [];

/** Two declarations a reference reads the same (the diagnostic and reason name file, line and type). */
function sameDeclaration(a: Declaration | undefined, b: Declaration | undefined): boolean {
  return (
    a === b ||
    (a !== undefined &&
      b !== undefined &&
      a.type === b.type &&
      a.loc.file === b.loc.file &&
      a.loc.range.start.line === b.loc.range.start.line)
  );
}

/** Ids added, removed or given another object between two results (after a full rebuild). */
function diffById(before: NetworkElement[], after: NetworkElement[]): Set<string> {
  const changed = new Set<string>();
  const old = new Map(before.map((e) => [e.id, e]));
  for (const e of after) if (old.get(e.id) !== e) changed.add(e.id);
  const now = new Set(after.map((e) => e.id));
  for (const e of before) if (!now.has(e.id)) changed.add(e.id);
  return changed;
}

function setDup(c: Contribution, dup: ParseDiagnostic | undefined): void {
  if (c.dup === undefined && dup === undefined) return;
  c.dup = dup;
  c.fs.dupsDirty = true;
}
