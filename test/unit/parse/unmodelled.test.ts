// Issue 13 §3, nothing dropped in silence: resources that can change where packets go but are not
// modelled are kept as `unmodelled` elements naming what they touch, with one info diagnostic each;
// ModelIndex answers which of them touch an element of a path.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { ModelIndex } from '../../../src/analysis/modelIndex';
import { isUnresolved, type NetworkElement, type RouteTable, type UnmodelledResource } from '../../../src/model/types';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { ofKind, repoRoot } from './helpers';

const FIX = path.join(repoRoot(), 'test', 'fixtures', 'unmodelled');
const read = (rel: string) => fs.readFileSync(path.join(FIX, rel), 'utf8');

async function build(files: Record<string, string>): Promise<{ els: NetworkElement[]; diags: ParseDiagnostic[] }> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  const b = ws.build();
  return { els: b.model.elements, diags: b.diagnostics };
}

function unmodelled(els: NetworkElement[]): Map<string, UnmodelledResource> {
  return new Map(ofKind(els, 'unmodelled').map((u) => [u.id, u]));
}

const said = (diags: ParseDiagnostic[]) => diags.filter((d) => d.code === 'unmodelled-resource');

describe('unmodelled resources (issue 13 §3)', () => {
  before(async () => {
    await initTerraform();
  });

  it('CloudFormation: a custom resource naming a route table and an endpoint is kept with both; lookups and banners are not', () => {
    const frag = parseCloudFormation('egress.yaml', read('cfn-custom/egress.yaml'));
    const u = unmodelled(frag.elements);
    const swap = u.get('cfn:egress.yaml#NatTableLocalToEndpoint');
    assert.ok(swap, [...u.keys()].join());
    assert.equal(swap.resourceType, 'Custom::SwapLocalRoute');
    // `!GetAtt EgressVpc.CidrBlock` is a value of the VPC, not the VPC; the Sub names the table.
    assert.deepEqual(swap.touches, ['cfn:egress.yaml#Endpoint', 'cfn:egress.yaml#NatTable']);
    assert.ok(!u.has('cfn:egress.yaml#ServiceLookup'), 'names only an endpoint service: not on a path');
    assert.ok(!u.has('cfn:egress.yaml#Banner'), 'names nothing of the network');
    assert.deepEqual(u.get('cfn:egress.yaml#ConnectAttachment')?.touches, []);
    const d = said(frag.diagnostics);
    assert.equal(d.length, 2);
    assert.equal(d[0].severity, 'info');
    // `Destination` names the range it rewrites: only paths to an address in it are in doubt.
    assert.deepEqual(swap.destinations, ['10.20.0.0/16']);
    assert.match(
      d[0].message,
      /^NatTableLocalToEndpoint \(Custom::SwapLocalRoute: custom resource: .*\) is not modelled; it touches Endpoint, NatTable: a path through them to an address in 10\.20\.0\.0\/16 is Unknown$/,
    );
    assert.equal(d[0].loc.range.start.line, 74);
    assert.match(
      d[1].message,
      /ConnectAttachment \(AWS::EC2::TransitGatewayConnect: Transit Gateway Connect .*names no network element of the inputs/,
    );
  });

  it('Terraform: a local-exec script touches what it names, else the networks of its module; no script, no element', async () => {
    const { els, diags } = await build({ 'main.tf': read('tf-script/main.tf') });
    const u = unmodelled(els);
    assert.deepEqual(u.get('null_resource.make_endpoints')?.touches, ['aws_vpc.security']);
    assert.deepEqual(u.get('terraform_data.edit_table')?.touches, ['aws_route_table.endpoints']);
    assert.ok(!u.has('terraform_data.marker'), 'no local-exec: not a network change');
    assert.deepEqual(u.get('aws_ec2_transit_gateway_connect.sdwan')?.touches, []);
    const d = said(diags).map((x) => x.message);
    assert.equal(d.length, 3);
    assert.match(
      d[0],
      /null_resource\.make_endpoints .*touches aws_vpc\.security \(the networks of its module, which its script may change\)/,
    );
    assert.deepEqual(
      diags.filter((x) => x.code === 'missing-reference'),
      [],
    );
  });

  it('Terraform: references in nested blocks are what the resource touches too (Cloud NAT names its subnetworks)', async () => {
    const { els } = await build({
      'main.tf': `
resource "google_compute_subnetwork" "app" {
  name          = "app"
  ip_cidr_range = "10.91.0.0/24"
  network       = "default"
}
resource "google_compute_router_nat" "nat" {
  name                               = "nat-a"
  router                             = "router-a"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"
  subnetwork {
    name                    = google_compute_subnetwork.app.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }
}
`,
    });
    assert.deepEqual(unmodelled(els).get('google_compute_router_nat.nat')?.touches, ['google_compute_subnetwork.app']);
  });

  it('Terraform: a script in a module instance touches that instance’s VPC; a module without networks gives nothing', async () => {
    const { els } = await build({
      'main.tf': `
module "sec" {
  source = "./sec"
}
module "tools" {
  source = "./tools"
}
resource "aws_vpc" "other" { cidr_block = "10.9.0.0/16" }
`,
      'sec/main.tf': `
resource "aws_vpc" "v" { cidr_block = "10.1.0.0/16" }
resource "null_resource" "routes" {
  provisioner "local-exec" { command = "make routes" }
}
`,
      'tools/main.tf': `
resource "null_resource" "kubectl" {
  provisioner "local-exec" { command = "kubectl apply -f x.yaml" }
}
`,
    });
    const u = unmodelled(els);
    assert.deepEqual([...u.keys()], ['module.sec.null_resource.routes']);
    assert.deepEqual(u.get('module.sec.null_resource.routes')?.touches, ['module.sec.aws_vpc.v']);
  });

  it('Terraform: a local-exec that only packages files (pip, zip) calls no cloud API: nothing to doubt; anything else still is', async () => {
    const script = (name: string, provisioner: string) => `
resource "null_resource" "${name}" {
  provisioner "local-exec" {
${provisioner}
  }
}
`;
    const { els } = await build({
      'main.tf': `
resource "aws_vpc" "v" { cidr_block = "10.1.0.0/16" }
${script('deps', '    command = "pip3 install -r code/requirements.txt -t code/ --upgrade && zip -r code.zip code"')}
${script('chained', '    command = "pip3 install -r req.txt && aws ec2 create-route --route-table-id rtb-1"')}
${script('substituted', '    command = "echo $(aws ec2 describe-route-tables)"')}
${script('interpreted', '    command     = "pip install x"\n    interpreter = ["python3", "-c"]')}
`,
    });
    assert.deepEqual([...unmodelled(els).keys()].sort(), [
      'null_resource.chained',
      'null_resource.interpreted',
      'null_resource.substituted',
    ]);
  });

  it('Terraform: a local-exec that only fetches a kubeconfig or talks to the cluster (F80) is nothing to doubt; any other cloud call still is', async () => {
    const script = (name: string, command: string) => `
resource "null_resource" "${name}" {
  provisioner "local-exec" {
    command = ${command}
  }
}
`;
    const { els } = await build({
      'main.tf': `
resource "aws_vpc" "v" { cidr_block = "10.1.0.0/16" }
resource "aws_eks_cluster" "k" { name = "lab" }
variable "cluster" { type = string }
${script('eks', '"aws eks --region eu-west-1 update-kubeconfig --name ${aws_eks_cluster.k.name} && kubectl apply -f x.yaml"')}
${script('aks', '<<EOF\n    az aks get-credentials -n ${module.aks.name} -g rg --admin\n    kubectl wait --for=condition=Ready pods --all\n    EOF')}
${script('gke', '"gcloud container clusters get-credentials lab --zone europe-west1-b; helm repo add jetstack https://charts.jetstack.io"')}
${script('route', '"aws ec2 create-route --route-table-id rtb-1 --destination-cidr-block 0.0.0.0/0"')}
${script('eks_other', '"aws eks update-kubeconfig --name lab && aws ec2 delete-route --route-table-id rtb-1"')}
${script('from_var', '"aws eks update-kubeconfig --name ${var.cluster}"')}
${script('sub_word', '"kubectl ${aws_eks_cluster.k.name} -f x.yaml"')}
${script('plugin', '"kubectl exec -it p -- sh"')}
${script('post', '"helm install x ./chart --post-renderer ./render.sh"')}
`,
    });
    assert.deepEqual([...unmodelled(els).keys()].sort(), [
      'null_resource.eks_other',
      'null_resource.from_var',
      'null_resource.plugin',
      'null_resource.post',
      'null_resource.route',
      'null_resource.sub_word',
    ]);
  });

  it('Terraform: a next hop None in an Azure table whose lifecycle ignores `route` changes is undecided (an Aviatrix spoke placeholder), others are not', async () => {
    const table = (name: string, lifecycle: string) => `
resource "azurerm_route_table" "${name}" {
  name                = "${name}"
  location            = "westus2"
  resource_group_name = "rg"
${lifecycle}
  route {
    name           = "Internet"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "None"
  }
}
`;
    const { els } = await build({
      'main.tf':
        table('managed', '  lifecycle {\n    ignore_changes = [route]\n  }') +
        table('tags_only', '  lifecycle {\n    ignore_changes = [tags]\n  }') +
        table('plain', ''),
    });
    const routes = (name: string) => (els.find((e) => e.id === `azurerm_route_table.${name}`) as RouteTable).routes;
    assert.match(routes('managed')[0].undecided?.reason ?? '', /managed outside Terraform \(lifecycle at main\.tf:\d+\) is a placeholder/);
    assert.equal(routes('tags_only')[0].undecided, undefined);
    assert.equal(routes('plain')[0].undecided, undefined);
    assert.equal(routes('plain')[0].state, 'blackhole');
  });

  it('Terraform: Cloud NAT names its router by a name written there; the index follows router -> network', async () => {
    const { els } = await build({ 'main.tf': read('tf-gcp-nat/main.tf') });
    const u = unmodelled(els);
    assert.deepEqual(u.get('google_compute_router_nat.nat')?.touches, ['google_compute_router.router']);
    assert.deepEqual(u.get('google_compute_router.router')?.touches, ['google_compute_network.net']);
    const idx = new ModelIndex({ elements: els });
    assert.deepEqual(
      idx.unmodelledTouching('google_compute_network.net').map((x) => x.id),
      ['google_compute_router.router', 'google_compute_router_nat.nat', 'google_compute_subnetwork.apps'],
    );
  });

  it('ModelIndex: a touched table is asked directly; a touched VPC answers for everything in it', async () => {
    const { els } = await build({ 'main.tf': read('tf-script/main.tf') });
    const idx = new ModelIndex({ elements: els });
    const ids = (id: string) => idx.unmodelledTouching(id).map((x) => x.id);
    assert.deepEqual(ids('aws_route_table.endpoints'), ['null_resource.make_endpoints', 'terraform_data.edit_table']);
    assert.deepEqual(ids('aws_subnet.endpoints'), ['null_resource.make_endpoints']);
    assert.deepEqual(ids('aws_internet_gateway.igw'), ['null_resource.make_endpoints']);
    const bare = new ModelIndex({ elements: els.filter((e) => e.kind !== 'unmodelled') });
    assert.deepEqual(bare.unmodelledTouching('aws_route_table.endpoints'), []);
  });

  const REWRITE = (props: string) => `
Parameters:
  Range:
    Type: String
    Default: 10.5.0.0/16
  Given:
    Type: String
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: !Ref Range }
  Table:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  Edit:
    Type: Custom::EditRoute
    Properties:
      ServiceToken: arn:aws:lambda:eu-west-1:111122223333:function:edit
      TableId: !Ref Table
${props}
`;

  it('CloudFormation: the destinations a custom resource names (Cidr/Prefix/Dest* properties) are kept, decided or not', () => {
    const dest = (props: string) => {
      const f = parseCloudFormation('t.yaml', REWRITE(props));
      return unmodelled(f.elements).get('cfn:t.yaml#Edit')?.destinations;
    };
    assert.deepEqual(dest('      DestCidr: !Ref Range'), ['10.5.0.0/16']);
    assert.deepEqual(dest('      DestinationCidrBlocks: [10.5.1.0/24, 192.168.0.0/16]'), ['10.5.1.0/24', '192.168.0.0/16']);
    assert.deepEqual(dest('      Prefix: !GetAtt Vpc.CidrBlock'), ['10.5.0.0/16']);
    const given = dest('      DestCidr: !Ref Given');
    assert.equal(given?.length, 1);
    assert.ok(given && isUnresolved(given[0]), 'a parameter without a default is decided at deploy time');
    const notCidr = dest('      Destination: pl-0123456789abcdef0');
    assert.ok(notCidr && isUnresolved(notCidr[0]), 'a prefix list id is not a range the inputs decide');
    assert.equal(dest('      Range: !Ref Range'), undefined, 'a property not named like a destination decides nothing');
  });

  it('ModelIndex: a rewrite of named ranges changes only lookups of addresses inside them; an undecided range, every lookup', () => {
    const idx = (props: string) => new ModelIndex({ elements: parseCloudFormation('t.yaml', REWRITE(props)).elements });
    const ids = (i: ModelIndex, ip: string) => i.unmodelledChanging('cfn:t.yaml#Table', ip).map((u) => u.id);
    const named = idx('      DestCidr: !Ref Range');
    assert.deepEqual(ids(named, '8.8.8.8'), []);
    assert.deepEqual(ids(named, '10.5.3.4'), ['cfn:t.yaml#Edit']);
    assert.deepEqual(ids(named, '10.6.0.1'), []);
    assert.deepEqual(ids(named, 'unknown'), ['cfn:t.yaml#Edit'], 'an address that is not one keeps the doubt');
    const given = idx('      DestCidr: !Ref Given');
    assert.deepEqual(ids(given, '8.8.8.8'), ['cfn:t.yaml#Edit']);
    const none = idx('      Target: vpce-0123456789abcdef0');
    assert.deepEqual(ids(none, '8.8.8.8'), ['cfn:t.yaml#Edit']);
  });

  const ENDPOINT = (type: string) => `
variable "t" {}
resource "aws_vpc" "v" { cidr_block = "10.1.0.0/16" }
resource "aws_subnet" "e" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.1.0.0/24"
}
resource "aws_lb" "g" {
  load_balancer_type = "gateway"
  subnets            = [aws_subnet.e.id]
}
resource "aws_vpc_endpoint_service" "s" {
  acceptance_required        = false
  gateway_load_balancer_arns = [aws_lb.g.arn]
}
resource "aws_vpc_endpoint" "ep" {
  service_name      = aws_vpc_endpoint_service.s.service_name
  vpc_endpoint_type = ${type}
  vpc_id            = aws_vpc.v.id
  subnet_ids        = [aws_subnet.e.id]
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = aws_vpc_endpoint.ep.id
  }
}
`;

  it('an endpoint typed by its service (service_type of a service of GWLBs) is a GWLB endpoint, routes to it resolve', async () => {
    const { els, diags } = await build({ 'main.tf': ENDPOINT('aws_vpc_endpoint_service.s.service_type') });
    const ep = els.find((e) => e.id === 'aws_vpc_endpoint.ep');
    assert.equal(ep?.kind, 'gwlbe');
    const rt = els.find((e) => e.id === 'aws_route_table.app');
    assert.ok(rt?.kind === 'routeTable');
    assert.deepEqual(rt.routes[0].target, { kind: 'gwlbe', ref: 'aws_vpc_endpoint.ep' });
    assert.deepEqual(
      diags.filter((d) => d.code === 'missing-reference' || d.code === 'unmodelled-resource'),
      [],
    );
  });

  it('an endpoint whose type cannot be decided is kept (unmodelled, naming its VPC and subnet), never "not defined"', async () => {
    const { els, diags } = await build({ 'main.tf': ENDPOINT('var.t') });
    const ep = els.find((e) => e.id === 'aws_vpc_endpoint.ep');
    assert.ok(ep?.kind === 'unmodelled', ep?.kind);
    assert.deepEqual(ep.touches, ['aws_vpc.v', 'aws_subnet.e']);
    // It writes no route: it touches no table of its VPC; its subnet's role is what is in doubt.
    assert.equal(ep.role, 'endpoint');
    const idx = new ModelIndex({ elements: els });
    assert.deepEqual(idx.unmodelledTouching('aws_route_table.app'), []);
    assert.deepEqual(
      idx.undecidedEndpointsIn('aws_subnet.e').map((u) => u.id),
      ['aws_vpc_endpoint.ep'],
    );
    assert.deepEqual(
      diags.filter((d) => d.code === 'missing-reference'),
      [],
    );
    const d = said(diags);
    assert.equal(d.length, 1);
    assert.match(
      d[0].message,
      /aws_vpc_endpoint\.ep is kept but not modelled as an endpoint: vpc_endpoint_type cannot be decided offline; routes to it are Unknown, and so is egress from aws_subnet\.e/,
    );
  });

  it('a forwarding interface (aws_network_interface) is not reported here: it is modelled elsewhere', async () => {
    const { diags } = await build({
      'main.tf': `
resource "aws_vpc" "v" { cidr_block = "10.1.0.0/16" }
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.1.0.0/24"
}
resource "aws_network_interface" "fw" {
  subnet_id         = aws_subnet.s.id
  source_dest_check = false
}
`,
    });
    assert.deepEqual(said(diags), []);
  });
});
