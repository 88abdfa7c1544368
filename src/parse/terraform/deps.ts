// Dependency tracking for incremental builds. Two kinds of dependencies are recorded while a
// build evaluates:
//  - names ("nodes"): a module-level name such as `vpcs|local|x` or `vpcs|res|aws_vpc.a`. While a
//    node's value is computed, every node it reads gets the node as a reader; while a file's
//    resources are mapped, every node read gets the file as a reader. A changed file invalidates
//    the nodes it declares (old and new text) and, through the readers, every file that used them.
//  - collector keys (element ids, aliases, name indexes): their meaning depends on the order in
//    which files are processed (first definition wins, post steps see what exists), so every file
//    touching a key is recomputed together with any other file touching it.

export type NodeKind = 'var' | 'local' | 'res' | 'data' | 'module' | 'output' | 'provider' | 'file';

export function nodeKey(dir: string, kind: NodeKind, name: string): string {
  return `${dir}|${kind}|${name}`;
}

/** The node of a file read as text (`templatefile`): declared by that file, read by whoever reads it. */
export function templateNode(file: string): string {
  return nodeKey('', 'file', file);
}

const FILE = 'f:';
const NODE = 'n:';

/** One member, or several: most nodes and keys have a single reader, and a Set per entry is heavy. */
type Few = string | Set<string>;

function addTo(m: Map<string, Few>, k: string, v: string): void {
  const cur = m.get(k);
  if (cur === undefined) m.set(k, v);
  else if (typeof cur === 'string') {
    if (cur !== v) m.set(k, new Set([cur, v]));
  } else cur.add(v);
}

function members(f: Few | undefined): Iterable<string> {
  return f === undefined ? [] : typeof f === 'string' ? [f] : f;
}

export class DepGraph {
  /** nodeKey -> readers (`f:<file>` or `n:<nodeKey>`). Edges only grow between full builds. */
  private readonly readers = new Map<string, Few>();
  /** key -> files that touched it in their last evaluation. */
  private readonly touchers = new Map<string, Few>();
  /** file -> keys it touched in its last evaluation. */
  readonly fileKeys = new Map<string, Set<string>>();

  /** Files that read (transitively) any of the nodes. */
  readersOf(nodes: Iterable<string>): Set<string> {
    const files = new Set<string>();
    const seen = new Set<string>();
    const queue: string[] = [];
    for (const n of nodes)
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    while (queue.length) {
      const n = queue.pop() as string;
      for (const r of members(this.readers.get(n))) {
        if (r.startsWith(FILE)) files.add(r.slice(FILE.length));
        else {
          const k = r.slice(NODE.length);
          if (!seen.has(k)) {
            seen.add(k);
            queue.push(k);
          }
        }
      }
    }
    return files;
  }

  /** Forgets the keys of a file (before it is recomputed or after it was removed). */
  dropKeys(file: string): void {
    const keys = this.fileKeys.get(file);
    if (!keys) return;
    for (const k of keys) {
      const t = this.touchers.get(k);
      if (t === file) this.touchers.delete(k);
      else if (t !== undefined && typeof t !== 'string') {
        t.delete(file);
        if (t.size === 0) this.touchers.delete(k);
      }
    }
    this.fileKeys.delete(file);
  }

  setKeys(file: string, keys: Set<string>): void {
    this.dropKeys(file);
    this.fileKeys.set(file, keys);
    for (const k of keys) addTo(this.touchers, k, file);
  }

  /** Files that touched a key in their last evaluation. */
  touchersOf(key: string): Iterable<string> {
    return members(this.touchers.get(key));
  }

  addReader(node: string, reader: string): void {
    addTo(this.readers, node, reader);
  }
}

/** Records reads of the build in progress into a graph. */
export class Tracker {
  private readonly stack: string[] = [];
  /** File whose resources (or post steps) are being processed; collector keys are charged to it. */
  currentFile: string | undefined;
  /** Keys touched per file in this build. */
  readonly keys = new Map<string, Set<string>>();

  constructor(readonly graph: DepGraph) {}

  read(node: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined) this.graph.addReader(node, top);
  }

  /** Computes a node's value; reads inside are charged to the node. */
  inNode<T>(node: string, fn: () => T): T {
    this.stack.push(NODE + node);
    try {
      return fn();
    } finally {
      this.stack.pop();
    }
  }

  /** Processes part of a file (mapping a resource, a post step); reads are charged to the file. */
  inFile<T>(file: string, fn: () => T): T {
    const prev = this.currentFile;
    this.stack.push(FILE + file);
    this.currentFile = file;
    try {
      return fn();
    } finally {
      this.stack.pop();
      this.currentFile = prev;
    }
  }

  touch(key: string, file = this.currentFile): void {
    if (file === undefined) return;
    let s = this.keys.get(file);
    if (!s) this.keys.set(file, (s = new Set()));
    s.add(key);
  }
}

/** A Map whose reads and writes are charged, as collector keys, to the file being processed. */
export class TrackedMap<V> extends Map<string, V> {
  constructor(
    private readonly tracker: () => Tracker | undefined,
    private readonly prefix: string,
  ) {
    super();
  }

  override get(k: string): V | undefined {
    this.tracker()?.touch(this.prefix + k);
    return super.get(k);
  }

  override has(k: string): boolean {
    this.tracker()?.touch(this.prefix + k);
    return super.has(k);
  }

  override set(k: string, v: V): this {
    // Map's constructor calls set before the fields exist.
    if (this.prefix !== undefined) this.tracker()?.touch(this.prefix + k);
    return super.set(k, v);
  }
}
