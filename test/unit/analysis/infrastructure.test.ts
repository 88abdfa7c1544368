import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// Which subnets are egress machinery (skipped as sources) and which hold workloads.
describe('analysis: infrastructure subnets', function () {
  this.timeout(30000);

  const estate = (tgProtocol: string, lbType: string): string => `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "web" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "pub" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.pub.id
}
resource "aws_route_table" "web" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.web.id
}
resource "aws_lb" "lb" {
  load_balancer_type = "${lbType}"
  subnets            = [aws_subnet.pub.id]
}
resource "aws_lb_target_group" "tg" {
  port     = ${tgProtocol === 'GENEVE' ? 6081 : 80}
  protocol = "${tgProtocol}"
  vpc_id   = aws_vpc.v.id
}
resource "aws_lb_target_group_attachment" "web" {
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = aws_instance.web.id
}
`;

  async function run(text: string) {
    const ws = await createWorkspace();
    ws.setFile('main.tf', text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  it('web servers behind an ALB are workloads: their subnet is traced and its uninspected egress reported', async () => {
    const r = await run(estate('HTTP', 'application'));
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['aws_subnet.web'],
    );
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
      ['uninspected-egress aws_subnet.web'],
    );
    assert.equal(r.states[0].state, 'Unprotected');
  });

  it('GENEVE targets of a GWLB are appliances: their subnet is not a traffic source', async () => {
    const r = await run(estate('GENEVE', 'gateway'));
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      [],
    );
  });

  // A VPC endpoint whose type the inputs cannot decide writes no route: it puts in doubt a route to it and
  // the egress of the subnet it is placed in (an endpoint subnet carries no traffic of its own), never its VPC.
  const spoke = (routes: { endpointTable?: string; appTable?: string; host?: boolean }): string => `
variable "endpoint_type" {}
resource "aws_vpc" "v" {
  cidr_block = "10.8.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.v.id
}
resource "aws_subnet" "endpoints" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.8.1.0/24"
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.8.2.0/24"
}
resource "aws_vpc_endpoint" "inspect" {
  service_name      = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc"
  vpc_endpoint_type = var.endpoint_type
  vpc_id            = aws_vpc.v.id
  subnet_ids        = [aws_subnet.endpoints.id]
}
resource "aws_route_table" "endpoints" {
  vpc_id = aws_vpc.v.id
  ${routes.endpointTable ?? ''}
}
resource "aws_route_table_association" "endpoints" {
  subnet_id      = aws_subnet.endpoints.id
  route_table_id = aws_route_table.endpoints.id
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.v.id
  ${routes.appTable ?? ''}
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
${
  routes.host
    ? `resource "aws_instance" "jump" {
  ami                         = "ami-1"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.endpoints.id
  associate_public_ip_address = true
}`
    : ''
}
`;
  const toIgw = 'route {\n    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.igw.id\n  }';
  const toEndpoint = 'route {\n    cidr_block      = "0.0.0.0/0"\n    vpc_endpoint_id = aws_vpc_endpoint.inspect.id\n  }';

  it('an endpoint of undecidable type that no route reaches leaves its VPC decided (No Egress)', async () => {
    const r = await run(spoke({}));
    assert.equal(r.states[0].state, 'No Egress', r.states[0].reason);
    assert.deepEqual(
      r.egress.map((e) => e.forward.outcome.kind),
      ['dropped', 'dropped'],
    );
  });

  it('routed to and from: the path through it and the egress of its own subnet are Unknown, never uninspected', async () => {
    const r = await run(spoke({ endpointTable: toIgw, appTable: toEndpoint }));
    assert.equal(r.states[0].state, 'Unknown');
    assert.deepEqual(r.findings, []);
    const out = new Map(
      r.egress.map((e) => [e.subnet, e.forward.outcome.kind === 'unknown' ? e.forward.outcome.reason : e.forward.outcome.kind]),
    );
    assert.match(out.get('aws_subnet.app') ?? '', /^where a route to inspect \(main\.tf:\d+\) leads cannot be decided: it is not modelled/);
    assert.match(
      out.get('aws_subnet.endpoints') ?? '',
      /^whether endpoints is an endpoint subnet \(which carries no traffic of its own\) or holds workloads cannot be decided: it holds inspect \(main\.tf:\d+\), an endpoint whose type is not known offline$/,
    );
  });

  it('a host placed in that subnet is a workload whatever the endpoint is: its uninspected egress is reported', async () => {
    const r = await run(spoke({ endpointTable: toIgw, host: true }));
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
      ['uninspected-egress aws_subnet.endpoints'],
    );
  });

  // Azure refuses any resource but its own service in these subnets, and Bastion and VPN gateways must reach
  // the internet directly: a finding there would ask for a UDR that Azure rejects or that breaks the service.
  it("Azure's reserved subnets (AzureBastionSubnet, GatewaySubnet) are not egress sources; an ordinary subnet beside them is", async () => {
    const hub = (name: string, cidr: string) => `
resource "azurerm_subnet" "${name}" {
  name                 = "${name}"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["${cidr}"]
}`;
    const r = await run(`
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
}
${hub('AzureBastionSubnet', '10.0.1.0/26')}
${hub('GatewaySubnet', '10.0.2.0/27')}
${hub('snet-jumpbox', '10.0.3.0/24')}
`);
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['azurerm_subnet.snet-jumpbox'],
    );
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
      ['uninspected-egress azurerm_subnet.snet-jumpbox'],
    );
  });
});
