// Terraform's JSON syntax (*.tf.json): the same estate written as HCL and as JSON gives the same
// model (ids, values, references, routes), in a root module and in a local module folder, with
// locations inside the JSON file.
import * as assert from 'node:assert/strict';
import { initTerraform, TerraformIndex } from '../../../src/parse/terraform';
import type { ModelFragment } from '../../../src/parse/types';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import type { NetworkElement } from '../../../src/model/types';
import { detectFormat } from '../../../src/parse/detect';
import { byId } from './helpers';

function build(files: Record<string, string>): { frags: ModelFragment[]; els: NetworkElement[]; diags: ParseDiagnostic[] } {
  const idx = new TerraformIndex();
  for (const [f, t] of Object.entries(files)) idx.setFile(f, t);
  const frags = idx.build();
  return { frags, els: frags.flatMap((f) => f.elements), diags: frags.flatMap((f) => f.diagnostics) };
}

/** Elements without where they are written: what must not depend on the syntax. */
function meaning(els: NetworkElement[]): unknown[] {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) if (k !== 'loc' && k !== 'extent' && k !== 'attrs' && k !== 'targetValue') out[k] = strip(v);
      return out;
    }
    return x;
  };
  return [...els].sort((a, b) => (a.id < b.id ? -1 : 1)).map(strip);
}

const MODULE_HCL = `
variable "name" { type = string }
variable "cidr" { type = string }
variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b"]
}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}
resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index)
  availability_zone = var.azs[count.index]
}
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.this.id }
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  tags = { Name = "\${var.name}-private" }
}
resource "aws_route_table_association" "private" {
  count          = length(var.azs)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}
output "vpc_id" { value = aws_vpc.this.id }
`;

const MODULE_JSON = JSON.stringify(
  {
    '//': 'the same module in Terraform JSON syntax',
    variable: {
      name: { type: 'string' },
      cidr: { type: 'string' },
      azs: { type: 'list(string)', default: ['eu-west-1a', 'eu-west-1b'] },
    },
    resource: {
      aws_vpc: { this: { cidr_block: '${var.cidr}', tags: { Name: '${var.name}' } } },
      aws_subnet: {
        private: {
          count: '${length(var.azs)}',
          vpc_id: '${aws_vpc.this.id}',
          cidr_block: '${cidrsubnet(var.cidr, 8, count.index)}',
          availability_zone: '${var.azs[count.index]}',
        },
      },
      aws_internet_gateway: { igw: { vpc_id: '${aws_vpc.this.id}' } },
      aws_route_table: {
        private: {
          vpc_id: '${aws_vpc.this.id}',
          route: [{ cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.igw.id}' }],
          tags: { Name: '${var.name}-private' },
        },
      },
      aws_route_table_association: {
        private: {
          count: '${length(var.azs)}',
          subnet_id: '${aws_subnet.private[count.index].id}',
          route_table_id: '${aws_route_table.private.id}',
        },
      },
    },
    output: { vpc_id: { value: '${aws_vpc.this.id}' } },
  },
  null,
  2,
);

const ROOT_HCL = `
locals { cidr = "10.20.0.0/16" }
module "net" {
  source = "./modules/net"
  name   = "prod"
  cidr   = local.cidr
}
resource "aws_route_table" "extra" {
  vpc_id = module.net.vpc_id
}
`;

const ROOT_JSON = JSON.stringify({
  locals: { cidr: '10.20.0.0/16' },
  module: { net: { source: './modules/net', name: 'prod', cidr: '${local.cidr}' } },
  resource: { aws_route_table: { extra: { vpc_id: '${module.net.vpc_id}' } } },
});

describe('terraform parser: JSON syntax (.tf.json)', () => {
  before(async () => {
    await initTerraform();
  });

  it('is detected as Terraform (and .tfvars.json stays a variables file)', () => {
    assert.equal(detectFormat('main.tf.json', '{"resource": {}}'), 'terraform');
    assert.equal(detectFormat('x.tfvars.json', '{"a": 1}'), 'terraform');
  });

  it('a root module and a local module folder in JSON give the model their HCL gives', () => {
    const hcl = build({ 'main.tf': ROOT_HCL, 'modules/net/main.tf': MODULE_HCL });
    const json = build({ 'main.tf.json': ROOT_JSON, 'modules/net/main.tf.json': MODULE_JSON });
    assert.deepEqual(json.diags, []);
    assert.deepEqual(hcl.diags, []);
    assert.ok(hcl.els.length >= 8, `the HCL estate is not trivial (${hcl.els.length} elements)`);
    assert.deepEqual(meaning(json.els), meaning(hcl.els));
    const sub = byId(json.els, 'module.net.aws_subnet.private[1]');
    assert.ok(sub.kind === 'subnet');
    assert.equal(sub.cidr, '10.20.1.0/24');
    assert.equal(sub.az, 'eu-west-1b');
    assert.equal(byId(json.els, 'aws_route_table.extra').kind, 'routeTable');
  });

  it('JSON and HCL files mix in one module folder', () => {
    const json = build({ 'main.tf': ROOT_HCL, 'modules/net/main.tf.json': MODULE_JSON });
    const hcl = build({ 'main.tf': ROOT_HCL, 'modules/net/main.tf': MODULE_HCL });
    assert.deepEqual(meaning(json.els), meaning(hcl.els));
  });

  it('locates elements in the JSON text: the resource name key, in the .tf.json file', () => {
    const { els } = build({ 'main.tf.json': ROOT_JSON, 'modules/net/main.tf.json': MODULE_JSON });
    const vpc = byId(els, 'module.net.aws_vpc.this');
    assert.equal(vpc.loc.file, 'modules/net/main.tf.json');
    const lines = MODULE_JSON.split('\n');
    const { start, end } = vpc.loc.range;
    assert.equal(lines[start.line].slice(start.character, end.character), '"this"');
    const table = byId(els, 'module.net.aws_route_table.private');
    assert.ok(table.kind === 'routeTable');
    assert.equal(table.routes.length, 1, 'the inline route block (a JSON array of objects) is read');
    assert.equal(table.routes[0].loc.file, 'modules/net/main.tf.json');
  });

  it('a variable default is a literal, and a provider reference is written as a string', () => {
    const { els, diags } = build({
      'main.tf.json': JSON.stringify({
        variable: { cidr: { default: '10.9.0.0/16' }, note: { default: '${not.evaluated}' } },
        provider: { aws: [{ region: 'eu-west-1' }, { alias: 'us', region: 'us-east-1' }] },
        resource: {
          aws_vpc: {
            a: { cidr_block: '${var.cidr}', tags: { Note: '${var.note}' } },
            b: { provider: 'aws.us', cidr_block: '10.8.0.0/16' },
          },
        },
      }),
    });
    assert.deepEqual(diags, []);
    const a = byId(els, 'aws_vpc.a');
    const b = byId(els, 'aws_vpc.b');
    assert.ok(a.kind === 'vpc' && b.kind === 'vpc');
    assert.deepEqual(a.cidrs, ['10.9.0.0/16']);
    assert.equal(a.region, 'eu-west-1');
    assert.equal(b.region, 'us-east-1');
  });

  it('broken JSON and a bad template are located syntax errors, never a throw', () => {
    const { diags } = build({ 'main.tf.json': '{"resource": {"aws_vpc": {"a": {"cidr_block": "${var."}}}}' });
    assert.ok(diags.some((d) => d.code === 'syntax-error' && d.loc.file === 'main.tf.json'));
    const cut = build({ 'main.tf.json': '{"resource": {"aws_vpc": ' });
    assert.ok(cut.diags.some((d) => d.code === 'syntax-error'));
  });
});
