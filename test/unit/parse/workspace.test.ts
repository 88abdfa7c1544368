import * as assert from 'node:assert/strict';
import { createWorkspace, type TerraformEngine } from '../../../src/parse/workspace';
import type { ModelFragment } from '../../../src/parse/types';
import { isUnresolved, unresolved, type NetworkElement } from '../../../src/model/types';
import { exampleFiles, byId, ofKind } from './helpers';

const loc = (file: string, line: number) => ({ file, range: { start: { line, character: 0 }, end: { line, character: 10 } } });

/** A Terraform engine stand-in: fragments per file, counting calls. */
class StubTerraform implements TerraformEngine {
  readonly files = new Map<string, string>();
  builds = 0;
  constructor(private readonly make: (file: string, text: string) => NetworkElement[]) {}
  setFile(file: string, text: string): void {
    this.files.set(file, text);
  }
  removeFile(file: string): void {
    this.files.delete(file);
  }
  build(): ModelFragment[] {
    this.builds++;
    return [...this.files].map(([file, text]) => ({ file, format: 'terraform', elements: this.make(file, text), diagnostics: [] }));
  }
}

const cli = exampleFiles('aws-cli-export', (f) => f.endsWith('.json'));
const cliFile = (name: string) => [...cli].find(([f]) => f.endsWith(name))!;

describe('parse/workspace', () => {
  it('merges files, resolves references across them and sorts elements by id', async () => {
    const ws = await createWorkspace({ terraform: null });
    for (const [f, t] of cli) ws.setFile(f, t);
    const b = ws.build();
    assert.deepEqual(b.diagnostics, []);
    assert.equal(b.model.elements.length, 35);
    const ids = b.model.elements.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(b.files.length, 6);
    assert.ok(b.files.every((f) => f.format === 'aws-cli' && f.elements > 0));
    assert.ok(b.parseMs >= 0);
  });

  it('turns references to missing elements into Unresolved with a located warning', async () => {
    const ws = await createWorkspace({ terraform: null });
    const [sf, st] = cliFile('describe-subnets.json');
    ws.setFile(sf, st);
    const b = ws.build();
    const missing = b.diagnostics.filter((d) => d.code === 'missing-reference');
    assert.equal(missing.length, 9);
    assert.ok(missing.every((d) => d.severity === 'warning' && d.loc.file === sf && /vpc-/.test(d.message)));
    const s = byId(b.model.elements, 'subnet-0a11a1b2c3d4e5f61');
    assert.ok(s.kind === 'subnet' && isUnresolved(s.vpc) && s.vpc.text === 'vpc-0a1b2c3d4e5f60718');
    assert.equal(missing.find((d) => d.message.startsWith('subnet-0a11a1b2c3d4e5f61'))!.loc.range.start.line, 11);
  });

  it('a broken file keeps what the other files contributed', async () => {
    const ws = await createWorkspace({ terraform: null });
    for (const [f, t] of cli) ws.setFile(f, t);
    const [rf, rt] = cliFile('describe-route-tables.json');
    ws.setFile(rf, rt.slice(0, Math.floor(rt.length / 2)));
    const b = ws.build();
    assert.ok(b.diagnostics.some((d) => d.code === 'syntax-error' && d.loc.file === rf));
    assert.equal(ofKind(b.model.elements, 'subnet').length, 9);
    assert.equal(ofKind(b.model.elements, 'vpc').length, 2);
    assert.ok(ofKind(b.model.elements, 'routeTable').length < 9);
  });

  it('skips files over maxFileBytes with a file-too-large diagnostic', async () => {
    const ws = await createWorkspace({ terraform: null, maxFileBytes: 2000 });
    for (const [f, t] of cli) ws.setFile(f, t);
    const b = ws.build();
    const big = b.files.filter((f) => f.skippedReason);
    assert.deepEqual(
      big.map((f) => f.file.split('/').pop()),
      ['describe-route-tables.json', 'describe-subnets.json'],
    );
    for (const f of big) {
      assert.equal(f.format, 'ignored');
      assert.match(f.skippedReason!, /over the/);
      assert.ok(b.diagnostics.some((d) => d.code === 'file-too-large' && d.loc.file === f.file));
    }
    assert.ok(b.files.some((f) => f.file.endsWith('describe-internet-gateways.json') && !f.skippedReason && f.elements === 1));
  });

  it('does not keep the text of a big file: the same text again is re-parsed but changes nothing', async () => {
    const parsed: string[] = [];
    const ws = await createWorkspace({ terraform: null, onParse: (f) => parsed.push(f) });
    const [rf, rt] = cliFile('describe-route-tables.json');
    // Pretty-printed JSON with more than a million characters of indentation: the same document.
    const pretty = JSON.stringify(JSON.parse(rt), null, 2);
    const pad = ' '.repeat(Math.ceil((1 << 20) / pretty.split('\n').length) + 1);
    const big = pretty.replace(/\n/g, '\n' + pad);
    assert.ok(big.length > 1 << 20);
    for (const [f, t] of cli) ws.setFile(f, f === rf ? big : t);
    const b1 = ws.build();
    ws.setFile(rf, big);
    assert.deepEqual(parsed.slice(6), [rf], 'big file: parsed again');
    const b2 = ws.build();
    assert.deepEqual(b2.changedIds ? [...b2.changedIds] : undefined, []);
    for (const e of b2.model.elements)
      assert.equal(
        e,
        b1.model.elements.find((x) => x.id === e.id),
        `${e.id} is the same object`,
      );
  });

  it('re-parses only the changed file and memoises build()', async () => {
    const parsed: string[] = [];
    const ws = await createWorkspace({ terraform: null, onParse: (f) => parsed.push(f) });
    for (const [f, t] of cli) ws.setFile(f, t);
    assert.equal(parsed.length, 6);
    const b1 = ws.build();
    assert.equal(ws.build(), b1, 'memoised until a change');
    for (const [f, t] of cli) ws.setFile(f, t);
    assert.equal(parsed.length, 6, 'same text: no re-parse');
    const [nf, nt] = cliFile('describe-nat-gateways.json');
    ws.setFile(nf, nt.replace('"natgw-a"', '"natgw-a-renamed"'));
    assert.deepEqual(parsed.slice(6), [nf]);
    const b2 = ws.build();
    assert.notEqual(b2, b1);
    assert.equal(byId(b2.model.elements, 'nat-0a1a2b3c4d5e6f701').name, 'natgw-a-renamed');
    ws.removeFile(nf);
    assert.equal(ofKind(ws.build().model.elements, 'natgw').length, 0);
    ws.setFile('README.md', '# not an input');
    assert.equal(ws.build().files.find((f) => f.file === 'README.md')?.format, 'ignored');
  });

  it('sends .tf files to the Terraform engine and rebuilds it only after a .tf change', async () => {
    const tf = new StubTerraform((file) => [
      {
        id: `aws_vpc.${file.replace(/\W/g, '_')}`,
        kind: 'vpc',
        name: 'v',
        loc: loc(file, 0),
        cloud: 'aws',
        cidrs: ['10.0.0.0/16'],
        flavor: 'vpc',
      },
    ]);
    const ws = await createWorkspace({ terraform: tf });
    ws.setFile('a.tf', 'resource "aws_vpc" "a" {}');
    ws.setFile('b.tf', 'resource "aws_vpc" "b" {}');
    const [f, t] = cliFile('describe-vpcs.json');
    ws.setFile(f, t);
    assert.equal(ws.build().model.elements.length, 4);
    assert.equal(tf.builds, 1);
    ws.setFile(f, t.replace('workload-vpc', 'w2'));
    ws.build();
    assert.equal(tf.builds, 1, 'a JSON edit does not rebuild Terraform');
    ws.removeFile('b.tf');
    assert.equal(ws.build().model.elements.length, 3);
    assert.equal(tf.builds, 2);
    assert.deepEqual(
      ws.build().files.find((x) => x.file === 'a.tf'),
      { file: 'a.tf', format: 'terraform', elements: 1 },
    );
  });

  it('plan JSON + .tf: the .tf location wins, plan values fill what the .tf leaves unresolved', async () => {
    const tf = new StubTerraform((file) => [
      {
        id: 'aws_subnet.nat',
        kind: 'subnet',
        name: 'nat',
        loc: loc(file, 7),
        address: 'aws_subnet.nat',
        cloud: 'aws',
        vpc: 'aws_vpc.main',
        cidr: unresolved('cidrsubnet(var.x, 8, 10)', 'variable without default'),
        az: 'us-east-1a',
      },
    ]);
    const ws = await createWorkspace({ terraform: tf });
    ws.setFile('main.tf', 'resource "aws_subnet" "nat" {}');
    for (const [f, t] of exampleFiles('terraform-plan')) ws.setFile(f, t);
    const b = ws.build();
    const s = byId(b.model.elements, 'aws_subnet.nat');
    assert.ok(s.kind === 'subnet');
    if (s.kind !== 'subnet') return;
    assert.equal(s.loc.file, 'main.tf');
    assert.equal(s.loc.range.start.line, 7);
    assert.equal(s.cidr, '10.20.10.0/24');
    assert.equal(s.az, 'us-east-1a');
    assert.ok(!b.diagnostics.some((d) => d.code === 'duplicate-id'));
    // Elements only in the plan keep their plan locations.
    assert.match(byId(b.model.elements, 'aws_subnet.app').loc.file, /egress\.tfplan\.json$/);
  });

  it('plan JSON + .tf: routes are paired by id, not by position', async () => {
    const tf = new StubTerraform((file) => [
      {
        id: 'aws_route_table.nat',
        kind: 'routeTable',
        name: 'nat-rt',
        loc: loc(file, 2),
        cloud: 'aws',
        vpc: 'aws_vpc.main',
        routes: [
          {
            id: 'aws_route.nat_default',
            loc: loc(file, 9),
            destination: { cidr: '0.0.0.0/0' },
            target: { kind: 'gwlbe', ref: unresolved('local.endpoint', 'unknown local') },
            state: 'active',
          },
        ],
      },
    ]);
    const ws = await createWorkspace({ terraform: tf });
    ws.setFile('main.tf', '#');
    for (const [f, t] of exampleFiles('terraform-plan')) ws.setFile(f, t);
    const rt = byId(ws.build().model.elements, 'aws_route_table.nat');
    assert.ok(rt.kind === 'routeTable');
    if (rt.kind !== 'routeTable') return;
    assert.equal(rt.routes.length, 1);
    assert.equal(rt.routes[0].loc.file, 'main.tf');
    assert.equal(rt.routes[0].target.ref, 'aws_vpc_endpoint.gwlbe');
  });

  it('reports duplicate ids across formats and keeps the first; builtin groups dedupe silently', async () => {
    const tf = new StubTerraform((file) => [
      { id: 'igw-0c1d2e3f4a5b60789', kind: 'igw', name: 'dup', loc: loc(file, 3), cloud: 'aws', vpc: 'vpc-0a1b2c3d4e5f60718' },
    ]);
    const ws = await createWorkspace({ terraform: tf });
    ws.setFile('a.tf', '#');
    for (const [f, t] of cli) ws.setFile(f, t);
    for (const [f, t] of exampleFiles('aviatrix-dcf/controller-export')) ws.setFile(f, t);
    const b = ws.build();
    const dups = b.diagnostics.filter((d) => d.code === 'duplicate-id');
    assert.equal(dups.length, 1);
    assert.match(dups[0].loc.file, /describe-internet-gateways\.json$/);
    assert.equal(byId(b.model.elements, 'igw-0c1d2e3f4a5b60789').name, 'dup', 'first (sorted by file) kept');
    assert.equal(b.model.elements.filter((e) => e.id === 'aviatrix:anywhere').length, 1);
    assert.equal(b.model.elements.filter((e) => e.id === 'aviatrix:public-internet').length, 1);
    assert.ok(!b.diagnostics.some((d) => d.code === 'missing-reference'), 'policies resolve to the export groups');
  });

  it('a controller export beside the Terraform that wrote it does not double the DCF policies', async () => {
    const ws = await createWorkspace();
    for (const [f, t] of exampleFiles('aviatrix-dcf')) ws.setFile(f, t);
    const b = ws.build();
    const policies = ofKind(b.model.elements, 'dcfPolicy');
    assert.deepEqual(policies.map((p) => p.name).sort(), [
      'dev-permit-all-logged',
      'prod-deny-all',
      'prod-https-ipinfo',
      'prod-icmp-us',
      'sandbox-permit-all-logged',
      'shared-deny-internet',
    ]);
    assert.ok(policies.every((p) => p.id.startsWith('aviatrix_distributed_firewalling_policy_list.egress#')));
    assert.equal(ofKind(b.model.elements, 'dcfConfig').length, 1);
    const twins = b.diagnostics.filter((d) => d.code === 'duplicate-definition');
    assert.equal(twins.length, 7);
    assert.ok(twins.every((d) => d.severity === 'info' && /controller-export/.test(d.loc.file)));
  });

  it('resolves endpoint services by name and literal provider ids to the element that has them', async () => {
    const ws = await createWorkspace({ terraform: null });
    for (const [f, t] of cli) ws.setFile(f, t);
    const state = {
      format_version: '1.0',
      values: {
        root_module: {
          resources: [
            {
              address: 'aws_vpc_endpoint_service.fw',
              mode: 'managed',
              type: 'aws_vpc_endpoint_service',
              name: 'fw',
              values: {
                id: 'vpce-svc-0f1e2d3c4b5a69788',
                service_name: 'com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788',
                gateway_load_balancer_arns: [],
              },
            },
            {
              address: 'aws_vpc.legacy',
              mode: 'managed',
              type: 'aws_vpc',
              name: 'legacy',
              values: { id: 'vpc-0legacy', cidr_block: '172.16.0.0/16' },
            },
          ],
        },
      },
    };
    ws.setFile('state.json', JSON.stringify(state));
    ws.setFile(
      'more.json',
      JSON.stringify({
        Subnets: [{ SubnetId: 'subnet-x', VpcId: 'vpc-0legacy', CidrBlock: '172.16.1.0/24', AvailabilityZone: 'us-east-1a' }],
      }),
    );
    const b = ws.build();
    const e = byId(b.model.elements, 'vpce-0a2a1b2c3d4e5f601');
    assert.ok(e.kind === 'gwlbe' && e.service === 'aws_vpc_endpoint_service.fw');
    const s = byId(b.model.elements, 'subnet-x');
    assert.ok(s.kind === 'subnet' && s.vpc === 'aws_vpc.legacy');
  });
});
