// What a Linux forwarder's packet filter does with the internet-bound traffic it forwards, read from the commands of
// its bootstrap (vocabulary/shell.ts): iptables (and its rules written by firewalld `--direct`, or an iptables-save
// file the bootstrap writes), ufw's `route` rules and its routed policy, nftables chains hooked on forward
// (review s16 R1, R19). Rules are walked in order as the kernel does for a new connection from an inside address to
// an internet one; the first that takes every such connection decides, else the chain's policy:
// - open: everything is accepted (FORWARD ACCEPT, `ufw default allow routed`, no drop that takes egress): it filters
//   nothing of what it forwards (with MASQUERADE, a NAT instance);
// - blocked / allowlist: nothing internet-bound is accepted, or only to named addresses, the rest dropped;
// - partial: some ports or protocols accepted to any address, some dropped and the rest accepted (a deny-list), or
//   everything accepted from some sources only (which the paths' sources are is not known here);
// - undecided: a rule whose match is not known (a variable, a negation, a module not read here, a user chain).
// Reply traffic (`--state ESTABLISHED,RELATED`), rules whose destination is private space, and, on a machine whose
// rules name an inside interface forwarding out of its NAT's outside one, what comes in on that outside interface, do
// not take egress. INPUT and OUTPUT (ufw's incoming and outgoing) guard the machine itself, never what it forwards.
import { parseCidr, cidrContains, coversFamily } from '../../model/cidr';
import { commandWords, type ShellCommand, type ShellScript } from './shell';

/** One rule of a forwarding chain, reduced to what decides egress. */
export interface ForwardRule {
  action: 'accept' | 'drop' | 'skip' | 'return' | { unknown: string };
  src?: string[];
  dst?: string[];
  /** It names a protocol or port (what it takes is some services). */
  service?: string;
  /** Connection states it takes (`ESTABLISHED,RELATED`); absent: all. */
  states?: string[];
  in?: string;
  out?: string;
  /** A match the walk cannot tell (a negation, a module, a variable): why. */
  undecided?: string;
  /** The command, as written (for reasons), and where it starts in the text. */
  text: string;
  at: number;
}

export interface ForwardChain {
  /** The tool, as a reason names it (`iptables`, `ufw`, `nftables`). */
  tool: string;
  rules: ForwardRule[];
  policy: 'accept' | 'drop';
  /** Where the policy is set, when a command sets it. */
  policyText?: string;
  policyAt?: number;
  /** Why the chain cannot be read whole (rules deleted or replaced, a user chain, a file loaded from elsewhere). */
  unknown?: string;
}

export type ForwardVerdict =
  | { kind: 'open'; why: string; at?: number }
  | { kind: 'blocked' | 'allowlist' | 'partial'; why: string; at?: number }
  | { kind: 'undecided'; why: string; at?: number };

/** One iptables command (or a firewalld direct rule, an iptables-save line) of a bootstrap. */
export interface IptablesRule {
  family: 4 | 6;
  table: string;
  op: string;
  chain: string;
  /** `-I CHAIN n`: the position. */
  position?: number;
  target?: string;
  in?: string;
  out?: string;
  src?: string;
  dst?: string;
  proto?: string;
  dport?: string;
  states?: string;
  /** Matches not read here (a module's options, a negation), as written. */
  other: string[];
  /** Words other than the table, operation, chain, interfaces and target (matches, negations, options). */
  more: number;
  line: string;
  at: number;
}

const OP = /^-[AIPNDRFXZ]$|^--(?:append|insert|policy|new-chain|delete|replace|flush|delete-chain)$/;
const SHORT_OP: Record<string, string> = {
  '--append': '-A',
  '--insert': '-I',
  '--policy': '-P',
  '--new-chain': '-N',
  '--delete': '-D',
  '--replace': '-R',
  '--flush': '-F',
  '--delete-chain': '-X',
};
/** Options whose value is read; every other option word counts as a match not read here. */
const IGNORED = new Set(['--comment', '-w', '--wait', '-v', '--verbose', '-n', '--numeric']);

/** Match options whose value the walk reads, by the field it goes to. */
const VALUED: Record<string, 'src' | 'dst' | 'proto' | 'dport' | 'states'> = {
  '-s': 'src',
  '--source': 'src',
  '--src': 'src',
  '-d': 'dst',
  '--destination': 'dst',
  '--dst': 'dst',
  '-p': 'proto',
  '--protocol': 'proto',
  '--dport': 'dport',
  '--dports': 'dport',
  '--destination-port': 'dport',
  '--destination-ports': 'dport',
  '--state': 'states',
  '--ctstate': 'states',
};
/** Match modules whose options the walk reads (or that match nothing it needs: comments). */
const READ_MODULES = new Set(['state', 'conntrack', 'tcp', 'udp', 'multiport', 'comment', 'icmp']);

/** An iptables rule from its words after the program (`-t nat -A POSTROUTING -o eth0 -j MASQUERADE`). */
export function iptablesWords(ws: readonly string[], family: 4 | 6, line: string, at: number, table = 'filter'): IptablesRule | undefined {
  const r: IptablesRule = { family, table, op: '', chain: '', other: [], more: 0, line, at };
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    const next = ws[i + 1];
    if ((w === '-t' || w === '--table') && next !== undefined) {
      r.table = next;
      i++;
    } else if (OP.test(w) && !r.op) {
      r.op = SHORT_OP[w] ?? w;
      r.chain = next ?? '';
      i++;
      if (r.op === '-P') {
        r.target = ws[i + 1];
        i++;
      } else if (r.op === '-I' && /^\d+$/.test(ws[i + 1] ?? '')) {
        r.position = Number(ws[i + 1]);
        i++;
        r.more++;
      }
    } else if ((w === '-j' || w === '--jump' || w === '-g' || w === '--goto') && next !== undefined) {
      r.target = next;
      i++;
    } else if ((w === '-i' || w === '--in-interface') && next !== undefined) {
      r.in = next;
      i++;
    } else if ((w === '-o' || w === '--out-interface') && next !== undefined) {
      r.out = next;
      i++;
    } else if (w !== '') {
      r.more++;
      const value = VALUED[w];
      if (value !== undefined && next !== undefined) {
        r[value] = next;
        i++;
      } else if ((w === '-m' || w === '--match') && next !== undefined) {
        i++;
        if (!READ_MODULES.has(next)) r.other.push(`-m ${next}`);
      } else if (IGNORED.has(w)) {
        if (w === '--comment') i++;
      } else r.other.push(w);
    }
  }
  return r.op ? r : undefined;
}

const IPTABLES = /^(?:ip6?tables)(?:-legacy|-nft)?$/;

/**
 * The iptables rules a bootstrap writes: iptables/ip6tables commands, firewalld direct rules (`firewall-cmd --direct
 * --add-rule ipv4 filter FORWARD 0 ...`, `--passthrough ipv4 ...`), and the lines of an iptables-save file it writes
 * (`*filter`, `:FORWARD DROP [0:0]`, `-A FORWARD ...`, in a heredoc).
 */
export function iptablesRules(sh: ShellScript, text: string): IptablesRule[] {
  const out: IptablesRule[] = [];
  const save = new Set<ShellCommand>();
  for (const h of sh.heredocs) {
    const body = sh.commands.filter((c) => c.start >= h.start && c.end <= h.end);
    if (!body.some((c) => c.words[0] === '*filter' || c.words[0] === '*nat')) continue;
    let table = 'filter';
    for (const c of body) {
      save.add(c);
      const w0 = c.words[0];
      const line = text.slice(c.start, c.end).trim();
      if (w0.startsWith('*')) table = w0.slice(1);
      else if (w0.startsWith(':') && c.words[1] !== undefined && c.words[1] !== '-')
        out.push({ family: 4, table, op: '-P', chain: w0.slice(1), target: c.words[1], other: [], more: 0, line, at: c.start });
      else if (/^-[AI]$/.test(w0)) {
        const r = iptablesWords(c.words, 4, line, c.start, table);
        if (r) out.push(r);
      }
    }
  }
  for (const c of sh.commands) {
    if (save.has(c)) continue;
    const ws = commandWords(c);
    const line = text.slice(c.start, c.end).trim();
    if (IPTABLES.test(ws[0] ?? '')) {
      const r = iptablesWords(ws.slice(1), ws[0].startsWith('ip6') ? 6 : 4, line, c.start);
      if (r) out.push(r);
    } else if (ws[0] === 'firewall-cmd' && ws.includes('--direct')) {
      const add = ws.findIndex((w) => w === '--add-rule' || w === '--passthrough');
      if (add < 0) continue;
      const family = ws[add + 1] === 'ipv6' ? 6 : 4;
      if (ws[add] === '--passthrough') {
        const r = iptablesWords(ws.slice(add + 2), family, line, c.start);
        if (r) out.push(r);
      } else {
        // --add-rule ipv4 TABLE CHAIN PRIORITY ARGS: priorities order the direct rules, lowest first.
        const [table, chain, priority] = ws.slice(add + 2, add + 5);
        if (chain === undefined) continue;
        const r = iptablesWords(['-A', chain, ...ws.slice(add + 5)], family, line, c.start, table);
        if (r) out.push({ ...r, ...(/^-?\d+$/.test(priority ?? '') ? { position: Number(priority) + 1e6 } : {}) });
      }
    }
  }
  return out;
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16'].map((x) =>
  parseCidr(x)!,
);

/** Addresses as written: a list of CIDRs, or why they cannot be compared (a variable, a name, a set). */
function addresses(v: string | undefined): string[] | { unknown: string } | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').filter((x) => x !== '');
  for (const x of xs) if (!parseCidr(x)) return { unknown: `address ${x} is not known here` };
  // `0.0.0.0/0`, or ranges that together hold every IPv4 address (`0.0.0.0/1,128.0.0.0/1`), narrow nothing (review
  // s16 R9); the filters are walked for IPv4 flows, which `::/0` does not hold (review s18 R12).
  return coversFamily(xs, 4) ? undefined : xs;
}

const isPrivate = (xs: readonly string[]): boolean => xs.every((x) => PRIVATE.some((p) => cidrContains(p, parseCidr(x)!)));

/** The FORWARD chain (IPv4, filter table) the iptables rules build, in order. */
export function iptablesForward(rules: readonly IptablesRule[], tool = 'iptables'): ForwardChain | undefined {
  const chain: (ForwardRule & { position?: number })[] = [];
  let policy: 'accept' | 'drop' = 'accept';
  let policyText: string | undefined;
  let policyAt: number | undefined;
  let unknown: string | undefined;
  let seen = false;
  const direct: (ForwardRule & { position: number })[] = [];
  for (const r of rules) {
    if (r.family !== 4 || r.table !== 'filter') continue;
    if (r.op === '-F' && (r.chain === '' || r.chain === 'FORWARD' || r.chain.startsWith('-'))) {
      chain.length = 0;
      continue;
    }
    if (r.chain !== 'FORWARD') continue;
    seen = true;
    if (r.op === '-P') {
      policy = r.target === 'DROP' || r.target === 'REJECT' ? 'drop' : 'accept';
      policyText = r.line;
      policyAt = r.at;
      continue;
    }
    if (r.op === '-D' || r.op === '-R') {
      unknown ??= `it deletes or replaces a FORWARD rule (\`${r.line.slice(0, 80)}\`)`;
      continue;
    }
    if (r.op !== '-A' && r.op !== '-I') continue;
    const fr = forwardRule(r);
    if (r.position !== undefined && r.position >= 1e6) direct.push({ ...fr, position: r.position });
    else if (r.op === '-I') chain.splice(Math.max(0, Math.min(chain.length, (r.position ?? 1) - 1)), 0, fr);
    else chain.push(fr);
  }
  if (!seen) return undefined;
  // firewalld's direct rules come first, by priority.
  direct.sort((a, b) => a.position - b.position);
  return {
    tool,
    rules: [...direct, ...chain],
    policy,
    ...(policyText !== undefined ? { policyText, policyAt } : {}),
    ...(unknown ? { unknown } : {}),
  };
}

const TERMINAL: Record<string, ForwardRule['action']> = { ACCEPT: 'accept', DROP: 'drop', REJECT: 'drop', RETURN: 'return' };
const NON_TERMINAL = new Set(['LOG', 'NFLOG', 'ULOG', 'MARK', 'CONNMARK', 'TCPMSS', 'CLASSIFY', 'TRACE', 'AUDIT']);

function forwardRule(r: IptablesRule): ForwardRule {
  const t = r.target ?? '';
  const action: ForwardRule['action'] =
    TERMINAL[t] ??
    (NON_TERMINAL.has(t) || t === ''
      ? 'skip'
      : {
          unknown: t === 'NFQUEUE' || t === 'QUEUE' ? 'it hands packets to a program (NFQUEUE), which decides' : `it jumps to chain ${t}`,
        });
  const src = addresses(r.src);
  const dst = addresses(r.dst);
  const undecided =
    r.other.length > 0
      ? `its match \`${r.other.join(' ')}\` is not read here`
      : src && 'unknown' in src
        ? src.unknown
        : dst && 'unknown' in dst
          ? dst.unknown
          : [r.in, r.out, r.proto, r.dport].some((x) => x?.startsWith('!') || x?.includes('$'))
            ? 'a negated or variable match'
            : undefined;
  return {
    action,
    ...(Array.isArray(src) ? { src } : {}),
    ...(Array.isArray(dst) ? { dst } : {}),
    ...(r.proto && r.proto !== 'all' ? { service: r.dport ? `${r.proto} ${r.dport}` : r.proto } : r.dport ? { service: r.dport } : {}),
    ...(r.states ? { states: r.states.toUpperCase().split(',') } : {}),
    ...(r.in ? { in: r.in } : {}),
    ...(r.out ? { out: r.out } : {}),
    ...(undecided ? { undecided } : {}),
    text: r.line,
    at: r.at,
  };
}

/**
 * ufw's routed rules, when the bootstrap enables ufw (`ufw enable`, `ufw --force enable`): `ufw route allow|deny|
 * reject ...` in order, the routed policy (`ufw default deny|allow routed`, or DEFAULT_FORWARD_POLICY set in
 * /etc/default/ufw; ufw ships DROP). `ufw allow out`, `ufw default deny outgoing` filter the machine's own traffic:
 * a ufw whose routed traffic the bootstrap says nothing of is host hardening, not a forwarding filter.
 */
export function ufwForward(sh: ShellScript, text: string): ForwardChain | undefined {
  const cmds = sh.commands.map((c) => ({ c, ws: commandWords(c) })).filter((x) => x.ws[0] === 'ufw');
  if (!cmds.some((x) => x.ws.includes('enable'))) return undefined;
  // Only its incoming and outgoing rules written (a web server's `ufw allow 'Apache'`): host hardening, which says
  // nothing of a machine that forwards (routed traffic is then ufw's default, set nowhere in the inputs).
  const routed =
    /DEFAULT_FORWARD_POLICY=/.test(sh.code) ||
    cmds.some(({ ws }) => ws.includes('route') || (ws.includes('default') && ws.includes('routed')));
  if (!routed) return undefined;
  const chain: ForwardChain = { tool: 'ufw', rules: [], policy: 'drop' };
  // The last value written wins (`sed 's/..."DROP"/..."ACCEPT"/'` names the old value first).
  const set = [...sh.code.matchAll(/DEFAULT_FORWARD_POLICY=\\?["']?(ACCEPT|DROP|REJECT)/g)].pop();
  if (set) {
    chain.policy = set[1] === 'ACCEPT' ? 'accept' : 'drop';
    chain.policyText = set[0];
    chain.policyAt = set.index;
  }
  for (const { c, ws } of cmds) {
    const line = text.slice(c.start, c.end).trim();
    const args = ws.slice(1).filter((w) => !w.startsWith('--'));
    if (args[0] === 'default' && args[2] === 'routed') {
      chain.policy = args[1] === 'allow' ? 'accept' : 'drop';
      chain.policyText = line;
      chain.policyAt = c.start;
    } else if (args[0] === 'route') {
      const i = args[1] === 'insert' ? 3 : 1;
      const verb = args[i];
      if (verb === 'delete') {
        chain.unknown ??= `it deletes a routed rule (\`${line.slice(0, 80)}\`)`;
        continue;
      }
      const action: ForwardRule['action'] =
        verb === 'allow' ? 'accept' : verb === 'deny' || verb === 'reject' ? 'drop' : { unknown: `ufw route ${verb}` };
      const rest = args.slice(i + 1);
      const val = (k: string): string | undefined => {
        const j = rest.indexOf(k);
        return j >= 0 ? rest[j + 1] : undefined;
      };
      const on = (dir: string): string | undefined => {
        for (let j = 0; j + 2 < rest.length; j++) if (rest[j] === dir && rest[j + 1] === 'on') return rest[j + 2];
        return undefined;
      };
      const from = val('from');
      const to = val('to');
      const src = from === undefined || from === 'any' ? undefined : addresses(from);
      const dst = to === undefined || to === 'any' ? undefined : addresses(to);
      const port = val('port');
      const proto = val('proto');
      const known = new Set(['in', 'out', 'on', 'from', 'to', 'port', 'proto', 'log', 'log-all']);
      const valued = new Set([on('in'), on('out'), from, to, port, proto].filter((x) => x !== undefined));
      const odd = rest.filter((w) => !known.has(w) && !valued.has(w));
      const fr: ForwardRule = {
        action,
        ...(Array.isArray(src) ? { src } : {}),
        ...(Array.isArray(dst) ? { dst } : {}),
        ...(port || proto ? { service: [proto, port].filter(Boolean).join(' ') } : odd.length === 1 ? { service: odd[0] } : {}),
        ...(on('in') ? { in: on('in') } : {}),
        ...(on('out') ? { out: on('out') } : {}),
        ...((src && 'unknown' in src) || (dst && 'unknown' in dst) || odd.length > 1
          ? { undecided: `its match \`${rest.join(' ')}\` is not read here` }
          : {}),
        text: line,
        at: c.start,
      };
      if (i === 3) chain.rules.splice(Math.max(0, Number(args[2]) - 1 || 0), 0, fr);
      else chain.rules.push(fr);
    }
  }
  return chain;
}

/**
 * nftables chains of type filter (`type filter hook forward priority 0; policy drop;`), from `nft add chain`/`nft
 * add rule` commands and ruleset files the bootstrap writes (`table inet filter { chain forward { ... } }`): those
 * hooked on forward decide what it forwards; input and output guard the machine. Their rules are read as the
 * walk reads any (`ip saddr`, `ip daddr`, `tcp dport`, `ct state`, `iifname`/`oifname`, a verdict); any other
 * statement leaves the rule undecided.
 */
export function nftForward(
  sh: ShellScript,
  text: string,
): { chain?: ForwardChain; hooks: Set<string>; drops: boolean; otherDrop?: ForwardRule } {
  const hooks = new Set<string>();
  const chains = new Map<string, { hook?: string; policy?: string; rules: ForwardRule[]; policyAt?: number; policyText?: string }>();
  const get = (name: string) => {
    let c = chains.get(name);
    if (!c) chains.set(name, (c = { rules: [] }));
    return c;
  };
  let drops = false;
  // Statements in the order written: ruleset files and nft commands, each with the chain it belongs to.
  let current: string | undefined;
  let depth = 0;
  let chainDepth = -1;
  for (const cmd of sh.commands) {
    const ws = commandWords(cmd);
    const line = text.slice(cmd.start, cmd.end).trim();
    if (ws[0] === 'nft') {
      const i = ws.indexOf('add') >= 0 ? ws.indexOf('add') : ws.indexOf('insert');
      if (i < 0) continue;
      const kind = ws[i + 1];
      // nft add chain [family] table chain { ... }; nft add rule [family] table chain ...
      const fam = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'].includes(ws[i + 2] ?? '') ? 1 : 0;
      const name = ws[i + 3 + fam];
      if (name === undefined) continue;
      const body = ws.slice(i + 4 + fam).join(' ');
      if (kind === 'chain') chainDecl(get(name), body, line, cmd.start, hooks);
      else if (kind === 'rule') {
        const r = nftRule(body, line, cmd.start);
        if (r.action === 'drop') drops = true;
        if (ws[i] === 'insert') get(name).rules.unshift(r);
        else get(name).rules.push(r);
      }
      continue;
    }
    // Ruleset syntax: `chain NAME {` opens a chain; `}` closes a block.
    const joined = ws.join(' ');
    const opens = (joined.match(/\{/g) ?? []).length;
    const closes = (joined.match(/\}/g) ?? []).length;
    if (ws[0] === 'chain' && ws[1] !== undefined) {
      current = ws[1];
      chainDepth = depth;
      get(current);
    } else if (current !== undefined) {
      const stmt = joined.replace(/[{}]/g, ' ').trim();
      if (/^type\s+filter\s+hook\s+\w+/.test(stmt) || /^policy\s+\w+/.test(stmt)) chainDecl(get(current), stmt, line, cmd.start, hooks);
      else if (stmt !== '' && !/^(?:type|priority|comment|counter$)/.test(stmt)) {
        const r = nftRule(stmt, line, cmd.start);
        if (r.action === 'drop') drops = true;
        get(current).rules.push(r);
      }
    }
    depth += opens - closes;
    if (current !== undefined && depth <= chainDepth) current = undefined;
  }
  // A chain's hook, or its name when it is declared elsewhere (a stock ruleset names its chains for their hooks).
  const hookOf = (name: string, c: { hook?: string }) => c.hook ?? (['input', 'output', 'forward'].includes(name) ? name : undefined);
  const forward = [...chains].filter(([n, c]) => hookOf(n, c) === 'forward').map(([, c]) => c);
  // A drop in a chain that is neither the machine's own (input, output) nor a forward chain walked here.
  const otherDrop = [...chains]
    .filter(([n, c]) => !['input', 'output', 'forward'].includes(hookOf(n, c) ?? '') || (hookOf(n, c) === 'forward' && forward.length > 1))
    .flatMap(([, c]) => c.rules)
    .find((r) => r.action === 'drop');
  if (forward.length !== 1) return { hooks, drops, ...(otherDrop ? { otherDrop } : {}) };
  const f = forward[0];
  return {
    chain: {
      tool: 'nftables',
      rules: f.rules,
      policy: f.policy === 'drop' ? 'drop' : 'accept',
      ...(f.policyText ? { policyText: f.policyText, policyAt: f.policyAt } : {}),
    },
    hooks,
    drops: f.policy === 'drop' || f.rules.some((r) => r.action === 'drop'),
    ...(otherDrop ? { otherDrop } : {}),
  };
}

function chainDecl(
  c: { hook?: string; policy?: string; policyAt?: number; policyText?: string },
  body: string,
  line: string,
  at: number,
  hooks: Set<string>,
): void {
  const hook = /\btype\s+filter\s+hook\s+(\w+)/.exec(body)?.[1];
  if (hook) {
    c.hook = hook;
    hooks.add(hook);
  }
  const policy = /\bpolicy\s+(\w+)/.exec(body)?.[1];
  if (policy) {
    c.policy = policy;
    c.policyAt = at;
    c.policyText = line;
  }
}

/** One nftables rule's statements, as the walk reads them. */
function nftRule(body: string, line: string, at: number): ForwardRule {
  const ws = body
    .replace(/[{};]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '');
  const r: ForwardRule = { action: 'skip', text: line, at };
  const odd: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    const next = ws[i + 1];
    if ((w === 'ip' || w === 'ip6') && (next === 'saddr' || next === 'daddr')) {
      const v = ws[i + 2] ?? '';
      const a = v === '!=' ? { unknown: 'a negated address' } : addresses(v.replace(/^@.*/, '$set'));
      if (a && 'unknown' in a) r.undecided ??= a.unknown;
      else if (a) r[next === 'saddr' ? 'src' : 'dst'] = a;
      i += 2;
    } else if ((w === 'tcp' || w === 'udp') && (next === 'dport' || next === 'sport')) {
      r.service = `${w} ${ws[i + 2] ?? ''}`;
      i += 2;
    } else if ((w === 'meta' && next === 'l4proto') || w === 'icmp' || (w === 'ip' && next === 'protocol')) {
      r.service = ws.slice(i, i + 3).join(' ');
      i += w === 'icmp' ? 2 : 2;
    } else if (w === 'ct' && next === 'state') {
      r.states = (ws[i + 2] ?? '').toUpperCase().split(',');
      i += 2;
    } else if (w === 'iifname' || w === 'oifname' || w === 'iif' || w === 'oif') {
      const v = (next ?? '').replace(/"/g, '');
      if (v === '!=') r.undecided ??= 'a negated interface';
      else r[w.startsWith('i') ? 'in' : 'out'] = v;
      i++;
    } else if (w === 'accept') r.action = 'accept';
    else if (w === 'drop' || w === 'reject') {
      r.action = 'drop';
      break;
    } else if (w === 'return') r.action = 'return';
    else if (w === 'jump' || w === 'goto' || w === 'queue') {
      r.action = { unknown: w === 'queue' ? 'it hands packets to a program (queue), which decides' : `it jumps to chain ${next ?? ''}` };
      i++;
    } else if (w === 'counter' || w === 'log' || w === 'prefix' || w === 'comment') {
      if (w === 'prefix' || w === 'comment') i++;
    } else odd.push(w);
  }
  if (odd.length > 0 && r.action !== 'skip') r.undecided ??= `its match \`${odd.join(' ')}\` is not read here`;
  return r;
}

/**
 * What a forwarding chain does with a new internet-bound connection from inside (module comment). `outside`: the
 * interface the NAT rule translates out of, when the rules also name an inside one forwarding out of it.
 */
export function forwardVerdict(chain: ForwardChain, outside?: string): ForwardVerdict {
  const q = (r: { text: string }) => `\`${r.text.slice(0, 100)}\``;
  if (chain.unknown) return { kind: 'undecided', why: chain.unknown };
  const accepts: ForwardRule[] = [];
  const drops: ForwardRule[] = [];
  const end = (rule: ForwardRule | undefined, drop: boolean): ForwardVerdict => {
    const by = rule
      ? q(rule)
      : chain.policyText !== undefined
        ? `its policy (\`${chain.policyText.slice(0, 100)}\`)`
        : `its policy (${chain.policy.toUpperCase()}${chain.tool === 'ufw' ? ", ufw's routed default, not changed" : ''})`;
    const at = rule ? rule.at : chain.policyAt;
    const atOf = at !== undefined ? { at } : {};
    if (!drop) {
      if (drops.length > 0)
        return {
          kind: 'partial',
          why: `its ${chain.tool} forwarding rules drop some of what it forwards (${q(drops[0])}) and accept the rest (${by})`,
          ...atOf,
        };
      return { kind: 'open', why: `its ${chain.tool} forwarding rules accept every destination (${by})`, ...atOf };
    }
    const open = accepts.find((a) => a.dst === undefined);
    if (open?.service !== undefined)
      return {
        kind: 'partial',
        why: `its ${chain.tool} forwarding rules accept ${open.service} to any destination (${q(open)}) and drop the rest (${by})`,
        ...atOf,
      };
    if (open)
      return {
        kind: 'partial',
        why: `its ${chain.tool} forwarding rules accept every destination from ${open.src?.join(', ')} only (${q(open)}), dropping the rest (${by})`,
        ...atOf,
      };
    if (accepts.length > 0)
      return {
        kind: 'allowlist',
        why: `its ${chain.tool} forwarding rules accept only named destinations (${q(accepts[0])}) and drop the rest (${by})`,
        ...atOf,
      };
    return {
      kind: 'blocked',
      why: `its ${chain.tool} forwarding rules accept nothing bound for the internet and drop the rest (${by})`,
      ...atOf,
    };
  };
  // Nothing that may drop, and an accepting policy: everything passes, whatever the rules match.
  if (chain.policy === 'accept' && chain.rules.every((r) => r.action === 'accept' || r.action === 'skip'))
    return end(
      chain.rules.find((r) => r.action === 'accept'),
      false,
    );
  // A machine with one leg (no rule names another interface than the outside one) forwards in and out of it.
  const twoLegs = outside !== undefined && chain.rules.some((r) => r.in !== undefined && r.in !== outside && !r.in.startsWith('!'));
  for (const r of chain.rules) {
    if (r.action === 'skip') continue;
    // Reply traffic only, or invalid packets: not a new connection out.
    if (r.states && !r.states.includes('NEW')) continue;
    if (r.dst && isPrivate(r.dst)) continue;
    if (outside !== undefined) {
      // What comes in on the outside leg is inbound; what leaves by another is not bound for the internet.
      if (twoLegs && r.in === outside) continue;
      if (r.out !== undefined && r.out !== outside) continue;
    } else if (r.in !== undefined || r.out !== undefined)
      return {
        kind: 'undecided',
        why: `${q(r)} matches an interface (${r.in ?? r.out}) that the rules do not tie to the inside or the outside (no NAT rule names the one it translates out of)`,
        at: r.at,
      };
    if (typeof r.action === 'object') return { kind: 'undecided', why: `${r.action.unknown} (${q(r)})`, at: r.at };
    if (r.undecided) return { kind: 'undecided', why: `${r.undecided} (${q(r)})`, at: r.at };
    if (r.action === 'return') return end(undefined, chain.policy === 'drop');
    const all = r.src === undefined && r.dst === undefined && r.service === undefined;
    if (all) return end(r, r.action === 'drop');
    (r.action === 'accept' ? accepts : drops).push(r);
  }
  return end(undefined, chain.policy === 'drop');
}
