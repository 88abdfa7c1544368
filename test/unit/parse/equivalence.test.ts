// The same network written as Terraform, CloudFormation and AWS CLI export must give the same
// model apart from ids and locations: compared by CIDR, Name tag and target names.
import * as assert from 'node:assert/strict';
import { createWorkspace } from '../../../src/parse/workspace';
import type { NetworkElement, NetworkModel } from '../../../src/model/types';
import { exampleFiles } from './helpers';

async function load(folder: string, filter: (f: string) => boolean): Promise<NetworkModel> {
  const ws = await createWorkspace();
  for (const [file, text] of exampleFiles(folder, filter)) ws.setFile(file, text);
  const b = ws.build();
  assert.deepEqual(b.diagnostics.filter((d) => d.severity !== 'info'), [], `${folder} parses cleanly`);
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
        ? e.routes.filter((r) => !r.implicit).map((r) => `${e.name} in ${name(e.vpc)}: ${'cidr' in r.destination ? String(r.destination.cidr) : 'pl'} -> ${r.target.kind} ${name(r.target.ref)} ${r.state}`)
        : [],
    )
    .sort();
  const tables = els.flatMap((e) => (e.kind === 'routeTable' && !e.main ? [e.name] : [])).sort();
  const assocs = els
    .flatMap((e) => (e.kind === 'rtAssociation' && !e.mainOfVpc ? [`${e.subnet !== undefined ? 'subnet ' + name(e.subnet) : 'gateway ' + name(e.gateway)} -> ${name(e.routeTable)}`] : []))
    .sort();
  const mains = els.filter((e) => e.kind === 'routeTable' && e.main).length;
  const natgws = els.flatMap((e) => (e.kind === 'natgw' ? [`${e.name} in ${name(e.subnet)} ${e.connectivity}`] : [])).sort();
  const endpoints = els.flatMap((e) => (e.kind === 'gwlbe' ? [`${e.name} in ${name(e.subnet)} of ${name(e.vpc)}`] : [])).sort();
  const igws = els.flatMap((e) => (e.kind === 'igw' ? [`${e.name} on ${name(e.vpc)}`] : [])).sort();
  return { vpcs, subnets, tables, routes, assocs, mains, natgws, endpoints, igws };
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
    assert.deepEqual({ ...cfn, mains: 0 }, { ...tf, mains: 0 });
    assert.ok(tf.routes.includes('igw-edge-rt in workload-vpc: 10.0.10.0/24 -> gwlbe gwlbe-a active'));
    assert.equal(tf.routes.length, 7);
  });
});
