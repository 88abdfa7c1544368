// The mapping from an AnalysisResult to what the editor shows: diagnostics, quick-fix edits, tree items,
// CodeLens, hovers, the status bar text. Plain data only and no `vscode` import, so every decision here is
// unit tested in plain mocha; src/extension/vscodeAdapter.ts turns these specs into vscode objects.
import type {
  AnalysisResult,
  EgressScore,
  Finding,
  FixSuggestion,
  FlowSimulation,
  FlowSpec,
  PathTrace,
  ProtectionState,
  RuleCode,
  Severity,
  SeveritySetting,
  SubnetEgress,
  TextEdit,
  VpcState,
} from '../analysis/types';
import { PROTECTION_STATES } from '../analysis/types';
import { RULE_CODES } from '../analysis/rules';
import type { NetworkElement, Position, Route, SourceLocation, SourceRange } from '../model/types';
import { computeScore } from '../analysis/score';
import { legSteps, legVerdict, routingVerdict } from '../analysis/verdict';
import type { ParseDiagnostic } from '../model/inputs';

export const SOURCE = 'Egress Lens';

// One collator: String#localeCompare builds one per call, which dominates sorting thousands of labels.
const byText = new Intl.Collator().compare;

// ---------------------------------------------------------------- settings

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'info', 'off'];

/** `egressLens.rules` as typed severities; unknown codes and values are reported, not applied. */
export function severitiesFromSetting(raw: unknown): { severities: Partial<Record<RuleCode, SeveritySetting>>; problems: string[] } {
  const severities: Partial<Record<RuleCode, SeveritySetting>> = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { severities, problems };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { severities, problems: ['egressLens.rules must be an object of rule code -> severity'] };
  for (const [code, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(RULE_CODES as readonly string[]).includes(code)) {
      problems.push(`egressLens.rules: unknown rule code "${code}"`);
    } else if (typeof value !== 'string' || !SEVERITY_SETTINGS.includes(value as SeveritySetting)) {
      problems.push(`egressLens.rules: "${code}" must be one of ${SEVERITY_SETTINGS.join(', ')}`);
    } else {
      severities[code as RuleCode] = value as SeveritySetting;
    }
  }
  return { severities, problems };
}

// ---------------------------------------------------------------- diagnostics

export interface RelatedSpec {
  location: SourceLocation;
  message: string;
}

export interface DiagnosticSpec {
  file: string;
  range: SourceRange;
  message: string;
  severity: Severity;
  code: string;
  /** Rule findings link to docs/rules/<code>.md; parse diagnostics have no page. */
  rule: boolean;
  related: RelatedSpec[];
  /** Index into result.findings, so a code action can find its fix. */
  finding?: number;
}

export function findingToDiagnostic(f: Finding, index: number): DiagnosticSpec {
  return {
    file: f.location.file,
    range: f.location.range,
    message: f.message,
    severity: f.severity,
    code: f.code,
    rule: true,
    related: f.related.map((r) => ({ location: r.location, message: r.message })),
    finding: index,
  };
}

export function parseDiagnosticToSpec(d: ParseDiagnostic): DiagnosticSpec {
  return { file: d.loc.file, range: d.loc.range, message: d.message, severity: d.severity, code: d.code, rule: false, related: [] };
}

/**
 * Every finding and parse diagnostic grouped by file. A user's severity setting wins over what the engine
 * chose ('off' drops the finding), so a settings change shows without waiting for a re-analysis.
 */
export function diagnosticsByFile(
  result: Pick<AnalysisResult, 'findings' | 'parseDiagnostics'>,
  severities: Partial<Record<RuleCode, SeveritySetting>> = {},
): Map<string, DiagnosticSpec[]> {
  const out = new Map<string, DiagnosticSpec[]>();
  const push = (s: DiagnosticSpec) => {
    const list = out.get(s.file);
    if (list) list.push(s);
    else out.set(s.file, [s]);
  };
  result.findings.forEach((f, i) => {
    const setting = severities[f.code];
    if (setting === 'off') return;
    const spec = findingToDiagnostic(f, i);
    if (setting) spec.severity = setting;
    push(spec);
  });
  for (const d of result.parseDiagnostics) push(parseDiagnosticToSpec(d));
  for (const list of out.values()) list.sort((a, b) => comparePos(a.range.start, b.range.start) || byText(a.code, b.code));
  return out;
}

// ---------------------------------------------------------------- quick fixes

/** A fix's edits grouped by file, each file's edits bottom-up so earlier ranges stay valid if applied one by one. */
export function fixEditsByFile(fix: FixSuggestion | undefined): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  if (!fix) return out;
  for (const e of fix.edits) {
    const list = out.get(e.file);
    if (list) list.push(e);
    else out.set(e.file, [e]);
  }
  for (const list of out.values()) list.sort((a, b) => comparePos(b.range.start, a.range.start));
  return out;
}

export function rangesIntersect(a: SourceRange, b: SourceRange): boolean {
  return comparePos(a.start, b.end) <= 0 && comparePos(b.start, a.end) <= 0;
}

/** Indexes of the findings located in `file` whose range meets `range` (and, when given, with that code). */
export function findingsAt(findings: readonly Finding[], file: string, range: SourceRange, code?: string): number[] {
  const out: number[] = [];
  findings.forEach((f, i) => {
    if (f.location.file === file && (code === undefined || f.code === code) && rangesIntersect(f.location.range, range)) out.push(i);
  });
  return out;
}

/** Mechanical fixes become quick fixes; advice-only fixes (no edits) do not. */
export function hasQuickFix(f: Finding): boolean {
  return !!f.fix && f.fix.edits.length > 0;
}

// ---------------------------------------------------------------- model lookups

// Lookups over one result, built once per result: the tree, lenses and hovers ask per element, and a
// scan of every trace per question is quadratic at a thousand VPCs. Keyed by the arrays, which a
// result never mutates.
const byIdCache = new WeakMap<readonly NetworkElement[], Map<string, NetworkElement>>();

export function elementsById(result: Pick<AnalysisResult, 'model'>): Map<string, NetworkElement> {
  let m = byIdCache.get(result.model.elements);
  if (!m) {
    m = new Map(result.model.elements.map((e) => [e.id, e]));
    byIdCache.set(result.model.elements, m);
  }
  return m;
}

interface EgressIndex {
  bySubnet: Map<string, SubnetEgress>;
  /** The first egress whose forward or return trace has this id. */
  byTrace: Map<string, SubnetEgress>;
  /** Route table id -> subnets whose egress starts with a lookup in it, in egress order. */
  tableUsers: Map<string, string[]>;
  /** VPC id -> its traced subnets, in egress order. */
  byVpc: Map<string, string[]>;
  /** Route table id -> the legs it decides a hop of (as the hover lists them), by subnet. */
  tableLegs: Map<string, { forward: string[]; return: string[]; asymmetric: string[] }>;
}

const egressCache = new WeakMap<readonly SubnetEgress[], EgressIndex>();

function egressIndex(egress: readonly SubnetEgress[]): EgressIndex {
  let x = egressCache.get(egress);
  if (x) return x;
  x = { bySubnet: new Map(), byTrace: new Map(), tableUsers: new Map(), byVpc: new Map(), tableLegs: new Map() };
  const legs = x.tableLegs;
  const addLeg = (rt: string, leg: 'forward' | 'return', g: SubnetEgress) => {
    let l = legs.get(rt);
    if (!l) legs.set(rt, (l = { forward: [], return: [], asymmetric: [] }));
    if (l[leg][l[leg].length - 1] !== g.subnet) l[leg].push(g.subnet);
    if (leg === 'return' && g.divergence && l.asymmetric[l.asymmetric.length - 1] !== g.subnet) l.asymmetric.push(g.subnet);
  };
  for (const g of egress) {
    if (!x.bySubnet.has(g.subnet)) x.bySubnet.set(g.subnet, g);
    if (!x.byTrace.has(g.forward.id)) x.byTrace.set(g.forward.id, g);
    if (g.return && !x.byTrace.has(g.return.id)) x.byTrace.set(g.return.id, g);
    const vpcList = x.byVpc.get(g.vpc);
    if (vpcList) vpcList.push(g.subnet);
    else x.byVpc.set(g.vpc, [g.subnet]);
    const tables = new Set<string>();
    for (const h of g.forward.hops) {
      const rt = h.decision?.routeTable;
      if (rt && (h.kind === 'subnet' || h.kind === 'instance' || h.index === 0)) tables.add(rt);
    }
    for (const rt of tables) {
      const l = x.tableUsers.get(rt);
      if (l) l.push(g.subnet);
      else x.tableUsers.set(rt, [g.subnet]);
    }
    for (const t of [g.forward, g.return]) {
      if (!t) continue;
      const seen = new Set<string>();
      for (const h of t.hops) {
        const rt = h.decision?.routeTable;
        if (rt && !seen.has(rt)) {
          seen.add(rt);
          addLeg(rt, t.direction, g);
        }
      }
    }
  }
  egressCache.set(egress, x);
  return x;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The VPC an element lives in, following subnet references where the element has no vpc of its own. */
export function vpcOf(id: string, byId: Map<string, NetworkElement>, egress: readonly SubnetEgress[] = []): string | undefined {
  const seen = new Set<string>();
  let cur = byId.get(id);
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    if (cur.kind === 'vpc') return cur.id;
    const e = cur as unknown as Record<string, unknown>;
    const direct = str(e.vpc);
    if (direct) return direct;
    const next = str(e.subnet) ?? str(e.routeTable) ?? (Array.isArray(e.subnets) ? str(e.subnets[0]) : undefined);
    cur = next ? byId.get(next) : undefined;
  }
  return egressIndex(egress).bySubnet.get(id)?.vpc;
}

// ---------------------------------------------------------------- path summaries

/** One line about a subnet's egress: the routing verdict every surface leads with (analysis/verdict.ts). */
export function egressSummary(g: SubnetEgress, state?: Pick<VpcState, 'state' | 'reason'>): string {
  return routingVerdict(g, state ? { state } : {}).headline;
}

// ---------------------------------------------------------------- tree view

export type TreeNode =
  | { kind: 'root'; label: string; description: string; tooltip: string; children: TreeNode[] }
  | { kind: 'state'; state: ProtectionState; label: string; description: string; children: TreeNode[] }
  | {
      kind: 'vpc';
      id: string;
      label: string;
      description: string;
      tooltip: string;
      state: ProtectionState;
      location?: SourceLocation;
      children: TreeNode[];
    }
  | { kind: 'subnet'; id: string; label: string; description: string; tooltip: string; location?: SourceLocation; children: TreeNode[] }
  | {
      kind: 'finding';
      index: number;
      label: string;
      description: string;
      severity: Severity;
      location: SourceLocation;
      children: TreeNode[];
    };

function findingNode(f: Finding, index: number): TreeNode {
  return { kind: 'finding', index, label: f.message, description: f.code, severity: f.severity, location: f.location, children: [] };
}

/**
 * VPCs grouped by protection state (in PROTECTION_STATES order), each with its subnets and their findings.
 * With more than one Terraform root module, a level per root comes first (its folder), holding its VPCs.
 */
export function buildTree(result: Pick<AnalysisResult, 'model' | 'states' | 'egress' | 'findings' | 'terraformRoots'>): TreeNode[] {
  const byId = elementsById(result);
  const ex = egressIndex(result.egress);
  const egressBySubnet = ex.bySubnet;
  // Each finding goes under the subnets it is about, else under its VPC.
  const subnetFindings = new Map<string, number[]>();
  const vpcFindings = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, k: string, i: number) => {
    const l = m.get(k);
    if (l) {
      if (!l.includes(i)) l.push(i);
    } else m.set(k, [i]);
  };
  result.findings.forEach((f, i) => {
    const subnets = new Set<string>();
    if (byId.get(f.elementId)?.kind === 'subnet' || egressBySubnet.has(f.elementId)) subnets.add(f.elementId);
    for (const t of f.traces ?? []) {
      const g = egressBySubnet.get(t) ?? ex.byTrace.get(t);
      if (g) subnets.add(g.subnet);
    }
    if (subnets.size > 0) for (const s of subnets) add(subnetFindings, s, i);
    else {
      const vpc = vpcOf(f.elementId, byId, result.egress);
      if (vpc) add(vpcFindings, vpc, i);
    }
  });

  const subnetsOfVpc = new Map<string, Set<string>>();
  const addSubnet = (vpc: string, id: string) => {
    const l = subnetsOfVpc.get(vpc);
    if (l) l.add(id);
    else subnetsOfVpc.set(vpc, new Set([id]));
  };
  for (const e of result.model.elements) {
    if (e.kind !== 'subnet') continue;
    const vpc = str(e.vpc);
    if (vpc) addSubnet(vpc, e.id);
  }
  for (const g of result.egress) if (g.subnet !== g.vpc) addSubnet(g.vpc, g.subnet);

  const stateGroups = (states: readonly VpcState[]): TreeNode[] => {
    const groups: TreeNode[] = [];
    for (const state of PROTECTION_STATES) {
      const vpcs = states.filter((s) => s.state === state).sort((a, b) => byText(a.name, b.name));
      if (vpcs.length === 0) continue;
      const children: TreeNode[] = vpcs.map((s) => {
        const vpcEl = byId.get(s.vpc);
        const subnetNodes: TreeNode[] = [...(subnetsOfVpc.get(s.vpc) ?? [])]
          .map((id) => {
            const el = byId.get(id);
            const g = egressBySubnet.get(id);
            const cidr = el && el.kind === 'subnet' && typeof el.cidr === 'string' ? el.cidr : '';
            const az = el && el.kind === 'subnet' && typeof el.az === 'string' ? el.az : '';
            const node: TreeNode = {
              kind: 'subnet',
              id,
              label: el?.name || id,
              description: [cidr, az].filter(Boolean).join(' '),
              tooltip: g ? egressSummary(g, s) : 'not traced',
              location: el?.loc,
              children: (subnetFindings.get(id) ?? []).map((i) => findingNode(result.findings[i], i)),
            };
            return node;
          })
          .sort((a, b) => byText(a.label, b.label));
        const own = (vpcFindings.get(s.vpc) ?? []).map((i) => findingNode(result.findings[i], i));
        return {
          kind: 'vpc' as const,
          id: s.vpc,
          label: s.name || vpcEl?.name || s.vpc,
          description: s.state,
          tooltip: s.reason,
          state: s.state,
          location: vpcEl?.loc,
          children: [...own, ...subnetNodes],
        };
      });
      groups.push({ kind: 'state', state, label: state, description: String(vpcs.length), children });
    }
    return groups;
  };
  const roots = result.terraformRoots ?? [];
  if (roots.length <= 1) return stateGroups(result.states);
  // Ids of each root's elements start with `<label>:`; what belongs to none (other formats) goes last.
  const sorted = [...roots].sort((a, b) => byText(a.dir, b.dir));
  const rootOf = (id: string) => sorted.find((r) => id.startsWith(`${r.label}:`));
  const out: TreeNode[] = [];
  for (const r of sorted) {
    const states = result.states.filter((s) => rootOf(s.vpc) === r);
    const children = stateGroups(states);
    out.push({
      kind: 'root',
      label: r.dir || r.label,
      description: `${states.length} VPC/VNet${states.length === 1 ? '' : 's'}`,
      tooltip: `Terraform root module ${r.dir || r.label}${r.varFiles.length ? `; var files: ${r.varFiles.join(', ')}` : ''}`,
      children,
    });
  }
  const rest = result.states.filter((s) => !rootOf(s.vpc));
  if (rest.length)
    out.push({
      kind: 'root',
      label: 'Other inputs',
      description: `${rest.length} VPC/VNet${rest.length === 1 ? '' : 's'}`,
      tooltip: 'VPCs/VNets read from inputs outside the Terraform root modules (plan JSON, CloudFormation, exports)',
      children: stateGroups(rest),
    });
  return out;
}

// ---------------------------------------------------------------- CodeLens

export interface LensSpec {
  range: SourceRange;
  title: string;
  tooltip?: string;
  command: string;
  args: unknown[];
}

/** Subnets whose egress starts with a lookup in this route table. */
export function subnetsUsingTable(rt: string, egress: readonly SubnetEgress[]): string[] {
  return [...(egressIndex(egress).tableUsers.get(rt) ?? [])];
}

/** A CodeLens title stays short: the editor line above a resource is not the place for a paragraph. */
export const LENS_MAX = 60;

function fitLens(s: string): string {
  return s.length <= LENS_MAX ? s : `${s.slice(0, LENS_MAX - 1)}…`;
}

/** The instance key of a `count`/`for_each` resource (`["a"]`, `[0]`), from its address. */
export function instanceKey(e: Pick<NetworkElement, 'id' | 'address'>): string | undefined {
  return /(\[[^[\]]*\])$/.exec(e.address ?? e.id)?.[1];
}

function legCount(n: number, what: string): string {
  return `${n} ${what} leg${n === 1 ? '' : 's'}`;
}

/**
 * Above each subnet, route table and spoke gateway defined in `file`, one lens per instance (a
 * `for_each`/`count` resource gets one per key, labelled with it): the action first, then the routing
 * verdict ("Trace egress · ⚠ return via gwlbe-a (other AZ)"), at most LENS_MAX characters. The VPC's
 * state and the full verdict are in the tooltip.
 */
export function lensesForFile(file: string, result: Pick<AnalysisResult, 'model' | 'states' | 'egress'>): LensSpec[] {
  const byId = elementsById(result);
  const stateOf = new Map(result.states.map((s) => [s.vpc, s]));
  const ex = egressIndex(result.egress);
  const out: LensSpec[] = [];
  for (const e of result.model.elements) {
    if (e.loc.file !== file) continue;
    if (e.kind !== 'subnet' && e.kind !== 'routeTable' && !(e.kind === 'aviatrixGateway' && e.role === 'spoke')) continue;
    const vpc = vpcOf(e.id, byId, result.egress);
    const st = vpc ? stateOf.get(vpc) : undefined;
    const key = instanceKey(e);
    const stateLine = st
      ? `${st.name || vpc}: ${st.state}. ${st.reason}`
      : 'No protection state for this VPC (not analysed or not resolved).';
    const trace = (detail: string, subnets: string[], headline?: string) =>
      out.push({
        range: e.loc.range,
        title: fitLens(`Trace egress${key ? ` ${key}` : ''} · ${detail}`),
        tooltip: headline ? `${headline}\n\n${stateLine}` : stateLine,
        command: 'egressLens.traceEgress',
        args: [subnets.length === 1 ? subnets[0] : subnets],
      });
    const show = (detail: string) =>
      out.push({
        range: e.loc.range,
        title: fitLens(`Show in topology${key ? ` ${key}` : ''} · ${detail}`),
        tooltip: stateLine,
        command: 'egressLens.showTopology',
        args: [{ focus: vpc ?? e.id }],
      });
    if (e.kind === 'subnet') {
      const g = ex.bySubnet.get(e.id);
      if (g) {
        const v = routingVerdict(g, st ? { state: st } : {});
        trace(v.short, [e.id], v.headline);
      } else show(st ? st.state : 'Unknown');
    } else if (e.kind === 'routeTable') {
      // Counted as the route hover counts: every leg a route of this table decides a hop of, so an
      // IGW edge table shows the return legs it carries.
      const legs = ex.tableLegs.get(e.id);
      const subnets = legs ? [...new Set([...legs.forward, ...legs.return])] : [];
      if (!legs || subnets.length === 0) {
        // A VPC's implicit main table is located at the VPC block: no lens unless it routes something.
        if (e.routes.every((r) => r.implicit)) continue;
        show('on no traced path');
        continue;
      }
      const parts: string[] = [];
      if (legs.forward.length && legs.return.length) parts.push(`legs: ${legs.forward.length} out, ${legs.return.length} back`);
      else if (legs.forward.length) parts.push(legCount(legs.forward.length, 'forward'));
      else parts.push(legCount(legs.return.length, 'return'));
      if (legs.asymmetric.length) parts.push(`⚠ ${legs.asymmetric.length} asymmetric`);
      trace(parts.join(', '), subnets);
    } else {
      const subnets = vpc ? [...(ex.byVpc.get(vpc) ?? [])] : [];
      if (subnets.length === 0) {
        show(st ? st.state : 'Unknown');
        continue;
      }
      if (subnets.length === 1) {
        const v = routingVerdict(ex.bySubnet.get(subnets[0])!, st ? { state: st } : {});
        trace(v.short, subnets, v.headline);
      } else trace(`${subnets.length} subnets egress here`, subnets);
    }
  }
  return out;
}

// ---------------------------------------------------------------- hover

export function comparePos(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(r: SourceRange, p: Position): boolean {
  return comparePos(r.start, p) <= 0 && comparePos(p, r.end) <= 0;
}

function routeText(r: Route): string {
  const dest = 'cidr' in r.destination ? r.destination.cidr : r.destination.prefixList;
  const d = typeof dest === 'string' ? dest : dest.text;
  const t = r.target.ref === undefined ? r.target.kind : typeof r.target.ref === 'string' ? r.target.ref : r.target.ref.text;
  return `${d} → ${t}${r.state === 'blackhole' ? ' (blackhole)' : ''}`;
}

/**
 * A location that is only a block header (`resource "aws_route" "x" {`) grown to the block's closing
 * brace, so a hover anywhere inside the block finds it. Braces inside strings and comments are skipped.
 */
export function blockRange(lines: readonly string[], r: SourceRange): SourceRange {
  if (r.start.line !== r.end.line || !lines[r.start.line]?.trimEnd().endsWith('{')) return r;
  let depth = 0;
  for (let i = r.start.line; i < lines.length; i++) {
    let inString = false;
    const line = lines[i];
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (inString) {
        if (ch === '\\') c++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '#' || (ch === '/' && line[c + 1] === '/')) break;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) return { start: r.start, end: { line: i, character: c + 1 } };
    }
  }
  return r;
}

/**
 * Markdown for a hover on a route: the subnets whose table it is in, and the traced paths it is a hop of.
 * `lines` (the document text) lets a route written as its own resource match anywhere in its block.
 */
/**
 * Why a `reveal` asked for by the webview is refused, or undefined when it may open: only a file of
 * the analysed workspace (a crafted message must not open ~/.ssh/config or a command URI).
 */
export function revealRefusal(loc: SourceLocation, isAnalysed: (file: string) => boolean): string | undefined {
  if (!isAnalysed(loc.file)) return `${JSON.stringify(loc.file.slice(0, 200))} is not a file of the analysed workspace`;
  return undefined;
}

/**
 * A name from the inputs as Markdown text: every character that could open a link, an image, HTML,
 * an entity or a code span is escaped, and line breaks are flattened (no block can start).
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`*[\]()<>!&|~#]/g, (c) => `\\${c}`);
}

/** A code span that no text can close early: the fence is longer than any run of backticks inside. */
export function codeSpan(s: string): string {
  const flat = s.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`;
}

export function routeHover(
  file: string,
  pos: Position,
  result: Pick<AnalysisResult, 'model' | 'egress'>,
  lines?: readonly string[],
): string | undefined {
  const byId = elementsById(result);
  for (const e of result.model.elements) {
    if (e.kind !== 'routeTable') continue;
    for (const r of e.routes) {
      if (r.implicit || r.loc.file !== file) continue;
      if (!rangeContains(lines ? blockRange(lines, r.loc.range) : r.loc.range, pos)) continue;
      // Names come from the inputs: escaped, so a name cannot add a link, an image or HTML.
      const name = (id: string) => escapeMarkdown(byId.get(id)?.name || id);
      const associated = result.model.elements
        .filter((a) => a.kind === 'rtAssociation' && a.routeTable === e.id && typeof a.subnet === 'string')
        .map((a) => (a.kind === 'rtAssociation' && typeof a.subnet === 'string' ? a.subnet : ''));
      const edge = result.model.elements
        .filter((a) => a.kind === 'rtAssociation' && a.routeTable === e.id && typeof a.gateway === 'string')
        .map((a) => (a.kind === 'rtAssociation' && typeof a.gateway === 'string' ? a.gateway : ''));
      const users = new Set([...associated, ...subnetsUsingTable(e.id, result.egress)]);
      const onPaths: string[] = [];
      for (const g of result.egress) {
        for (const t of [g.forward, g.return]) {
          if (!t) continue;
          const hop = t.hops.find((h) => h.decision?.route === r.id);
          if (hop) onPaths.push(`${name(g.subnet)} ${t.direction} (hop ${hop.index + 1}: ${escapeMarkdown(hop.name)})`);
        }
      }
      const md = [`**Egress Lens** · route ${codeSpan(routeText(r))} in ${name(e.id)}`, ''];
      if (e.main) md.push('Main route table of its VPC: used by every subnet without an explicit association.', '');
      if (edge.length) md.push(`Edge-associated with ${edge.map(name).join(', ')}: routes traffic entering through it.`, '');
      md.push(users.size ? `Subnets using this table: ${[...users].map(name).join(', ')}` : 'No subnet uses this table.');
      md.push('');
      md.push(onPaths.length ? `Hop of traced paths:\n${onPaths.map((p) => `- ${p}`).join('\n')}` : 'Not a hop of any traced path.');
      return md.join('\n');
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- status bar, pickers, output

export function statusText(score: EgressScore | undefined): string {
  if (!score) return '$(shield) …';
  return `$(shield) ${score.score === null ? '–' : score.score}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Leads with the score and the finding counts ("2 errors, 1 warning"), then the states, then the formula. */
export function statusTooltip(result: Pick<AnalysisResult, 'score' | 'findings' | 'suppressed'>): string {
  const s = result.score;
  const bySev = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) bySev[f.severity]++;
  const score =
    s.score === null ? (s.counted === 0 ? 'n/a (no VPC with egress)' : 'n/a (every VPC with egress is Unknown)') : `${s.score}/100`;
  const counts = [
    count(bySev.error, 'error'),
    count(bySev.warning, 'warning'),
    ...(bySev.info ? [`${bySev.info} info`] : []),
    // Accepted by egress-lens:ignore: counted apart, not as Problems.
    ...(result.suppressed?.length ? [`${result.suppressed.length} suppressed`] : []),
  ];
  const lines = [`Egress Security Score: ${score}`, counts.join(', '), ''];
  for (const st of PROTECTION_STATES) if (s.byState[st]) lines.push(`${st}: ${s.byState[st]}`);
  lines.push('', s.formula, '', 'Click to open the topology');
  return lines.join('\n');
}

export interface PickSpec {
  label: string;
  description: string;
  detail: string;
  subnet: string;
  /** The IPv6 egress of a dual-stack subnet (SubnetEgress.family): listed beside its IPv4 one. */
  family?: 6;
}

export function tracePicks(result: Pick<AnalysisResult, 'model' | 'egress' | 'states'>, only?: readonly string[]): PickSpec[] {
  const byId = elementsById(result);
  const stateOf = new Map(result.states.map((s) => [s.vpc, s]));
  const dual = new Set(result.egress.filter((g) => g.family === 6).map((g) => g.subnet));
  return (
    result.egress
      // An extra egress along a narrow route (SubnetEgress.narrow) is shown through its findings, not as a pick.
      .filter((g) => !g.narrow && (!only || only.includes(g.subnet)))
      .map((g) => {
        const el = byId.get(g.subnet);
        const v6 = g.family === 6 && el?.kind === 'subnet' && typeof el.ipv6Cidr === 'string' ? el.ipv6Cidr : '';
        const cidr = v6 || (el && el.kind === 'subnet' && typeof el.cidr === 'string' ? el.cidr : '');
        // A dual-stack subnet has a pick per family, each named by it.
        const family = g.family === 6 ? ' · IPv6' : dual.has(g.subnet) ? ' · IPv4' : '';
        return {
          label: `${el?.name || g.subnet}${family}`,
          description: [cidr, byId.get(g.vpc)?.name || g.vpc, stateOf.get(g.vpc)?.state].filter(Boolean).join(' · '),
          detail: egressSummary(g, stateOf.get(g.vpc)),
          subnet: g.subnet,
          ...(g.family === 6 ? { family: 6 as const } : {}),
        };
      })
      .sort((a, b) => byText(a.label, b.label))
  );
}

/**
 * One leg as the output channel prints it: a line with the leg's verdict, then its steps, numbered
 * over both legs, each headed by its design stage, exactly as the topology's narration shows them
 * (analysis/verdict.ts builds both).
 */
export function formatTrace(t: PathTrace, divergence?: SubnetEgress['divergence'], first = 1): string[] {
  const lines = [`  ${t.direction} ${t.source.ip} -> ${t.destination.domain ?? t.destination.ip}: ${legVerdict(t)}`];
  for (const s of legSteps(t, first, divergence)) {
    lines.push(`    ${s.n}. ${s.stage}${s.note ? ` - ${s.note}` : ''}`);
    if (s.diverges) lines.push(`       ⚠ return diverges here: ${s.diverges}`);
  }
  return lines;
}

/** What Simulate Flow leads with: a policy denial, else the routing verdict (the same sentence Trace shows). */
export function simulationHeadline(sim: FlowSimulation): string {
  if (sim.outcome === 'denied') return `DENIED: ${sim.summary}`;
  return (sim.routing ?? routingVerdict(sim, { protocol: sim.flow.protocol, flowVerdicts: sim.verdicts })).headline;
}

export function formatSimulation(sim: FlowSimulation): string {
  const f = sim.flow;
  const lines = [
    `Simulate ${f.protocol}${f.port !== undefined ? `/${f.port}` : ''} ${f.source} -> ${f.destination}: ${simulationHeadline(sim)}`,
    `  policy: ${sim.outcome.toUpperCase()}: ${sim.summary}`,
  ];
  for (const v of sim.verdicts) lines.push(`  verdict at ${v.at}: ${v.decision}${v.policyName ? ` by ${v.policyName}` : ''} - ${v.reason}`);
  lines.push(...formatTrace(sim.forward));
  if (sim.return) lines.push(...formatTrace(sim.return, sim.divergence, sim.forward.hops.length + 1));
  return lines.join('\n');
}

/**
 * The SubnetEgress a finding is about, for "Show this path in the topology": its subnet, or its forward trace
 * id when it is the IPv6 egress of a dual-stack subnet (the Trace command resolves both: egressOfTrace).
 */
export function findingTrace(f: Finding, egress: readonly SubnetEgress[]): string | undefined {
  for (const t of f.traces ?? []) {
    const g = egress.find((e) => (e.subnet === t && e.family === undefined && !e.narrow) || e.forward.id === t || e.return?.id === t);
    if (g) return g.family === 6 || g.narrow ? g.forward.id : g.subnet;
  }
  return egress.find((e) => e.subnet === f.elementId)?.subnet;
}

/** Lines and characters a range spans, for picking the innermost of nested definitions. */
function rangeSize(r: SourceRange): number {
  return (r.end.line - r.start.line) * 100_000 + (r.end.character - r.start.character);
}

/**
 * The element defined under the cursor: the innermost definition (extent, else header) containing
 * `pos` in `file`. The topology focuses it (or the box that holds it) as the cursor moves.
 */
export function elementAt(model: AnalysisResult['model'], file: string, pos: Position): string | undefined {
  let best: { id: string; size: number } | undefined;
  for (const e of model.elements) {
    if (e.loc.file !== file) continue;
    const r = e.extent ?? e.loc.range;
    if (!rangeContains(r, pos)) continue;
    const size = rangeSize(r);
    if (!best || size < best.size) best = { id: e.id, size };
  }
  return best?.id;
}

// ---------------------------------------------------------------- Terraform roots

const rootCache = new WeakMap<AnalysisResult, Map<string, AnalysisResult>>();

/**
 * The part of a result that belongs to one Terraform root module (ids start with `<label>:`), for a
 * topology of one root among several; the score is that root's. Any other label, or a single root: the
 * whole result.
 */
export function resultForRoot(result: AnalysisResult, label: string | undefined): AnalysisResult {
  const roots = result.terraformRoots ?? [];
  if (label === undefined || roots.length <= 1 || !roots.some((r) => r.label === label)) return result;
  let byLabel = rootCache.get(result);
  if (!byLabel) rootCache.set(result, (byLabel = new Map()));
  const hit = byLabel.get(label);
  if (hit) return hit;
  const p = `${label}:`;
  const mine = (id: string) => id.startsWith(p);
  const states = result.states.filter((st) => mine(st.vpc));
  const out: AnalysisResult = {
    ...result,
    model: { ...result.model, elements: result.model.elements.filter((e) => mine(e.id)) },
    egress: result.egress.filter((g) => mine(g.subnet)),
    findings: result.findings.filter((f) => mine(f.elementId)),
    states,
    score: computeScore(states),
    simulations: result.simulations.filter((x) => mine(x.forward.source.element)),
    parseDiagnostics: result.parseDiagnostics,
  };
  byLabel.set(label, out);
  return out;
}

export interface RootPick {
  label: string;
  description: string;
  /** undefined: every root. */
  root: string | undefined;
}

/** The choices of "Show topology" when the workspace has several Terraform roots (none otherwise). */
export function rootPicks(result: Pick<AnalysisResult, 'terraformRoots' | 'states'>): RootPick[] {
  const roots = result.terraformRoots ?? [];
  if (roots.length <= 1) return [];
  const count = (label: string) => result.states.filter((st) => st.vpc.startsWith(`${label}:`)).length;
  return [
    { label: 'All root modules', description: `${roots.length} roots, ${result.states.length} VPC/VNets`, root: undefined },
    ...[...roots]
      .sort((a, b) => byText(a.dir, b.dir))
      .map((r) => ({ label: r.dir || r.label, description: `${count(r.label)} VPC/VNets`, root: r.label })),
  ];
}

// ---------------------------------------------------------------- Simulate Flow prompts

/** The last flow Simulate Flow asked for, as stored in the workspace state: only well-typed fields survive. */
export function rememberedFlow(v: unknown): Partial<FlowSpec> {
  if (!v || typeof v !== 'object') return {};
  const o = v as Record<string, unknown>;
  return {
    ...(typeof o.source === 'string' ? { source: o.source } : {}),
    ...(typeof o.destination === 'string' ? { destination: o.destination } : {}),
    ...(o.protocol === 'tcp' || o.protocol === 'udp' || o.protocol === 'icmp' ? { protocol: o.protocol } : {}),
    ...(typeof o.port === 'number' ? { port: o.port } : {}),
  };
}

/**
 * What the Simulate Flow prompts offer: the last flow asked for, field by field, else the first
 * traced subnet, the configured destination (else 8.8.8.8), TCP and port 443.
 */
export function flowPrompts(
  last: Partial<FlowSpec>,
  firstSubnet: string,
  destination: string | undefined,
): { source: string; destination: string; protocols: FlowSpec['protocol'][]; port: string } {
  const protocols: FlowSpec['protocol'][] = ['tcp', 'udp', 'icmp'];
  if (last.protocol) protocols.sort((a, b) => (a === last.protocol ? -1 : b === last.protocol ? 1 : 0));
  return {
    source: last.source ?? firstSubnet,
    destination: last.destination ?? destination ?? '8.8.8.8',
    protocols,
    port: String(last.port ?? 443),
  };
}
