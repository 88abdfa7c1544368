// Aviatrix controller exports: the DCF policy list as `GET microseg/policy-list` returns it
// (`policies` with `src_ads`/`dst_ads`/`web_filters`), rulesets (`rules` with `src_smart_groups`),
// and SmartGroups/WebGroups/ExternalGroups as `app-domains` (`selector.any[].all`). Detected by shape.
import {
  AVIATRIX_ALL_WEB_UUID,
  AVIATRIX_ANYWHERE_UUID,
  AVIATRIX_PUBLIC_INTERNET_UUID,
  type DcfPolicy,
  type NetworkElement,
  type PortRange,
  type SmartGroup,
  type SmartGroupSelector,
  type SourceLocation,
  type WebGroup,
} from '../model/types';
import type { ModelFragment, ParseOptions } from './types';
import { JsonDoc, readJsonInput, type JsonNode as Node } from './jsonDoc';
import { BUILTIN_BY_UUID, BUILTIN_GROUP_IDS, SELECTOR_FIELDS, dcfAction, dcfProtocol, portRange } from './vocabulary/aviatrix';

/** Model id of a predefined group's UUID, or undefined. */
export const builtinGroupId = (uuid: string): string | undefined =>
  BUILTIN_BY_UUID[uuid] ? BUILTIN_GROUP_IDS[BUILTIN_BY_UUID[uuid]] : undefined;

/** A builtin group element, located where it was first referenced. */
export function builtinGroup(uuid: string, loc: SourceLocation): SmartGroup | WebGroup | undefined {
  const base = { id: builtinGroupId(uuid) ?? uuid, loc, cloud: 'other' as const, uuid };
  if (uuid === AVIATRIX_ANYWHERE_UUID)
    return { ...base, kind: 'smartGroup', name: 'Anywhere', builtin: 'anywhere', selectors: [{ cidr: '0.0.0.0/0' }] };
  if (uuid === AVIATRIX_PUBLIC_INTERNET_UUID)
    return { ...base, kind: 'smartGroup', name: 'Public Internet', builtin: 'publicInternet', selectors: [] };
  if (uuid === AVIATRIX_ALL_WEB_UUID) return { ...base, kind: 'webGroup', name: 'All-Web', builtin: 'allWeb', domains: ['*'], urls: [] };
  return undefined;
}

const POLICY_KEYS = ['src_ads', 'dst_ads', 'src_smart_groups', 'dst_smart_groups'];

/** Does this parsed JSON look like a controller export? Cheap checks on the first items only. */
export function looksLikeAviatrixExport(doc: JsonDoc): boolean {
  const root = unwrap(doc, doc.root);
  if (!root || doc.type(root) !== 'object') return false;
  const isPolicy = (n: Node | undefined) => POLICY_KEYS.some((k) => doc.has(n, k));
  const first = (key: string) => doc.objects(root, key)[0];
  if (isPolicy(first('policies')) || isPolicy(first('rules'))) return true;
  const group = first('app_domains') ?? first('smart_groups') ?? first('web_groups') ?? first('external_groups');
  if (group && doc.has(group, 'selector') && doc.has(group, 'uuid')) return true;
  return doc.type(doc.prop(root, 'enable_distributed_firewalling')) === 'boolean' && doc.keys(root).length <= 3;
}

/** Controller responses are sometimes wrapped: `{ "return": true, "results": {...} }`. */
function unwrap(doc: JsonDoc, root: Node | undefined): Node | undefined {
  for (const k of ['results', 'data']) {
    const inner = doc.prop(root, k);
    if (doc.type(inner) === 'object') return inner;
  }
  return root;
}

export function parseAviatrixExport(file: string, text: string, _opts?: ParseOptions): ModelFragment {
  return readJsonInput(file, text, { format: 'aviatrix-export', top: 'object', what: 'Aviatrix export', unwrap }, (doc, root, out) =>
    new ExportReader(doc, out).read(root),
  );
}

class ExportReader {
  private readonly builtins = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly doc: JsonDoc,
    private readonly out: ModelFragment,
  ) {}

  private push(e: NetworkElement): void {
    if (this.seen.has(e.id)) {
      this.out.diagnostics.push({
        code: 'duplicate-id',
        severity: 'warning',
        message: `${e.kind} ${e.id} appears twice in this export; the first is kept`,
        loc: e.loc,
      });
      return;
    }
    this.seen.add(e.id);
    this.out.elements.push(e);
  }

  read(root: Node): void {
    const d = this.doc;
    const enabled = d.propNode(root, 'enable_distributed_firewalling');
    if (enabled) {
      const v = d.bool(root, 'enable_distributed_firewalling');
      this.push({
        id: 'aviatrix:dcf-config',
        kind: 'dcfConfig',
        name: 'Distributed Cloud Firewall',
        loc: d.loc(enabled),
        attrs: { enable_distributed_firewalling: d.range(d.prop(root, 'enable_distributed_firewalling') ?? enabled) },
        cloud: 'other',
        enabled: v ?? false,
      });
    }
    for (const key of ['app_domains', 'smart_groups', 'web_groups', 'external_groups']) {
      for (const g of d.objects(root, key)) this.group(g, key);
    }
    d.objects(root, 'policies').forEach((p, i) => this.policy(p, i, 'policies'));
    const rulesetName = d.str(root, 'name') ?? 'rules';
    d.objects(root, 'rules').forEach((p, i) => this.policy(p, i, rulesetName));
    for (const rs of d.objects(root, 'rulesets')) {
      const name = d.str(rs, 'name') ?? 'ruleset';
      d.objects(rs, 'rules').forEach((p, i) => this.policy(p, i, name));
    }
  }

  /** Match expressions: API form `selector.any[].all`, or the Terraform-like `selector.match_expressions[]`. */
  private expressions(g: Node): Record<string, unknown>[] {
    const d = this.doc;
    const sel = d.prop(g, 'selector');
    const any = d.objects(sel, 'any').map((a) => d.get(a, 'all'));
    const me = d.objects(sel, 'match_expressions').map((m) => d.value(m));
    return [...any, ...me].filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x));
  }

  private group(g: Node, listKey: string): void {
    const d = this.doc;
    const uuid = d.str(g, 'uuid');
    const name = d.str(g, 'name') ?? uuid ?? 'group';
    const loc = d.keyLoc(g, 'uuid');
    if (uuid && builtinGroupId(uuid)) {
      this.builtin(uuid, loc);
      return;
    }
    if (!uuid) {
      this.out.diagnostics.push(d.diagAt(g, 'missing-field', 'warning', `group ${name} has no uuid: policies cannot refer to it`));
      return;
    }
    const exprs = this.expressions(g);
    const base = { id: uuid, name, loc, extent: d.range(g), cloud: 'other' as const, uuid, providerId: uuid };
    const isWeb = listKey === 'web_groups' || exprs.some((e) => 'snifilter' in e || 'urlfilter' in e);
    const external = exprs.find((e) => 'external' in e);
    if (listKey === 'external_groups' || external) {
      this.push({ ...base, kind: 'externalGroup', ...(external ? { source: String(external.external) } : {}) });
      return;
    }
    if (isWeb) {
      const domains = exprs.map((e) => e.snifilter).filter((v): v is string => typeof v === 'string');
      const urls = exprs.map((e) => e.urlfilter).filter((v): v is string => typeof v === 'string');
      this.push({ ...base, kind: 'webGroup', domains, urls });
      return;
    }
    this.push({ ...base, kind: 'smartGroup', selectors: exprs.map(selector) });
  }

  private builtin(uuid: string, loc: SourceLocation): string {
    const id = builtinGroupId(uuid) ?? uuid;
    if (!this.builtins.has(uuid)) {
      this.builtins.add(uuid);
      const e = builtinGroup(uuid, loc);
      if (e) this.push(e);
    }
    return id;
  }

  private groupRefs(p: Node, keys: string[]): string[] {
    const d = this.doc;
    for (const k of keys) {
      const arr = d.prop(p, k);
      if (!arr) continue;
      return d
        .items(arr)
        .filter((n) => d.type(n) === 'string')
        .map((n) => {
          const uuid = d.value(n) as string;
          return builtinGroupId(uuid) ? this.builtin(uuid, d.loc(n)) : uuid;
        });
    }
    return [];
  }

  private policy(p: Node, index: number, list: string): void {
    const d = this.doc;
    const name = d.str(p, 'name') ?? `${list}[${index}]`;
    const uuid = d.str(p, 'uuid');
    const rawAction = (d.str(p, 'action') ?? 'PERMIT').toUpperCase();
    const ports: PortRange[] = [];
    for (const r of d.objects(p, 'port_ranges')) {
      const lo = d.num(r, 'lo');
      const hi = d.num(r, 'hi');
      if (lo === undefined) continue;
      ports.push(portRange(lo, hi));
    }
    const priority = d.num(p, 'priority');
    if (priority === undefined)
      this.out.diagnostics.push(d.diagAt(p, 'missing-field', 'warning', `policy ${name} has no priority; evaluated last`));
    const enabledFlag = d.bool(p, 'enabled');
    const disabled = d.bool(p, 'disabled');
    const pol: DcfPolicy = {
      id: uuid ?? `${d.file}#${name}`,
      kind: 'dcfPolicy',
      name,
      loc: d.keyLoc(p, 'name'),
      extent: d.range(p),
      attrs: d.attrs(p, [
        'action',
        'priority',
        'protocol',
        'port_ranges',
        'src_ads',
        'dst_ads',
        'src_smart_groups',
        'dst_smart_groups',
        'web_filters',
        'web_groups',
        'logging',
        'watch',
      ]),
      cloud: 'other',
      list,
      priority: priority ?? Number.MAX_SAFE_INTEGER,
      ...dcfAction(rawAction),
      rawAction,
      srcGroups: this.groupRefs(p, ['src_ads', 'src_smart_groups']),
      dstGroups: this.groupRefs(p, ['dst_ads', 'dst_smart_groups']),
      webGroups: this.groupRefs(p, ['web_filters', 'web_groups']),
      protocol: dcfProtocol(d.str(p, 'protocol') ?? 'ANY') ?? 'any',
      ports,
      logging: d.bool(p, 'logging') ?? false,
      watch: d.bool(p, 'watch') ?? false,
      enabled: enabledFlag ?? (disabled === undefined ? true : !disabled),
    };
    if (uuid) pol.providerId = uuid;
    if (!pol.attrs) delete pol.attrs;
    this.push(pol);
  }
}

function selector(e: Record<string, unknown>): SmartGroupSelector {
  const s: SmartGroupSelector = {};
  const tags: Record<string, string> = {};
  const other: Record<string, string> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'tags' && typeof v === 'object' && v !== null) {
      for (const [tk, tv] of Object.entries(v)) tags[tk] = String(tv);
    } else if (k.startsWith('tags.')) tags[k.slice(5)] = String(v);
    else if (SELECTOR_FIELDS[k]) (s as Record<string, unknown>)[SELECTOR_FIELDS[k]] = String(v);
    else other[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (Object.keys(tags).length) s.tags = tags;
  if (Object.keys(other).length) s.other = other;
  return s;
}
