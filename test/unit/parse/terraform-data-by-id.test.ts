// A data source that selects one object by the id of a resource the inputs create returns that resource: its
// attributes are the resource's. A lookup with any other selector may narrow or fail and stays the provider's.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { NetworkElement, RouteTable } from '../../../src/model/types';
import { ofKind } from './helpers';

function tables(dataBlock: string): RouteTable[] {
  const idx = new TerraformIndex();
  idx.setFile(
    'main.tf',
    `
resource "aws_vpc" "main" {
  cidr_block = "10.7.0.0/16"
}
resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, 2)
}
module "edge" {
  source    = "./edge"
  subnet_id = aws_subnet.public.id
  igw_id    = aws_internet_gateway.main.id
}
`,
  );
  idx.setFile(
    'edge/main.tf',
    `
variable "subnet_id" {}
variable "igw_id" {}
${dataBlock}
resource "aws_route_table" "edge" {
  vpc_id = data.aws_subnet.public.vpc_id
  route {
    cidr_block = data.aws_subnet.public.cidr_block
    gateway_id = var.igw_id
  }
}
`,
  );
  const els: NetworkElement[] = idx.build().flatMap((f) => f.elements);
  // The edge table (the VPC's default route table is listed too).
  return ofKind(els, 'routeTable').filter((t) => t.id.endsWith('aws_route_table.edge'));
}

/** The reason the edge route's destination is not known, or '' when it is. */
function providerRead(t: RouteTable): string {
  const d = t.routes[0].destination;
  return 'cidr' in d && typeof d.cidr === 'object' ? d.cidr.reason : '';
}

describe('terraform: a data source looked up by the id of a resource in the inputs', function () {
  this.timeout(20000);
  before(async () => {
    await initTerraform();
  });

  it('data "aws_subnet" { id = <the id of an aws_subnet passed in> }: its cidr_block and vpc_id are the subnet\'s', () => {
    const [t] = tables('data "aws_subnet" "public" {\n  id = var.subnet_id\n}');
    assert.deepEqual(t.routes[0].destination, { cidr: '10.7.2.0/24' });
    assert.equal(t.vpc, 'aws_vpc.main');
  });

  it('any other selector (a filter, tags) stays read from the provider', () => {
    const [t] = tables('data "aws_subnet" "public" {\n  id = var.subnet_id\n  tags = { Tier = "public" }\n}');
    assert.match(providerRead(t), /data\.aws_subnet\.public\.cidr_block is read from the provider/);
    const [f] = tables('data "aws_subnet" "public" {\n  filter {\n    name   = "subnet-id"\n    values = [var.subnet_id]\n  }\n}');
    assert.match(providerRead(f), /read from the provider/);
  });

  it('an id of another type (an IGW id given to data "aws_subnet") is not taken for the subnet', () => {
    const [t] = tables('data "aws_subnet" "public" {\n  id = var.igw_id\n}');
    assert.match(providerRead(t), /read from the provider/);
  });
});
