// Comparisons of numbers known only by their bounds, and length() of a whole data source object: Terraform
// counts the attributes of the object's type, which the provider's schema fixes (aws_availability_zones has
// at least id, names and state in every version), so a guard such as `length(var.zones) <=
// length(data.aws_availability_zones.x)` is decided when the zones are few enough, and undecided otherwise.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { NetworkElement } from '../../../src/model/types';
import { ofKind } from './helpers';

function subnets(count: string, zones: string[]): NetworkElement[] {
  const idx = new TerraformIndex();
  idx.setFile(
    'main.tf',
    `
data "aws_availability_zones" "zones" {
  state = "available"
}
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}
variable "zones" {
  type    = list(string)
  default = ${JSON.stringify(zones)}
}
resource "aws_vpc" "hub" {
  cidr_block = "10.9.0.0/16"
}
resource "aws_subnet" "edge" {
  count             = ${count}
  vpc_id            = aws_vpc.hub.id
  cidr_block        = cidrsubnet("10.9.0.0/16", 8, count.index)
  availability_zone = var.zones[count.index]
}
`,
  );
  return ofKind(
    idx.build().flatMap((f) => f.elements),
    'subnet',
  );
}

const GUARD = '(length(var.zones) <= length(data.aws_availability_zones.zones)) ? length(var.zones) : 0';

describe('terraform: bounded comparisons and length() of a data source object', function () {
  this.timeout(20000);
  before(async () => {
    await initTerraform();
  });

  it('two zones against the availability-zones object (at least 3 attributes): both subnets exist', () => {
    const s = subnets(GUARD, ['eu-central-1a', 'eu-central-1b']);
    assert.deepEqual(
      s.map((x) => [x.id, x.undecided]),
      [
        ['aws_subnet.edge[0]', undefined],
        ['aws_subnet.edge[1]', undefined],
      ],
    );
  });

  it('four zones: more than the least attribute count, so whether the subnets exist stays undecided', () => {
    const s = subnets(GUARD, ['a', 'b', 'c', 'd']);
    assert.equal(s.length, 1);
    assert.ok(s[0].undecided, 'a placeholder whose existence is undecided');
    assert.match(s[0].undecided.reason, /number of attributes in the provider's schema \(at least 3/);
  });

  it('a data source whose schema is not in the table is not counted', () => {
    const s = subnets('length(var.zones) <= length(data.aws_vpc.shared) ? length(var.zones) : 0', ['a']);
    assert.equal(s.length, 1);
    assert.ok(s[0].undecided);
  });

  it('an attribute of the object is a list, not the object: its length stays as before (at least one zone)', () => {
    assert.equal(subnets('length(data.aws_availability_zones.zones.names) >= 1 ? 2 : 0', ['a', 'b']).length, 2);
    assert.ok(subnets('length(data.aws_availability_zones.zones.names) >= 2 ? 2 : 0', ['a', 'b'])[0].undecided);
    assert.deepEqual(
      subnets('length(data.aws_availability_zones.zones.names) < 1 ? 2 : 0', ['a', 'b']).map((x) => x.id),
      [],
    );
  });
});
