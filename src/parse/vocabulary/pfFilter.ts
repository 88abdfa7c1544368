// What a BSD forwarder's pf (OpenBSD, FreeBSD) does with the internet-bound traffic it forwards, read from the
// pf.conf its bootstrap writes (a heredoc or echo lines to the file pf loads: /etc/pf.conf, `pf_rules=`, `pfctl -f`),
// review s17 R16. pf's words, as its manual gives them:
// - the last matching rule decides, unless a rule is `quick` (the first matching quick rule decides at once); what no
//   rule matches passes. Read as a first-match list: the quick rules in order, then the others from the last;
// - a forwarded packet is filtered twice: `in` on the interface it arrives by, then `out` on the one it leaves by
//   (a one-armed firewall: the same interface); both must pass. A rule without a direction matches both;
// - `block [drop|return...]`, `pass`; `on <if>` / `on { a b }` / `on ! a` (`egress`: the group of the interface the
//   default route leaves by); `inet`/`inet6`; `proto`; `all`, `from <hosts> [port]`, `to <hosts> [port]`; hosts are
//   `any`, addresses, ranges, `{ lists }` (an item may be negated), `<tables>` (defined inline; from a file or filled
//   at run time: not known), `self`, an interface's address, `if:network` (known when the firewall runs), host names
//   (named destinations); `$macros` defined before use are expanded as pf expands them;
// - translation: `nat on <if>` (FreeBSD), `nat-to` (OpenBSD) name the outside interface; after it, out rules see the
//   translated source. `nat pass` skips the out rules; `rdr`, `rdr-to`, `divert-to` hand the flow elsewhere.
// The walk tries every kind of new connection the rules tell apart (sources and destinations they name, ports and
// protocols cut where the rules cut them) from an inside address to an internet one, and says: nothing passes, only
// named destinations, some ports or protocols to any destination, some destinations blocked (a deny-list), every
// destination from some sources only (partial), or everything (open). Anything it cannot decide (a table from a
// file, an anchor, a macro not defined, a match such as `user`, an interface the rules do not tie to a side, a
// heredoc the shell expands) leaves it undecided, naming it: never a guess.
import { coversFamily, NOT_INTERNET_V4, parseCidr, parseIp } from '../../model/cidr';
import type { ForwardVerdict } from './packetFilter';
import { commandWords, writeOf, type ShellScript } from './shell';

type Tri = 'yes' | 'no' | 'maybe';

/** One item of a host list: addresses (IPv4 ranges, host names), the firewall's own, or unknown; maybe negated. */
interface HostItem {
  neg: boolean;
  any?: true;
  ranges: [bigint, bigint][];
  names: string[];
  unknown?: string;
}

/** Port ranges (inclusive), or why they are not known. */
type Ports = [number, number][] | { unknown: string };

interface PfRule {
  kind: 'filter' | 'nat' | 'rdr';
  action: 'pass' | 'block' | 'match';
  dir?: 'in' | 'out';
  quick: boolean;
  on?: { names: string[]; neg: boolean };
  af?: 4 | 6;
  protos?: string[];
  icmpTypes?: string[];
  src?: HostItem[];
  srcPort?: Ports;
  dst?: HostItem[];
  dstPort?: Ports;
  /** A match the walk does not read (`tagged`, `os`, `probability`). */
  narrow?: string;
  /** It matches only the firewall's own sockets (`user`, `group`): never a packet it forwards. */
  local?: true;
  /** `nat pass`, `rdr pass`: the filter rules are skipped for what it translates. */
  natPass?: boolean;
  /** It hands the flow to another address or a local socket (`rdr-to`, `divert-to`). */
  redirects?: string;
  /** It translates the source (`nat-to`, `binat-to`). */
  translates?: boolean;
  text: string;
  at: number;
}

/** One statement of pf.conf: its text (continuations joined, comment dropped) and where it starts in the bootstrap. */
interface Statement {
  text: string;
  at: number;
}

/** What pf.conf says, as read: its rules, the interfaces it names, and why the walk cannot go on when it cannot. */
interface PfConf {
  rules: PfRule[];
  natIfs: Set<string>;
  skip: Set<string>;
  unknown?: { why: string; at?: number };
}

const q = (r: { text: string }) => `\`${r.text.trim().slice(0, 100)}\``;

/** Well-known service names pf reads from /etc/services, as rules write them. */
const SERVICES: Record<string, number> = {
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  http: 80,
  www: 80,
  pop3: 110,
  ntp: 123,
  imap: 143,
  snmp: 161,
  https: 443,
  submission: 587,
  imaps: 993,
  pop3s: 995,
};
const PROTO_NUMBERS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

/** Interface-like words (`em0`, `vtnet1`, `ena0`, `lo0`, `egress`): an address of the firewall itself. */
const IFACE = /^(?:[a-z]+[0-9]+|egress|lo)$/;
const LOOPBACK = /^lo[0-9]*$/;

/** The pf.conf statements a bootstrap gives pf, or why they are not known; undefined when it writes no pf rules at all. */
function pfStatements(sh: ShellScript, text: string): Statement[] | { unknown: string; at?: number } {
  // The file pf loads: /etc/pf.conf unless the bootstrap names another (`pfctl -f f`, `pf_rules=f`).
  const loaded = new Set<string>();
  for (const c of sh.commands) {
    const ws = commandWords(c);
    if (ws[0] === 'pfctl' && !ws.some((w) => /^-[a-zA-Z]*n/.test(w))) {
      const f = ws.findIndex((w) => /^-[a-zA-Z]*f$/.test(w));
      if (f >= 0 && ws[f + 1] !== undefined && !ws.includes('-a')) loaded.add(ws[f + 1]);
    }
  }
  for (const m of sh.code.matchAll(/\bpf_rules=\\?["']?([^\s"'\\]+)/g)) loaded.add(m[1]);
  if (loaded.size === 0) loaded.add('/etc/pf.conf');
  const base = (f: string) => f.replace(/^.*\//, '');
  if (new Set([...loaded].map(base)).size > 1)
    return { unknown: `it loads several pf rule files (${[...loaded].join(', ')}): which decides is not read here` };
  const file = [...loaded][0];
  const isPf = (f: string) => f === file || base(f) === base(file);

  // Writes to that file, in order: heredoc bodies and echo/printf lines.
  const writes: { append: boolean; at: number; pieces: Statement[]; expands?: string }[] = [];
  const opened = new Set<number>();
  for (const h of sh.heredocs) {
    const opener = text.slice(h.command.start, h.command.end);
    opened.add(h.command.start);
    const ws = commandWords(h.command);
    const stdin = ws[0] === 'pfctl' && ws.includes('-') && file === '-';
    const w = writeOf(opener.replace(/<<-?\s*(['"]?)[\w.-]+\1/, ' '));
    if (!stdin && !(w && isPf(w.file))) continue;
    const body = text.slice(h.start, h.end);
    // An unquoted delimiter: the shell expands `$x` (pf's macros too) before pf reads the file.
    const quoted = /<<-?\s*['"]/.test(opener);
    const dollar = quoted ? undefined : /\$[A-Za-z_{(]\w*|`/.exec(body)?.[0];
    writes.push({
      append: w?.append ?? false,
      at: h.command.start,
      pieces: [{ text: body, at: h.start }],
      ...(dollar ? { expands: dollar } : {}),
    });
  }
  for (const c of sh.commands) {
    const ws = commandWords(c);
    if ((ws[0] !== 'echo' && ws[0] !== 'printf') || opened.has(c.start)) continue;
    const raw = text.slice(c.start, c.end);
    const w = writeOf(raw);
    if (!w || !isPf(w.file)) continue;
    const args: string[] = [];
    for (const x of ws.slice(1)) {
      if (x.startsWith('>') || x.startsWith('|')) break;
      if (args.length > 0 || !/^-[neE]+$/.test(x)) args.push(x);
    }
    const line = ws[0] === 'printf' ? args.join(' ').replace(/\\n/g, '\n') : args.join(' ');
    const dollar = /^[^']*\$/.test(raw.replace(/'[^']*'/g, '')) ? /\$\w*/.exec(raw)?.[0] : undefined;
    writes.push({ append: w.append, at: c.start, pieces: [{ text: line, at: c.start }], ...(dollar ? { expands: dollar } : {}) });
  }
  writes.sort((a, b) => a.at - b.at);
  if (file === '-' && writes.length === 0) return { unknown: 'it loads pf rules from its standard input, which is not read here' };
  const last = writes.map((w) => !w.append).lastIndexOf(true);
  if (last < 0)
    return writes.length > 0
      ? {
          unknown: `it appends pf rules to ${file}, which it does not write whole: the rules already there are not in the inputs`,
          at: writes[0].at,
        }
      : { unknown: `its pf rules are in ${file}, which the user data does not write` };
  const used = writes.slice(last);
  const expanded = used.find((w) => w.expands);
  if (expanded)
    return {
      unknown: `the shell expands \`${expanded.expands}\` in what it writes to ${file} (its heredoc delimiter is not quoted): what pf reads is not known here`,
      at: expanded.at,
    };
  return used.flatMap((w) => w.pieces.flatMap((p) => statements(p.text, p.at)));
}

/** The statements of a pf.conf text: comments dropped, `\` continuations and open `{` lists joined. */
function statements(body: string, offset: number): Statement[] {
  const out: Statement[] = [];
  let cur: Statement | undefined;
  let depth = 0;
  let pos = 0;
  for (const raw of body.split('\n')) {
    const lineAt = offset + pos;
    pos += raw.length + 1;
    let line = raw.replace(/\r$/, '');
    const hash = commentAt(line);
    if (hash >= 0) line = line.slice(0, hash);
    const cont = /\\\s*$/.test(line);
    if (cont) line = line.replace(/\\\s*$/, ' ');
    if (line.trim() === '' && !cur) continue;
    const lead = line.length - line.trimStart().length;
    if (!cur) cur = { text: line.trim(), at: lineAt + lead };
    else cur.text += ' ' + line.trim();
    for (const ch of line) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
    if (cont || depth > 0) continue;
    if (cur.text.trim() !== '') out.push(cur);
    cur = undefined;
    depth = 0;
  }
  if (cur && cur.text.trim() !== '') out.push(cur);
  return out;
}

/** Where a comment starts on a line (`#` outside double quotes), or -1. */
function commentAt(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === '#' && !quoted) return i;
  }
  return -1;
}

/** A statement's tokens: words, quoted strings, `{ } ( ) ! -> <table>` and port operators; commas dropped. */
function tokens(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    const two = s.slice(i, i + 2);
    if (c === ' ' || c === '\t' || c === ',' || c === '\r') i++;
    else if (c === '"') {
      const j = s.indexOf('"', i + 1);
      const e = j < 0 ? s.length : j;
      out.push(s.slice(i + 1, e));
      i = e + 1;
    } else if (c === '{' || c === '}' || c === '(' || c === ')') {
      out.push(c);
      i++;
    } else if (two === '->' || two === '!=' || two === '<=' || two === '>=' || two === '<>' || two === '><') {
      out.push(two);
      i += 2;
    } else if (c === '<') {
      const e = s.indexOf('>', i);
      const name = e > i ? s.slice(i + 1, e) : '';
      if (/^[\w.-]+$/.test(name)) {
        out.push(`<${name}>`);
        i = e + 1;
      } else {
        out.push('<');
        i++;
      }
    } else if (c === '>' || c === '!' || c === '=') {
      out.push(c);
      i++;
    } else {
      let j = i;
      while (j < s.length && !' \t,\r"{}()<>!='.includes(s[j]) && s.slice(j, j + 2) !== '->') j++;
      out.push(s.slice(i, j));
      i = j;
    }
  }
  return out;
}

const MACRO = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** `$name` expanded with the macros defined so far (outside quotes); the first one not defined, if any. */
function expand(text: string, macros: ReadonlyMap<string, string>): { text: string; missing?: string } {
  let missing: string | undefined;
  let quoted = false;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (c === '$' && !quoted) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 65));
      if (m) {
        const v = macros.get(m[0]);
        if (v === undefined) missing ??= `$${m[0]}`;
        out += v ?? '';
        i += m[0].length;
        continue;
      }
    }
    out += c;
  }
  return missing ? { text: out, missing } : { text: out };
}

/** Reads pf.conf's statements into rules, tables and interfaces. */
function readPf(stmts: readonly Statement[]): PfConf {
  const conf: PfConf = { rules: [], natIfs: new Set(), skip: new Set() };
  const macros = new Map<string, string>();
  const tables = new Map<string, HostItem>();
  const fail = (why: string, at: number) => {
    conf.unknown ??= { why, at };
  };
  for (const s of stmts) {
    const def = MACRO.exec(s.text);
    if (def && !/^(?:pass|block|match|nat|rdr|binat|table|set|anchor|scrub|antispoof|queue|altq)$/.test(def[1])) {
      const v = expand(def[2], macros);
      if (v.missing) fail(`macro ${def[1]} uses ${v.missing}, which it does not define`, s.at);
      macros.set(def[1], v.text.replace(/"/g, '').trim());
      continue;
    }
    const x = expand(s.text, macros);
    const t = tokens(x.text);
    const head = t[0];
    if (x.missing) {
      fail(`\`${s.text.slice(0, 80)}\` uses ${x.missing}, which the rules do not define`, s.at);
      continue;
    }
    if (head === 'table') {
      const name = (t[1] ?? '').replace(/^<|>$/g, '');
      tables.set(name, tableItem(t.slice(2), name));
      continue;
    }
    if (head === 'set') {
      if (t[1] === 'skip' && t[2] === 'on') for (const n of listOf(t, 3).items) conf.skip.add(n);
      continue;
    }
    if (head === 'scrub' || head === 'altq' || head === 'queue' || head === 'antispoof') continue;
    if (head === 'anchor' || head === 'nat-anchor' || head === 'rdr-anchor' || head === 'binat-anchor' || head === 'load') {
      // ftp-proxy's anchors hold only the rules it adds for the FTP data connections it relays.
      if (/^["']?ftp-proxy\//.test(t[1] ?? '')) continue;
      fail(`${q(s)} loads rules that are not in the inputs`, s.at);
      continue;
    }
    if (head === 'include') {
      fail(`${q(s)} includes a file that is not read here`, s.at);
      continue;
    }
    const r = rule(t, s, tables);
    if (!r) {
      fail(`${q(s)} is not read here`, s.at);
      continue;
    }
    if ('unknown' in r) {
      fail(r.unknown, s.at);
      continue;
    }
    if ((r.kind === 'nat' || r.translates) && r.on && !r.on.neg) for (const n of r.on.names) conf.natIfs.add(n);
    conf.rules.push(r);
  }
  return conf;
}

/** A `{ a b }` list or a single word at t[i]: its items and the index after it. */
function listOf(t: readonly string[], i: number): { items: string[]; next: number } {
  if (t[i] === '{') {
    const items: string[] = [];
    let j = i + 1;
    while (j < t.length && t[j] !== '}') items.push(t[j++]);
    return { items, next: j + 1 };
  }
  return { items: t[i] !== undefined ? [t[i]] : [], next: i + 1 };
}

/** `table <name> [persist] [const] [counters] [file "f"] { addrs }`: its addresses, or why they are not known. */
function tableItem(t: readonly string[], name: string): HostItem {
  const item: HostItem = { neg: false, ranges: [], names: [] };
  const open = t.indexOf('{');
  if (t.includes('file') || open < 0) {
    item.unknown = `table ${name} is ${t.includes('file') ? 'loaded from a file' : 'filled when the firewall runs'}, not in the inputs`;
    return item;
  }
  for (const w of listOf(t, open).items) {
    if (w === '!') {
      item.unknown = `table ${name} excludes addresses (\`!\`), which is not read here`;
      return item;
    }
    const a = address(w);
    if (a === 'other') {
      item.unknown = `table ${name} holds ${w}, which is not read here`;
      return item;
    }
    if (a) item.ranges.push(...a);
    else if (!IFACE.test(w) && w !== 'self') item.names.push(w);
  }
  return item;
}

/** An IPv4 address, CIDR or range as [lo, hi]; [] for IPv6 (no IPv4 flow's); undefined for a word; `other` for forms not read. */
function address(w: string): [bigint, bigint][] | undefined | 'other' {
  const c = parseCidr(w);
  if (c) {
    if (c.family === 6) return [];
    const size = 1n << BigInt(32 - c.prefix);
    return [[c.network, c.network + size - 1n]];
  }
  if (/^[0-9.:/-]+$/.test(w) && /\d/.test(w)) return 'other';
  return undefined;
}

const NEUTRAL_ARG = new Set(['label', 'tag', 'queue', 'rtable', 'max-mss', 'set-tos', 'max-pkt-rate', 'scrub', 'flags']);
const NEUTRAL = new Set(['allow-opts', 'fragment', 'no-df', 'random-id', 'reassemble', 'tcp', 'fastroute', 'sloppy', 'pflow']);
const NARROW = new Set(['tos', 'tagged', 'probability', 'os', 'received-on', 'prio', 'once']);
/** Matches of the socket a packet belongs to: a forwarded packet has none on the firewall. */
const LOCAL = new Set(['user', 'group', 'uid', 'gid']);
const POOL = new Set(['bitmask', 'random', 'source-hash', 'round-robin', 'static-port', 'sticky-address', 'least-states']);

/** One pf rule (filter, nat, rdr, binat) from its tokens; `unknown` when a part of it is not read here. */
function rule(t: readonly string[], s: Statement, tables: ReadonlyMap<string, HostItem>): PfRule | { unknown: string } | undefined {
  let i: number;
  let kind: PfRule['kind'];
  let action: PfRule['action'];
  if (t[0] === 'no' && (t[1] === 'nat' || t[1] === 'rdr' || t[1] === 'binat'))
    return { unknown: `${q(s)} (a translation exception) is not read here` };
  if (t[0] === 'pass' || t[0] === 'block' || t[0] === 'match') {
    kind = 'filter';
    action = t[0];
    i = 1;
    if (action === 'block' && /^(?:drop|return|return-rst|return-icmp|return-icmp6)$/.test(t[i] ?? '')) {
      i++;
      if (t[i] === '(') i = skipGroup(t, i);
    }
  } else if (t[0] === 'nat' || t[0] === 'binat') {
    kind = 'nat';
    action = 'match';
    i = 1;
  } else if (t[0] === 'rdr') {
    kind = 'rdr';
    action = 'match';
    i = 1;
  } else return undefined;
  const r: PfRule = { kind, action, quick: false, text: s.text, at: s.at };
  const narrow = (why: string) => {
    r.narrow ??= why;
  };
  while (i < t.length) {
    const w = t[i];
    if (w === 'in' || w === 'out') {
      r.dir = w;
      i++;
    } else if (w === 'quick') {
      r.quick = true;
      i++;
    } else if (w === 'log') {
      i++;
      if (t[i] === '(') i = skipGroup(t, i);
    } else if (w === 'pass' && kind !== 'filter') {
      r.natPass = true;
      i++;
    } else if (w === 'on') {
      let neg = false;
      i++;
      if (t[i] === '!') {
        neg = true;
        i++;
      }
      if (t[i] === 'rdomain') return { unknown: `${q(s)} matches a routing domain, which is not read here` };
      const l = listOf(t, i);
      r.on = { names: l.items.filter((x) => x !== '!'), neg };
      if (l.items.includes('!')) return { unknown: `${q(s)} negates an interface in a list, which is not read here` };
      i = l.next;
    } else if (w === 'inet' || w === 'inet6') {
      r.af = w === 'inet' ? 4 : 6;
      i++;
    } else if (w === 'proto') {
      const l = listOf(t, i + 1);
      r.protos = l.items.map((p) => PROTO_NUMBERS[p] ?? (p === 'icmp6' ? 'ipv6-icmp' : p.toLowerCase()));
      i = l.next;
    } else if (w === 'all') {
      i++;
    } else if (w === 'from' || w === 'to') {
      const h = hosts(t, i + 1, tables);
      if ('unknown' in h) return { unknown: `${q(s)}: ${h.unknown}` };
      i = h.next;
      if (w === 'from') r.src = h.items;
      else r.dst = h.items;
      if (t[i] === 'port') {
        const p = ports(t, i + 1);
        i = p.next;
        if (w === 'from') r.srcPort = p.ports;
        else r.dstPort = p.ports;
      }
    } else if (w === 'keep' || w === 'modulate' || w === 'synproxy') {
      i += t[i + 1] === 'state' ? 2 : 1;
      if (t[i] === '(') i = skipGroup(t, i);
    } else if (w === 'no' && t[i + 1] === 'state') i += 2;
    else if (w === 'icmp-type' || w === 'icmp6-type') {
      const l = listOf(t, i + 1);
      i = l.next;
      if (t[i] === 'code') return { unknown: `${q(s)} matches an ICMP code, which is not read here` };
      if (w === 'icmp6-type') r.af = 6;
      else r.icmpTypes = l.items;
    } else if (w === 'set' && (t[i + 1] === 'prio' || t[i + 1] === 'tos' || t[i + 1] === 'queue' || t[i + 1] === 'delay')) {
      i += 2;
      i = t[i] === '(' ? skipGroup(t, i) : i + 1;
    } else if (NEUTRAL_ARG.has(w)) {
      i++;
      i = t[i] === '(' ? skipGroup(t, i) : i + 1;
    } else if (NEUTRAL.has(w)) i++;
    else if (w === 'nat-to' || w === 'binat-to' || w === 'route-to' || w === 'reply-to' || w === 'dup-to') {
      if (w === 'nat-to' || w === 'binat-to') r.translates = true;
      i = skipTarget(t, i + 1);
    } else if (w === 'rdr-to' || w === 'divert-to' || w === 'divert-packet' || w === 'af-to' || w === 'divert-reply') {
      r.redirects ??= `${w} hands it elsewhere`;
      i = skipTarget(t, i + 1);
    } else if (LOCAL.has(w)) {
      r.local = true;
      i++;
      i = t[i] === '{' ? skipGroup(t, i) : i + 1;
    } else if (NARROW.has(w)) {
      narrow(`its match \`${w} ${t[i + 1] ?? ''}\` is not read here`);
      i++;
      i = t[i] === '(' || t[i] === '{' ? skipGroup(t, i) : i + 1;
    } else if (w === '->' && kind !== 'filter') break;
    else return { unknown: `${q(s)}: \`${w}\` is not read here` };
  }
  return r;
}

/** The index after a `( ... )` or `{ ... }` group starting at t[i]. */
function skipGroup(t: readonly string[], i: number): number {
  const close = t[i] === '(' ? ')' : '}';
  let depth = 0;
  for (let j = i; j < t.length; j++) {
    if (t[j] === t[i]) depth++;
    else if (t[j] === close && --depth === 0) return j + 1;
  }
  return t.length;
}

/** The index after a translation or routing target (`(em0)`, `{ a b }`, `10.0.0.1 port 8080`, pool options). */
function skipTarget(t: readonly string[], i: number): number {
  i = t[i] === '(' || t[i] === '{' ? skipGroup(t, i) : i + 1;
  if (t[i] === 'port') i = ports(t, i + 1).next;
  while (POOL.has(t[i] ?? '')) i++;
  return i;
}

/** A host list after `from`/`to`: `any`, an item, or `{ items }`; an item may be negated. */
function hosts(
  t: readonly string[],
  i: number,
  tables: ReadonlyMap<string, HostItem>,
): { items: HostItem[] | undefined; next: number } | { unknown: string } {
  if (t[i] === 'any' || t[i] === 'port' || t[i] === undefined) return { items: undefined, next: t[i] === 'any' ? i + 1 : i };
  const items: HostItem[] = [];
  const one = (j: number): number | { unknown: string } => {
    let neg = false;
    if (t[j] === '!') {
      neg = true;
      j++;
    }
    const w = t[j] ?? '';
    const item: HostItem = { neg, ranges: [], names: [] };
    if (w === 'any') item.any = true;
    else if (w === '(') {
      // An interface's address as it changes (`(em0)`, `(em0:network)`): the firewall's own, or its network.
      const end = skipGroup(t, j);
      const inner = t.slice(j + 1, end - 1).join('');
      if (/:(?:network|broadcast|peer)$/.test(inner))
        item.unknown = `${inner} is the network of an interface, known when the firewall runs`;
      items.push(item);
      return end;
    } else if (/^<[\w.-]+>$/.test(w)) {
      const name = w.slice(1, -1);
      const tab = tables.get(name);
      if (!tab) item.unknown = `table ${name} is filled when the firewall runs, not in the inputs`;
      else Object.assign(item, { ...tab, neg });
    } else if (/:(?:network|broadcast|peer)$/.test(w)) item.unknown = `${w} is the network of an interface, known when the firewall runs`;
    else if (w === 'route') return { unknown: `\`${w}\` is not read here` };
    else if (w === 'no-route' || w === 'urpf-failed') {
      // An inside source reaches the firewall by its route back, an internet destination has one: neither matches.
    } else if (w === 'self' || IFACE.test(w.replace(/:0$/, ''))) {
      // The firewall's own addresses: no forwarded flow's.
    } else {
      const a = address(w);
      if (a === 'other') return { unknown: `address ${w} is not read here` };
      if (a) {
        // `a - b`: a range of addresses.
        if (t[j + 1] === '-' || (t[j + 1]?.startsWith('-') && t[j + 1].length > 1))
          return { unknown: `a range of addresses (${w} - ...) is not read here` };
        item.ranges.push(...a);
      } else item.names.push(w);
    }
    items.push(item);
    return j + 1;
  };
  let next: number;
  if (t[i] === '{') {
    let j = i + 1;
    while (j < t.length && t[j] !== '}') {
      const n = one(j);
      if (typeof n !== 'number') return n;
      j = n;
    }
    next = j + 1;
  } else {
    const n = one(i);
    if (typeof n !== 'number') return n;
    next = n;
  }
  // Addresses that together hold every IPv4 address match any.
  const texts = [...new Set(items.flatMap((x) => (x.neg || x.unknown || x.names.length ? ['x'] : x.ranges.map(rangeText))))];
  if (items.length > 0 && texts.every((x) => x !== 'x') && coversFamily(texts, 4)) return { items: undefined, next };
  return { items, next };
}

const rangeText = ([lo, hi]: [bigint, bigint]): string => {
  const size = hi - lo + 1n;
  const prefix = 32 - (size.toString(2).length - 1);
  return `${ipText(lo)}/${prefix}`;
};
const ipText = (v: bigint): string => [24n, 16n, 8n, 0n].map((sh) => String((v >> sh) & 255n)).join('.');

/** A port spec after `port`: `N`, a name, `{ list }`, `op N`, `N:M`, `N >< M`, `N <> M`. */
function ports(t: readonly string[], i: number): { ports: Ports; next: number } {
  const out: [number, number][] = [];
  let unknown: string | undefined;
  const num = (w: string | undefined): number | undefined => {
    if (w === undefined) return undefined;
    if (/^\d+$/.test(w)) return Number(w);
    return SERVICES[w.toLowerCase()];
  };
  const item = (j: number): number => {
    const w = t[j];
    const op = ['=', '!=', '<', '<=', '>', '>='].includes(w ?? '') ? w : undefined;
    if (op) {
      const n = num(t[j + 1]);
      if (n === undefined) unknown ??= `port ${t[j + 1] ?? ''} is not read here`;
      else if (op === '=') out.push([n, n]);
      else if (op === '!=') out.push([0, n - 1], [n + 1, 65535]);
      else if (op === '<') out.push([0, n - 1]);
      else if (op === '<=') out.push([0, n]);
      else if (op === '>') out.push([n + 1, 65535]);
      else out.push([n, 65535]);
      return j + 2;
    }
    const range = /^(\d+):(\d+)$/.exec(w ?? '');
    if (range) {
      out.push([Number(range[1]), Number(range[2])]);
      return j + 1;
    }
    const n = num(w);
    if (n === undefined) {
      unknown ??= `port ${w ?? ''} is not read here`;
      return j + 1;
    }
    if (t[j + 1] === '><' || t[j + 1] === '<>') {
      const m = num(t[j + 2]);
      if (m === undefined) unknown ??= `port ${t[j + 2] ?? ''} is not read here`;
      else if (t[j + 1] === '><') out.push([n + 1, m - 1]);
      else out.push([0, n - 1], [m + 1, 65535]);
      return j + 3;
    }
    out.push([n, n]);
    return j + 1;
  };
  let next: number;
  if (t[i] === '{') {
    let j = i + 1;
    while (j < t.length && t[j] !== '}') j = item(j);
    next = j + 1;
  } else next = item(i);
  return { ports: unknown ? { unknown } : out.filter(([a, b]) => a <= b), next };
}

// --- The walk -----------------------------------------------------------------------------------------------------

/** A kind of new connection: its source, destination and service. */
interface Probe {
  src: bigint;
  dst: { v?: bigint; host?: string };
  proto: string;
  port?: number;
  icmpType?: string;
}

interface Leg {
  dir: 'in' | 'out';
  iface: string;
  outside?: string;
  /** The source is translated before the out rules see it. */
  natted: boolean;
}

type Decision = { r: 'pass' | 'block'; by?: PfRule } | { r: 'undecided'; why: string; at: number };

const and = (a: Tri, b: Tri): Tri => (a === 'no' || b === 'no' ? 'no' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes');
const not = (a: Tri): Tri => (a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'maybe');

function hostMatch(items: HostItem[] | undefined, p: { v?: bigint; host?: string }): { m: Tri; why?: string } {
  if (!items) return { m: 'yes' };
  let m: Tri = 'no';
  let why: string | undefined;
  for (const x of items) {
    let one: Tri;
    if (x.unknown) {
      one = 'maybe';
      why ??= x.unknown;
    } else if (x.any) one = 'yes';
    else if (p.v !== undefined) one = x.ranges.some(([lo, hi]) => p.v! >= lo && p.v! <= hi) ? 'yes' : 'no';
    else one = x.names.includes(p.host ?? '') ? 'yes' : 'no';
    if (x.neg) one = not(one);
    if (one === 'yes') return { m: 'yes' };
    if (one === 'maybe') m = 'maybe';
  }
  return m === 'maybe' ? { m, why: why ?? 'a negated host list' } : { m };
}

function portMatch(spec: Ports, port: number | undefined): { m: Tri; why?: string } {
  if ('unknown' in spec) return { m: 'maybe', why: spec.unknown };
  if (port === undefined) return { m: 'no' };
  return { m: spec.some(([a, b]) => port >= a && port <= b) ? 'yes' : 'no' };
}

/** Whether a rule takes a probe on a leg. */
function matches(r: PfRule, leg: Leg, p: Probe): { m: Tri; why?: string } {
  if ((r.dir && r.dir !== leg.dir) || r.local) return { m: 'no' };
  if (r.af === 6) return { m: 'no' };
  if (r.on) {
    const on = r.on.names.some((n) => n === leg.iface || (n === 'egress' && leg.iface === leg.outside));
    if (on === r.on.neg) return { m: 'no' };
  }
  if (r.protos && !r.protos.includes(p.proto)) return { m: 'no' };
  if (r.icmpTypes && (p.proto !== 'icmp' || !r.icmpTypes.includes(p.icmpType ?? ''))) return { m: 'no' };
  const parts: { m: Tri; why?: string }[] = [];
  if (r.dstPort) parts.push(p.proto === 'tcp' || p.proto === 'udp' ? portMatch(r.dstPort, p.port) : { m: 'no' });
  if (r.srcPort) parts.push(p.proto === 'tcp' || p.proto === 'udp' ? { m: 'maybe', why: 'it matches a source port' } : { m: 'no' });
  if (leg.natted && r.src) parts.push({ m: 'maybe', why: 'it names a source, which the out rules see translated' });
  else parts.push(hostMatch(r.src, { v: p.src }));
  parts.push(hostMatch(r.dst, p.dst));
  if (r.narrow) parts.push({ m: 'maybe', why: r.narrow });
  const m = parts.reduce<Tri>((a, x) => and(a, x.m), 'yes');
  return m === 'maybe' ? { m, why: parts.find((x) => x.m === 'maybe')?.why ?? 'its match is not read here' } : { m };
}

/**
 * What one leg decides for a probe, its rules in first-match order (pre-rules first): walked from the last, so a rule
 * that may match keeps the decision only when it decides the same as what follows it.
 */
function decide(order: readonly { rule: PfRule; act: 'pass' | 'block' | 'unknown' }[], leg: Leg, p: Probe): Decision {
  let d: Decision = { r: 'pass' };
  for (let k = order.length - 1; k >= 0; k--) {
    const { rule, act } = order[k];
    const m = matches(rule, leg, p);
    if (m.m === 'no') continue;
    const mine: Decision =
      act === 'unknown'
        ? { r: 'undecided', why: `${rule.redirects ?? 'it redirects the traffic'} (${q(rule)})`, at: rule.at }
        : { r: act, by: rule };
    if (m.m === 'yes') d = mine;
    else if (!(mine.r !== 'undecided' && d.r === mine.r)) d = { r: 'undecided', why: `${m.why} (${q(rule)})`, at: rule.at };
  }
  return d;
}

/** The rules of each leg in first-match order: pre-rules (redirects in, `nat pass` out), quick rules, the rest reversed. */
function legOrder(rules: readonly PfRule[], dir: 'in' | 'out'): { rule: PfRule; act: 'pass' | 'block' | 'unknown' }[] {
  const pre: { rule: PfRule; act: 'pass' | 'block' | 'unknown' }[] = [];
  for (const r of rules) {
    if (dir === 'in' && (r.kind === 'rdr' || (r.redirects && r.action !== 'block' && r.dir !== 'out')))
      pre.push({ rule: { ...r, dir: 'in' }, act: 'unknown' });
    if (dir === 'out' && r.kind === 'nat' && r.natPass) pre.push({ rule: { ...r, dir: 'out' }, act: 'pass' });
  }
  const filters = rules.filter((r) => r.kind === 'filter' && r.action !== 'match');
  const act = (r: PfRule) => r.action as 'pass' | 'block';
  return [
    ...pre,
    ...filters.filter((r) => r.quick).map((rule) => ({ rule, act: act(rule) })),
    ...filters
      .filter((r) => !r.quick)
      .reverse()
      .map((rule) => ({ rule, act: act(rule) })),
  ];
}

const NOT_INTERNET = NOT_INTERNET_V4.map((c) => address(c) as [bigint, bigint][]);
const internet = (v: bigint) => !NOT_INTERNET.some(([[lo, hi]]) => v >= lo && v <= hi);
const ip = (s: string) => parseIp(s)!.value;
/** Internet addresses to stand for "any other destination", and private ones for "a source no rule names". */
const GENERIC_DST = ['8.8.8.8', '1.1.1.1', '151.101.1.1', '208.67.222.222', '45.60.12.1', '198.41.0.4'].map(ip);
const GENERIC_SRC = ['10.213.7.9', '172.28.9.9', '192.168.213.9', '100.64.9.9'].map(ip);

/** A service the rules tell apart, for the reason. */
interface Service {
  proto: string;
  lo?: number;
  hi?: number;
  icmpType?: string;
}

/** The services the rules tell apart: TCP/UDP ports cut where any rule cuts them, ICMP types, protocols named, the rest. */
function services(rules: readonly PfRule[]): Service[] {
  const cuts = new Set<number>([0, 65536]);
  const types = new Set<string>();
  const protos = new Set<string>();
  for (const r of rules) {
    for (const spec of [r.dstPort, r.srcPort])
      if (spec && !('unknown' in spec))
        for (const [a, b] of spec) {
          cuts.add(a);
          cuts.add(b + 1);
        }
    for (const x of r.icmpTypes ?? []) types.add(x);
    for (const x of r.protos ?? []) if (!['tcp', 'udp', 'icmp', 'ipv6-icmp'].includes(x)) protos.add(x);
  }
  const edges = [...cuts].sort((a, b) => a - b);
  const out: Service[] = [];
  for (const proto of ['tcp', 'udp']) for (let k = 0; k + 1 < edges.length; k++) out.push({ proto, lo: edges[k], hi: edges[k + 1] - 1 });
  for (const x of types) out.push({ proto: 'icmp', icmpType: x });
  out.push({ proto: 'icmp', icmpType: '' });
  for (const x of protos) out.push({ proto: x });
  out.push({ proto: '' });
  return out;
}

/** Services passed, as a reason says them (`TCP 22, 443`, `ICMP`, `UDP 1024-65535`, `other protocols`). */
function serviceText(all: readonly Service[], passed: readonly Service[]): string {
  const parts: string[] = [];
  const protos = [...new Set(all.map((s) => s.proto))];
  for (const proto of protos) {
    const mine = passed.filter((s) => s.proto === proto);
    if (mine.length === 0) continue;
    const name = proto === '' ? 'other protocols' : proto.toUpperCase();
    if (mine.length === all.filter((s) => s.proto === proto).length) {
      parts.push(name);
      continue;
    }
    if (proto === 'icmp') {
      parts.push(`ICMP ${mine.map((s) => s.icmpType || 'other types').join(', ')}`);
      continue;
    }
    // Adjacent port ranges joined.
    const spans: [number, number][] = [];
    for (const s of mine) {
      const last = spans[spans.length - 1];
      if (last && last[1] + 1 === s.lo) last[1] = s.hi!;
      else spans.push([s.lo!, s.hi!]);
    }
    parts.push(`${name} ${spans.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')}`);
  }
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? 'nothing');
}

/** What the rules do with new connections from one source by one inside interface. */
interface Outcome {
  kind: 'open' | 'blocked' | 'allowlist' | 'partial' | 'undecided';
  why: string;
  at?: number;
}

const MAX_PROBES = 40000;

/** The verdict of pf.conf's rules on what the machine forwards (module comment); undefined when the text writes none. */
export function pfForward(sh: ShellScript, text: string): ForwardVerdict {
  const stmts = pfStatements(sh, text);
  if (!Array.isArray(stmts)) return { kind: 'undecided', why: stmts.unknown, ...(stmts.at !== undefined ? { at: stmts.at } : {}) };
  const conf = readPf(stmts);
  if (conf.unknown) return { kind: 'undecided', ...conf.unknown };
  // Tables the bootstrap fills when the firewall runs (`pfctl -t name -T add ...`).
  const filledAt = sh.commands.find((c) => {
    const ws = commandWords(c);
    return ws[0] === 'pfctl' && ws.includes('-T') && !ws.includes('show');
  });
  if (filledAt)
    return {
      kind: 'undecided',
      why: `it changes a pf table when it runs (\`${text.slice(filledAt.start, filledAt.end).trim().slice(0, 80)}\`)`,
      at: filledAt.start,
    };
  const rules = conf.rules;

  // Interfaces: the outside is the one it translates out of; rules may name inside ones.
  const named = new Set<string>();
  for (const r of rules) if (r.kind !== 'nat' && r.on) for (const n of r.on.names) if (!LOOPBACK.test(n)) named.add(n);
  for (const n of conf.skip) if (!LOOPBACK.test(n)) named.add(n);
  const natted = rules.some((r) => r.kind === 'nat' || r.translates);
  let outside: string | undefined;
  let insides: string[];
  let agree = false;
  if (named.size === 0) {
    outside = '*';
    insides = ['*'];
  } else {
    const nat = [...conf.natIfs].filter((n) => !LOOPBACK.test(n));
    outside = nat.length === 1 ? nat[0] : named.has('egress') && nat.length === 0 ? 'egress' : undefined;
    if (outside === undefined) {
      const r = rules.find((x) => x.on && x.on.names.some((n) => !LOOPBACK.test(n)))!;
      return {
        kind: 'undecided',
        why: `${q(r)} matches an interface (${r.on!.names.join(', ')}) that the rules do not tie to the inside or the outside (no NAT rule names the one it translates out of)`,
        at: r.at,
      };
    }
    const others = [...named].filter((n) => n !== outside && n !== 'egress');
    // No inside interface named: one-armed (in and out of the outside one) or an inside one no rule names; both must agree.
    insides = others.length > 0 ? others : [outside, '*inside*'];
    agree = others.length === 0;
  }

  const svcs = services(rules);
  const dstRanges = rules.flatMap((r) => (r.dst ?? []).flatMap((x) => x.ranges));
  const srcRanges = rules.flatMap((r) => (r.src ?? []).flatMap((x) => x.ranges));
  const generic = GENERIC_DST.find((v) => !dstRanges.some(([lo, hi]) => v >= lo && v <= hi));
  if (generic === undefined)
    return { kind: 'undecided', why: 'its pf rules name destinations that leave no internet address unnamed; not walked here' };
  const namedDsts: Probe['dst'][] = [];
  for (const v of new Set(dstRanges.flatMap(([lo, hi]) => [lo, hi]))) if (internet(v)) namedDsts.push({ v });
  for (const host of new Set(rules.flatMap((r) => (r.dst ?? []).flatMap((x) => x.names)))) namedDsts.push({ host });
  const srcs = [
    ...new Set([
      ...srcRanges.flatMap(([lo, hi]) => [lo, hi]),
      ...GENERIC_SRC.filter((v) => !srcRanges.some(([lo, hi]) => v >= lo && v <= hi)).slice(0, 1),
    ]),
  ];
  if (srcs.length * (namedDsts.length + 1) * svcs.length * insides.length > MAX_PROBES)
    return { kind: 'undecided', why: 'its pf rules tell apart too many kinds of traffic to be walked here' };

  const inOrder = legOrder(rules, 'in');
  const outOrder = legOrder(rules, 'out');
  const outLeg: Leg = { dir: 'out', iface: outside, outside, natted };
  const probe = (src: bigint, dst: Probe['dst'], s: Service): Probe => ({
    src,
    dst,
    proto: s.proto,
    ...(s.lo !== undefined ? { port: s.lo } : {}),
    ...(s.icmpType !== undefined ? { icmpType: s.icmpType } : {}),
  });
  const skipped = (iface: string) => conf.skip.has(iface);
  const egress = (leg: Leg, p: Probe): Decision => {
    const a: Decision = skipped(leg.iface) ? { r: 'pass' } : decide(inOrder, leg, p);
    if (a.r === 'block') return a;
    const b: Decision = skipped(outLeg.iface) ? { r: 'pass' } : decide(outOrder, outLeg, p);
    if (b.r === 'block' || a.r === 'undecided') return b.r === 'block' ? b : a;
    if (b.r === 'undecided') return b;
    return { r: 'pass', by: a.by ?? b.by };
  };

  const by = (d: Decision) => ('by' in d && d.by ? q(d.by) : 'no rule: pf passes what no rule matches');
  const at = (d: Decision) => ('by' in d && d.by ? { at: d.by.at } : {});
  const outcome = (inside: string, src: bigint): Outcome => {
    const leg: Leg = { dir: 'in', iface: inside, outside, natted: false };
    const gen = svcs.map((s) => ({ s, d: egress(leg, probe(src, { v: generic }, s)) }));
    const rest = namedDsts.flatMap((dst) => svcs.map((s) => ({ s, d: egress(leg, probe(src, dst, s)) })));
    const undecided = [...gen, ...rest].find((x) => x.d.r === 'undecided');
    if (undecided && undecided.d.r === 'undecided') return { kind: 'undecided', why: undecided.d.why, at: undecided.d.at };
    const passed = gen.filter((x) => x.d.r === 'pass');
    const blocked = gen.filter((x) => x.d.r === 'block');
    if (blocked.length === 0) {
      const denied = rest.find((x) => x.d.r === 'block');
      if (denied)
        return {
          kind: 'partial',
          why: `its pf rules block some destinations (${by(denied.d)}) and pass the rest (${by(passed[0].d)})`,
          ...at(denied.d),
        };
      return { kind: 'open', why: `its pf rules pass every destination (${by(passed[0].d)})`, ...at(passed[0].d) };
    }
    if (passed.length > 0) {
      const passer = passed.find((x) => 'by' in x.d && x.d.by?.dstPort) ?? passed[0];
      const blocker = blocked.find((x) => 'by' in x.d && x.d.by?.dstPort) ?? blocked[0];
      const many = blocked.length < passed.length && blocked.every((x) => x.s.proto === 'tcp' || x.s.proto === 'udp');
      return {
        kind: 'partial',
        why: many
          ? `its pf rules block ${serviceText(
              svcs,
              blocked.map((x) => x.s),
            )} to every destination (${by(blocker.d)}) and pass the rest (${by(passer.d)})`
          : `its pf rules pass ${serviceText(
              svcs,
              passed.map((x) => x.s),
            )} to any destination (${by(passer.d)}) and block the rest (${by(blocked[0].d)})`,
        ...at(many ? blocker.d : blocked[0].d),
      };
    }
    const listed = rest.find((x) => x.d.r === 'pass');
    if (listed)
      return {
        kind: 'allowlist',
        why: `its pf rules pass only named destinations (${by(listed.d)}) and block the rest (${by(blocked[0].d)})`,
        ...at(blocked[0].d),
      };
    return { kind: 'blocked', why: `its pf rules pass nothing bound for the internet (${by(blocked[0].d)})`, ...at(blocked[0].d) };
  };

  // Each inside interface: its sources together; then the interfaces together, or, when which one the flow arrives
  // by is not known (one-armed or an inside one no rule names), they must agree.
  const perInside = insides.map((inside) => together(srcs.map((src) => outcome(inside, src))));
  if (agree && perInside.some((o) => o.kind !== perInside[0].kind)) {
    const other = perInside.find((o) => o.kind !== perInside[0].kind)!;
    return {
      kind: 'undecided',
      why: `whether it forwards in and out of ${outside} (${perInside[0].why}) or by an inside interface no rule names (${other.why}) is not in the inputs`,
    };
  }
  return verdict(together(perInside));
}

/** Outcomes for several sources (or inside interfaces) as one: the same, or some let out where others are not. */
function together(outcomes: readonly Outcome[]): Outcome {
  const undecided = outcomes.find((o) => o.kind === 'undecided');
  if (undecided) return undecided;
  if (outcomes.every((o) => o.kind === outcomes[0].kind)) return outcomes[0];
  if (outcomes.every((o) => o.kind === 'blocked' || o.kind === 'allowlist')) return outcomes.find((o) => o.kind === 'allowlist')!;
  // Some get out to any destination, others are blocked or only partly: it restricts only some of it.
  const open = outcomes.find((o) => o.kind === 'open') ?? outcomes.find((o) => o.kind === 'partial')!;
  const closed = outcomes.find((o) => o.kind !== open.kind)!;
  return {
    kind: 'partial',
    why: `its pf rules decide by source: for some ${open.why.replace(/^its pf rules /, 'they ')}, for others ${closed.why.replace(/^its pf rules /, 'they ')}`,
    ...(closed.at !== undefined ? { at: closed.at } : {}),
  };
}

function verdict(o: Outcome): ForwardVerdict {
  return { kind: o.kind, why: o.why, ...(o.at !== undefined ? { at: o.at } : {}) };
}
