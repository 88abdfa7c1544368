// `resource.TYPE.NAME` is Terraform's explicit spelling of a managed resource reference (the escape Terraform keeps
// for a resource type whose name a later language edition might reserve). A central-egress lab written that way
// names its VPC, internet gateway and NAT GW through it; before F294 each such reference was "not declared in this
// module", which unplaced every subnet and left the VPCs Unknown with one warning per reference.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { NetworkElement } from '../../../src/model/types';
import { ofKind } from './helpers';

function build(text: string) {
  const idx = new TerraformIndex();
  idx.setFile('main.tf', text);
  const files = idx.build();
  return {
    elements: files.flatMap((f): NetworkElement[] => f.elements),
    diagnostics: files.flatMap((f) => f.diagnostics),
  };
}

const LAB = `
resource "aws_vpc" "net" {
  for_each   = { hub = "10.40.0.0/16", app = "10.41.0.0/16" }
  cidr_block = each.value
}
resource "aws_subnet" "hub_public" {
  vpc_id     = resource.aws_vpc.net["hub"].id
  cidr_block = "10.40.1.0/24"
}
resource "aws_internet_gateway" "edge" {
  vpc_id = resource.aws_vpc.net["hub"].id
}
resource "aws_route_table" "hub_public" {
  vpc_id = resource.aws_vpc.net["hub"].id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = resource.aws_internet_gateway.edge.id
  }
  depends_on = [resource.aws_internet_gateway.edge]
}
resource "aws_route_table_association" "hub_public" {
  subnet_id      = resource.aws_subnet.hub_public.id
  route_table_id = aws_route_table.hub_public.id
}
`;

describe('terraform: resource.TYPE.NAME references (F294)', function () {
  this.timeout(20000);
  before(async () => {
    await initTerraform();
  });

  it('places the subnet, the gateway and the route as the plain TYPE.NAME spelling does', () => {
    const plain = build(LAB.replace(/resource\.(aws_)/g, '$1'));
    const prefixed = build(LAB);
    const view = (b: ReturnType<typeof build>) => ({
      subnets: ofKind(b.elements, 'subnet').map((s) => [s.id, s.vpc]),
      igws: ofKind(b.elements, 'igw').map((g) => [g.id, g.vpc]),
      routes: ofKind(b.elements, 'routeTable').flatMap((t) => t.routes.map((r) => [t.id, r.target])),
      associations: ofKind(b.elements, 'rtAssociation').map((a) => [a.routeTable, a.subnet]),
    });
    assert.deepEqual(view(prefixed), view(plain));
    assert.deepEqual(view(prefixed).subnets, [['aws_subnet.hub_public', 'aws_vpc.net["hub"]']]);
    assert.deepEqual(
      prefixed.diagnostics.filter((d) => d.code === 'missing-reference').map((d) => d.message),
      [],
    );
  });

  it('a resource.TYPE.NAME of no declared resource is still not declared', () => {
    const b = build(`
resource "aws_subnet" "lost" {
  vpc_id     = resource.aws_vpc.absent.id
  cidr_block = "10.40.1.0/24"
}
`);
    const warned = b.diagnostics.filter((d) => d.code === 'missing-reference').map((d) => d.message);
    assert.equal(warned.length, 1);
    assert.match(warned[0], /resource aws_vpc\.absent is not declared in this module/);
  });
});
