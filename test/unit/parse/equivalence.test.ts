// The same network written as Terraform, its plan JSON, CloudFormation and AWS CLI export (Azure:
// Terraform, plan JSON and Azure CLI) must give the same model apart from ids and locations:
// compared by CIDR, Name tag and target names, element by element.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import type { NetworkElement, NetworkModel } from '../../../src/model/types';
import { exampleFiles, repoRoot } from './helpers';
import { analyze } from '../../../src/analysis/analyze';

/** Files of test/fixtures/equivalence/<folder>. */
function fixtureFiles(folder: string, filter: (f: string) => boolean): Map<string, string> {
  const dir = path.join(repoRoot(), 'test', 'fixtures', 'equivalence', folder);
  const out = new Map<string, string>();
  for (const f of fs.readdirSync(dir))
    if (filter(f)) out.set(`test/fixtures/equivalence/${folder}/${f}`, fs.readFileSync(path.join(dir, f), 'utf8'));
  return out;
}

async function load(folder: string, filter: (f: string) => boolean, files = exampleFiles(folder, filter)): Promise<NetworkModel> {
  const ws = await createWorkspace();
  for (const [file, text] of files) ws.setFile(file, text);
  const b = ws.build();
  assert.deepEqual(
    b.diagnostics.filter((d) => d.severity !== 'info'),
    [],
    `${folder} parses cleanly`,
  );
  return b.model;
}

/** A description of the network that leaves out ids and locations. */
function shape(model: NetworkModel) {
  const by = new Map<string, NetworkElement>(model.elements.map((e) => [e.id, e]));
  const name = (ref: unknown) => (typeof ref === 'string' ? (by.get(ref)?.name ?? `?${ref}`) : 'unresolved');
  const els = model.elements;
  const vpcs = els.flatMap((e) => (e.kind === 'vpc' ? [`${e.name} ${e.cidrs.join(',')}`] : [])).sort();
  const subnets = els.flatMap((e) => (e.kind === 'subnet' ? [`${e.name} ${String(e.cidr)} ${String(e.az)} in ${name(e.vpc)}`] : [])).sort();
  const routes = els
    .flatMap((e) =>
      e.kind === 'routeTable' && !e.main
        ? e.routes
            .filter((r) => !r.implicit)
            .map(
              (r) =>
                `${e.name} in ${name(e.vpc)}: ${'cidr' in r.destination ? String(r.destination.cidr) : 'pl'} -> ${r.target.kind} ${name(r.target.ref)}${r.target.ip !== undefined ? ` ${String(r.target.ip)}` : ''} ${r.state}`,
            )
        : [],
    )
    .sort();
  const tables = els.flatMap((e) => (e.kind === 'routeTable' && !e.main ? [e.name] : [])).sort();
  const assocs = els
    .flatMap((e) =>
      e.kind === 'rtAssociation' && !e.mainOfVpc
        ? [`${e.subnet !== undefined ? 'subnet ' + name(e.subnet) : 'gateway ' + name(e.gateway)} -> ${name(e.routeTable)}`]
        : [],
    )
    .sort();
  const mains = els.filter((e) => e.kind === 'routeTable' && e.main).length;
  const natgws = els.flatMap((e) => (e.kind === 'natgw' ? [`${e.name} in ${name(e.subnet)} ${e.connectivity}`] : [])).sort();
  const endpoints = els.flatMap((e) => (e.kind === 'gwlbe' ? [`${e.name} in ${name(e.subnet)} of ${name(e.vpc)}`] : [])).sort();
  const igws = els.flatMap((e) => (e.kind === 'igw' ? [`${e.name} on ${name(e.vpc)}`] : [])).sort();
  const mainTables = els
    .flatMap((e) =>
      e.kind === 'routeTable' && e.main ? [`main of ${name(e.vpc)}: ${e.routes.filter((r) => !r.implicit).length} routes`] : [],
    )
    .sort();
  return { vpcs, subnets, tables, routes, assocs, mains, mainTables, natgws, endpoints, igws };
}

/** Firewall policies and rule groups, by name: what the posture is decided from. */
function policyShape(model: NetworkModel) {
  const by = new Map<string, NetworkElement>(model.elements.map((e) => [e.id, e]));
  const name = (ref: unknown) => (typeof ref === 'string' ? (by.get(ref)?.name ?? `?${ref}`) : 'unresolved');
  const policies = model.elements.flatMap((e) =>
    e.kind === 'firewallPolicy'
      ? [
          {
            name: e.name,
            stateless: e.statelessDefault,
            stateful: e.statefulDefault,
            order: e.ruleOrder,
            groups: (e.statefulGroups ?? []).map(name),
            statelessGroups: (e.statelessGroups ?? []).map((g, i) => `${name(g)} priority ${String(e.statelessPriorities?.[i])}`),
            variables: e.variables,
          },
        ]
      : [],
  );
  const groups = model.elements
    .flatMap((e) =>
      e.kind === 'firewallRuleGroup'
        ? [{ name: e.name, stage: e.stage, rules: e.rules, statelessRules: e.statelessRules, variables: e.variables }]
        : [],
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  return { policies, groups };
}

describe('parse: the same network in three formats (equivalence)', function () {
  this.timeout(60000);

  it('Terraform aws-distributed-egress-asymmetric == AWS CLI export', async () => {
    const tf = shape(await load('aws-distributed-egress-asymmetric', (f) => f.endsWith('.tf')));
    const cli = shape(await load('aws-cli-export', (f) => f.endsWith('.json')));
    assert.deepEqual(cli, tf);
    // A real check, not two empty lists: the breaks are in there.
    assert.ok(tf.routes.includes('igw-edge-rt in workload-vpc: 10.0.11.0/24 -> gwlbe gwlbe-a active'));
    assert.ok(tf.routes.includes('mgmt-legacy-rt in workload-vpc: 0.0.0.0/0 -> igw workload-igw active'));
    assert.equal(tf.subnets.length, 9);
    assert.equal(tf.assocs.length, 8);
  });

  it('Terraform aws-distributed-egress-ok == CloudFormation template', async () => {
    const tf = shape(await load('aws-distributed-egress-ok', (f) => f.endsWith('.tf')));
    const cfn = shape(await load('cloudformation', (f) => f.endsWith('.yaml')));
    // Terraform creates each VPC's default (main) route table; a template has none: compare the rest.
    assert.equal(tf.mains, 2);
    assert.equal(cfn.mains, 0);
    assert.deepEqual({ ...cfn, mains: 0, mainTables: [] }, { ...tf, mains: 0, mainTables: [] });
    assert.ok(tf.routes.includes('igw-edge-rt in workload-vpc: 10.0.10.0/24 -> gwlbe gwlbe-a active'));
    assert.equal(tf.routes.length, 7);
  });

  it('Terraform == its plan JSON (examples/terraform-plan written as .tf)', async () => {
    const tf = shape(
      await load(
        'aws-plan',
        (f) => f.endsWith('.tf'),
        fixtureFiles('aws-plan', (f) => f.endsWith('.tf')),
      ),
    );
    const plan = shape(await load('terraform-plan', (f) => f.endsWith('.json')));
    assert.deepEqual(plan, tf);
    assert.ok(tf.routes.includes('igw-edge-rt in egress-vpc: 10.20.10.0/24 -> gwlbe gwlbe active'));
    assert.ok(tf.routes.includes('gwlbe-rt in egress-vpc: 0.0.0.0/0 -> igw egress-igw active'));
    assert.deepEqual(tf.mainTables, ['main of egress-vpc: 0 routes']);
    assert.equal(tf.routes.length, 4);
    assert.equal(tf.assocs.length, 4);
  });

  it('AWS Network Firewall policy: Terraform == plan JSON == CloudFormation', async () => {
    const files = (f: (name: string) => boolean) => fixtureFiles('nfw-policy', f);
    const tf = policyShape(
      await load(
        'nfw-policy',
        () => true,
        files((f) => f.endsWith('.tf')),
      ),
    );
    const plan = policyShape(
      await load(
        'nfw-policy',
        () => true,
        files((f) => f === 'plan.json'),
      ),
    );
    const cfn = policyShape(
      await load(
        'nfw-policy',
        () => true,
        files((f) => f.endsWith('.yaml')),
      ),
    );
    assert.deepEqual(plan, tf);
    assert.deepEqual(cfn, tf);
    assert.deepEqual(tf.policies, [
      {
        name: 'egress-policy',
        stateless: ['aws:forward_to_sfe'],
        stateful: ['aws:drop_strict', 'aws:alert_strict'],
        order: 'STRICT_ORDER',
        groups: ['allowed-domains', 'egress-rules', 'block-ssh'],
        statelessGroups: ['stateless-web priority 5'],
        variables: { HOME_NET: ['10.0.0.0/8', '100.64.0.0/16'] },
      },
    ]);
    // HOME_NET, the policy's and the domain list group's own, in each format.
    assert.deepEqual(tf.groups.find((x) => x.name === 'allowed-domains')!.variables, { HOME_NET: ['10.0.0.0/8'] });
    // The stateless rules in each format, reduced to what decides which packets they take.
    assert.deepEqual(
      (
        tf.groups.find((x) => x.name === 'stateless-web')!.statelessRules as {
          priority: number;
          action: string;
          v4: { sources: string[]; dest: string };
          proto: string;
        }[]
      ).map((r) => `${r.priority} ${r.action} ${r.v4.sources.join(',') || 'any'} ${r.v4.dest} ${r.proto}`),
      ['10 forward 10.0.0.0/8 any some', '20 drop 10.0.0.0/8 any any'],
    );
    const rules = (g: string) =>
      (tf.groups.find((x) => x.name === g)!.rules as { action: string; dest: string; proto: string }[]).map(
        (r) => `${r.action} ${r.dest} ${r.proto}`,
      );
    assert.deepEqual(rules('allowed-domains'), ['pass some web', 'drop any web']);
    assert.deepEqual(rules('egress-rules'), ['pass some some', 'alert some any']);
    assert.deepEqual(rules('block-ssh'), ['drop some some']);
  });

  it('Azure Firewall rules and their sources: Terraform == plan JSON (IP group ids known only after apply)', async () => {
    const files = (f: (name: string) => boolean) => fixtureFiles('azure-firewall', f);
    const tf = policyShape(
      await load(
        'azure-firewall',
        () => true,
        files((f) => f.endsWith('.tf')),
      ),
    );
    const plan = policyShape(
      await load(
        'azure-firewall',
        () => true,
        files((f) => f === 'plan.json'),
      ),
    );
    assert.deepEqual(plan, tf);
    // Each rule with the sources it applies to: IP groups as their CIDRs, `*` as any source.
    const rules = (g: string) =>
      (
        tf.groups.find((x) => x.name === g)!.rules as { action: string; dest: string; proto: string; what: string; sources?: unknown }[]
      ).map(
        (r) =>
          `${r.what} ${r.action} ${r.dest} ${r.proto} from ${Array.isArray(r.sources) ? r.sources.join(',') : r.sources === undefined ? 'any' : 'unresolved'}`,
      );
    assert.deepEqual(rules('rcg-egress'), [
      'network rule ntp (Allow) pass any some from 10.1.0.0/16,10.2.0.0/16',
      'network rule admin-ssh (Allow) pass some some from 10.0.2.4,10.0.2.10-10.0.2.20',
      'application rule jumphost-web (Allow) pass any web from 10.0.2.0/24,10.1.0.0/16,10.2.0.0/16',
      'application rule updates (Allow) pass some web from any',
    ]);
    assert.deepEqual(rules('classic-web'), ['application rule spokes-web (Allow) pass some web from 10.1.0.0/16,10.2.0.0/16']);
  });

  it('Azure: Terraform == plan JSON == Azure CLI', async () => {
    const files = (f: (name: string) => boolean) => fixtureFiles('azure', f);
    const tf = shape(
      await load(
        'azure',
        () => true,
        files((f) => f.endsWith('.tf')),
      ),
    );
    const plan = shape(
      await load(
        'azure',
        () => true,
        files((f) => f === 'plan.json'),
      ),
    );
    const cli = shape(
      await load(
        'azure',
        () => true,
        files((f) => f.startsWith('az-')),
      ),
    );
    assert.deepEqual(plan, tf);
    assert.deepEqual(cli, tf);
    assert.deepEqual(tf.routes, [
      'rt-app in vnet-spoke: 0.0.0.0/0 -> virtualAppliance unresolved 10.0.1.4 active',
      'rt-app in vnet-spoke: 10.50.0.0/16 -> none unresolved blackhole',
      'rt-app in vnet-spoke: 192.168.0.0/16 -> vnetGateway unresolved active',
      'rt-app in vnet-spoke: AzureMachineLearning -> virtualAppliance unresolved 10.0.1.4 active',
    ]);
    assert.deepEqual(tf.assocs, ['subnet snet-app -> rt-app']);
    assert.equal(tf.subnets.length, 3);
  });

  it('Azure: a subnet delegated to the DNS resolver is the resolver’s in Terraform, plan JSON and Azure CLI; an App Service one is a workload', async () => {
    const files = (f: (name: string) => boolean) => fixtureFiles('azure-delegation', f);
    const models = await Promise.all(
      [(f: string) => f.endsWith('.tf'), (f: string) => f === 'plan.json', (f: string) => f.startsWith('az-')].map((pick) =>
        load('azure-delegation', () => true, files(pick)),
      ),
    );
    const seen = (m: NetworkModel) => {
      const r = analyze(m);
      const name = (id: string) => m.elements.find((e) => e.id === id)?.name ?? id;
      return {
        subnets: m.elements.flatMap((e) => (e.kind === 'subnet' ? [`${e.name} ${e.dedicatedTo ?? 'workload'}`] : [])).sort(),
        traced: r.egress.map((e) => name(e.subnet)).sort(),
        states: r.states.map((s) => `${s.name} ${s.state}`).sort(),
      };
    };
    const [tf, plan, cli] = models.map(seen);
    assert.deepEqual(plan, tf);
    assert.deepEqual(cli, tf);
    assert.deepEqual(tf.subnets, [
      'snet-resolver-in Private DNS Resolver',
      'snet-resolver-out Private DNS Resolver',
      'snet-tools workload',
      'snet-webapp workload',
    ]);
    assert.deepEqual(tf.traced, ['snet-tools', 'snet-webapp']);
  });

  it('Azure: an NVA NIC (IP forwarding) and a service-tag UDR give the same NVA, states and findings in Terraform, plan JSON and Azure CLI', async () => {
    const files = (f: (name: string) => boolean) => fixtureFiles('azure', f);
    const models = await Promise.all(
      [(f: string) => f.endsWith('.tf'), (f: string) => f === 'plan.json', (f: string) => f.startsWith('az-')].map((pick) =>
        load('azure', () => true, files(pick)),
      ),
    );
    const verdicts = (m: NetworkModel) => {
      const by = new Map<string, NetworkElement>(m.elements.map((e) => [e.id, e]));
      const name = (ref: unknown) => (typeof ref === 'string' ? (by.get(ref)?.name ?? `?${ref}`) : 'unresolved');
      const r = analyze(m);
      return {
        nvas: m.elements.flatMap((e) =>
          e.kind === 'firewall' ? [`${e.name} ${String(e.vendor)} in ${name(e.subnet)} ${String(e.privateIp)}`] : [],
        ),
        states: r.states.map((s) => `${s.name} ${s.state}`).sort(),
        findings: r.findings.map((f) => `${f.code} ${f.severity} ${name(f.elementId)}`).sort(),
        paths: r.egress
          .map((e) => `${name(e.subnet)} ${e.forward.outcome.kind} via ${e.forward.inspectedBy.map((i) => name(i.element)).join(',')}`)
          .sort(),
      };
    };
    const [tf, plan, cli] = models.map(verdicts);
    assert.deepEqual(plan, tf);
    assert.deepEqual(cli, tf);
    assert.deepEqual(tf.nvas, ['nic-nva-01 nva in snet-nva 10.0.1.4']);
    // snet-app goes through the NVA (the AzureMachineLearning route leads there too); snet-dmz has no route table.
    assert.deepEqual(tf.paths, ['snet-app delivered via nic-nva-01', 'snet-dmz delivered via ']);
    // The NVA is a forwarding NIC and nothing more in every format: whether it inspects is not known (F122).
    assert.deepEqual(tf.states, ['vnet-hub Inspection', 'vnet-spoke Unknown']);
    assert.deepEqual(tf.findings, ['uninspected-egress warning snet-dmz']);
  });
});

/** Interfaces, instances and what routes name them, without ids (firewall VMs, issue 15 §5). */
function applianceShape(model: NetworkModel) {
  const by = new Map<string, NetworkElement>(model.elements.map((e) => [e.id, e]));
  const name = (ref: unknown) => (typeof ref === 'string' ? (by.get(ref)?.name ?? `?${ref}`) : 'unresolved');
  const els = model.elements;
  return {
    enis: els
      .flatMap((e) =>
        e.kind === 'eni'
          ? [
              `${e.name} in ${name(e.subnet)} ${String(e.privateIp)} check ${String(e.sourceDestCheck)} on ${name(e.instance)}#${e.deviceIndex} eip ${e.eip === undefined ? '-' : name(e.eip)}`,
            ]
          : [],
      )
      .sort(),
    instances: els.flatMap((e) => (e.kind === 'instance' ? [`${e.name} in ${name(e.subnet)} ${String(e.privateIp)}`] : [])).sort(),
    mapPublicIp: els.flatMap((e) => (e.kind === 'subnet' ? [`${e.name} ${String(e.mapPublicIp)}`] : [])).sort(),
    routes: shape(model).routes,
  };
}

describe('parse: firewall VMs in Terraform and CloudFormation (equivalence)', function () {
  this.timeout(60000);
  it('interfaces, attachments, EIPs and routes to an interface or an instance give the same model', async () => {
    const tf = applianceShape(
      await load(
        'ngfw',
        (f) => f.endsWith('.tf'),
        fixtureFiles('ngfw', (f) => f.endsWith('.tf')),
      ),
    );
    const cfn = applianceShape(
      await load(
        'ngfw',
        (f) => f.endsWith('.yaml'),
        fixtureFiles('ngfw', (f) => f.endsWith('.yaml')),
      ),
    );
    assert.deepEqual(cfn, tf);
    assert.deepEqual(tf.enis, [
      'fw-inside in inside 10.60.2.10 check false on fw#0 eip -',
      'fw-outside in outside 10.60.1.10 check false on fw#1 eip fw-outside-eip',
    ]);
    assert.deepEqual(tf.instances, ['fw in inside 10.60.2.10']);
    assert.ok(tf.routes.includes('app-rt in fw-vpc: 0.0.0.0/0 -> eni fw-inside active'), tf.routes.join('\n'));
    assert.ok(tf.routes.includes('app-rt in fw-vpc: 192.168.0.0/16 -> instance fw active'), tf.routes.join('\n'));
    assert.ok(tf.mapPublicIp.includes('outside false'));
  });

  it('an AWS CLI export (describe-network-interfaces, -instances, -addresses) gives the interfaces and the verdicts of the Terraform', async () => {
    const tfModel = await load(
      'ngfw',
      (f) => f.endsWith('.tf'),
      fixtureFiles('ngfw', (f) => f.endsWith('.tf')),
    );
    const cliModel = await load(
      'ngfw',
      (f) => f.endsWith('.json'),
      fixtureFiles('ngfw', (f) => f.endsWith('.json')),
    );
    const tf = applianceShape(tfModel);
    const cli = applianceShape(cliModel);
    // The NAT gateway's interface (requester-managed) is the NAT gateway's, not an element of its own.
    assert.deepEqual(cli.enis, tf.enis);
    assert.deepEqual(cli.instances, tf.instances);
    // AWS prints a route to an instance with the instance's primary interface, which is what routing reads.
    assert.deepEqual(
      cli.routes,
      tf.routes.map((r) => r.replace('-> instance fw ', '-> eni fw-inside ')),
    );
    const verdicts = (m: NetworkModel) => {
      const r = analyze(m, {}, []);
      const name = (id: string) => m.elements.find((e) => e.id === id)?.name ?? id;
      return {
        states: r.states.map((s) => `${s.name} ${s.state}`).sort(),
        findings: r.findings.map((f) => `${f.code}/${f.severity}`).sort(),
        paths: r.egress
          .map(
            (e) =>
              `${name(e.subnet)} ${e.forward.outcome.kind} via ${e.forward.inspectedBy.map((x) => x.kind).join(',')} back ${e.return?.outcome.kind ?? '-'}`,
          )
          .sort(),
      };
    };
    const tfVerdicts = verdicts(tfModel);
    assert.deepEqual(verdicts(cliModel), tfVerdicts);
    assert.ok(tfVerdicts.paths.includes('app delivered via appliance back delivered'), tfVerdicts.paths.join('\n'));
  });
});
