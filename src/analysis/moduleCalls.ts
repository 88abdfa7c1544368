// The module calls behind a finding: a finding located in a Terraform module's code (modules/route-table/main.tf)
// points at text every call of that module shares. Each finding whose located resource comes from a module
// instance gets one related location per module call that creates it, the root module's call first:
// "via module.spoke_a" at the root's `module "spoke_a" {`, where that instance's inputs are decided.
// Exact only: when the location's resource has instances of several calls, those the finding's element and traces
// pass through are named; when they name none, nothing is added.
import type { ModuleCall, NetworkElement, SourceLocation, SourceRange } from '../model/types';
import type { Finding, RelatedLocation, SubnetEgress } from './types';

const TERRAFORM_FILE = /\.tf(\.json)?$/i;

function contains(r: SourceRange, at: SourceRange): boolean {
  const { start } = at;
  if (start.line < r.start.line || start.line > r.end.line) return false;
  if (start.line === r.start.line && start.character < r.start.character) return false;
  if (start.line === r.end.line && start.character > r.end.character) return false;
  return true;
}

const chainKey = (calls: readonly ModuleCall[]): string => calls.map((c) => c.module).join(' ');

const sameLoc = (a: SourceLocation, b: SourceLocation): boolean =>
  a.file === b.file &&
  a.range.start.line === b.range.start.line &&
  a.range.start.character === b.range.start.character &&
  a.range.end.line === b.range.end.line &&
  a.range.end.character === b.range.end.character;

/** Adds the module-call related locations to the findings (in place). */
export function addModuleCalls(findings: Finding[], elements: readonly NetworkElement[], egress: readonly SubnetEgress[]): void {
  // Only a finding in a .tf file can be in a module's code: most runs (exports, templates) stop here.
  if (!findings.some((f) => TERRAFORM_FILE.test(f.location.file))) return;
  let byFile: Map<string, NetworkElement[]> | undefined;
  let byTrace: Map<string, SubnetEgress> | undefined;
  for (const f of findings) {
    if (!TERRAFORM_FILE.test(f.location.file)) continue;
    if (!byFile) {
      byFile = new Map();
      for (const e of elements) {
        if (!e.moduleCalls) continue;
        let l = byFile.get(e.loc.file);
        if (!l) byFile.set(e.loc.file, (l = []));
        l.push(e);
      }
      if (byFile.size === 0) return;
    }
    // The resource the finding is located at: every instance of the block holding the location. A location that is
    // no element's (an aws_route block, merged into its table) stands for the elements of that file the finding is
    // about.
    const inFile = byFile.get(f.location.file);
    if (!inFile) continue;
    let located = inFile.filter((e) => contains(e.extent ?? e.loc.range, f.location.range));
    if (located.length === 0 || distinctChains(located).length > 1) {
      byTrace ??= traceIndex(egress);
      const about = aboutIds(f, byTrace);
      located = (located.length ? located : inFile).filter((e) => about.has(e.id));
    }
    const chains = distinctChains(located);
    if (chains.length === 0) continue;
    // One related location per call site, naming the instances called there: a call inside a shared module
    // (modules/spoke/main.tf's `module "rt"`) is written once for every instance of its caller.
    const sites: { loc: SourceLocation; modules: string[] }[] = [];
    for (const calls of chains)
      for (const c of calls) {
        if (f.related.some((r) => sameLoc(r.location, c.loc))) continue;
        const site = sites.find((x) => sameLoc(x.loc, c.loc));
        if (!site) sites.push({ loc: c.loc, modules: [c.module] });
        else if (!site.modules.includes(c.module)) site.modules.push(c.module);
      }
    const added: RelatedLocation[] = sites.map((x) => ({ location: x.loc, message: `via ${listed(x.modules)}` }));
    if (added.length) f.related = [...f.related, ...added];
  }
}

/** The egress of each subnet and trace id. */
function traceIndex(egress: readonly SubnetEgress[]): Map<string, SubnetEgress> {
  const out = new Map<string, SubnetEgress>();
  for (const eg of egress) {
    // A subnet's first egress (its IPv4 one when it is dual-stack; the IPv6 family is named by its trace id).
    if (!out.has(eg.subnet)) out.set(eg.subnet, eg);
    out.set(eg.forward.id, eg);
    if (eg.return) out.set(eg.return.id, eg);
  }
  return out;
}

/** What a finding is about: its element, and the subnets, hops and route tables of its traces. */
function aboutIds(f: Finding, byTrace: ReadonlyMap<string, SubnetEgress>): Set<string> {
  const about = new Set<string>([f.elementId]);
  for (const t of f.traces ?? []) {
    const eg = byTrace.get(t);
    if (!eg) continue;
    about.add(eg.subnet);
    for (const trace of eg.return ? [eg.forward, eg.return] : [eg.forward])
      for (const h of trace.hops) {
        about.add(h.element);
        if (h.decision) about.add(h.decision.routeTable);
      }
  }
  return about;
}

/** The distinct call chains of the located instances. */
function distinctChains(located: NetworkElement[]): ModuleCall[][] {
  const out = new Map<string, ModuleCall[]>();
  for (const e of located) {
    const calls = e.moduleCalls ?? [];
    const k = chainKey(calls);
    if (!out.has(k)) out.set(k, calls);
  }
  return [...out.values()];
}

function listed(names: string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
