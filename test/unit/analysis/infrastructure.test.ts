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

  // A NIC with IP forwarding is a network virtual appliance when a UDR sends traffic to it (its subnet is the
  // appliance's); forwarding on an ordinary VM's NIC that no route names leaves its subnet a workload.
  const nvaEstate = (spokeRoutesToNva: boolean) => `
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
}
resource "azurerm_subnet" "nva" {
  name                 = "snet-nva"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_network_interface" "nva" {
  name                 = "nic-nva"
  resource_group_name  = "rg"
  enable_ip_forwarding = true
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.nva.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.4"
  }
}
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  resource_group_name = "rg"
  address_space       = ["10.1.0.0/16"]
}
resource "azurerm_subnet" "app" {
  name                 = "snet-app"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.1.0/24"]
}
resource "azurerm_network_interface" "app" {
  name                  = "nic-app"
  resource_group_name   = "rg"
  ip_forwarding_enabled = true
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.app.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_route_table" "app" {
  name                = "rt-app"
  resource_group_name = "rg"
  route {
    name                   = "default"
    address_prefix         = "${spokeRoutesToNva ? '0.0.0.0/0' : '192.168.0.0/16'}"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.0.1.4"
  }
}
resource "azurerm_subnet_route_table_association" "app" {
  subnet_id      = azurerm_subnet.app.id
  route_table_id = azurerm_route_table.app.id
}
`;

  it("Azure NVA (Terraform NIC with IP forwarding) a UDR names: its subnet is the appliance's; a VM NIC with forwarding stays a workload", async () => {
    const r = await run(nvaEstate(true));
    // Without the NIC the NVA subnet was a source routed "to the hub firewall or NVA": itself.
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['azurerm_subnet.app'],
    );
    assert.deepEqual(
      r.egress[0].forward.hops.map((h) => h.name),
      ['snet-app', 'nic-nva', 'internet'],
    );
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
      [],
    );
  });

  it('Azure NIC with IP forwarding that no route sends to: its subnet is a workload, its uninspected egress reported', async () => {
    const r = await run(nvaEstate(false));
    assert.deepEqual(
      r.egress.map((e) => e.subnet),
      ['azurerm_subnet.app'],
    );
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
      ['uninspected-egress azurerm_subnet.app'],
    );
  });
  // An Application Gateway needs its subnet to itself, under any name, and its 0.0.0.0/0 to go to the internet
  // (a UDR to a firewall breaks its control plane): advising the hub firewall there would break the gateway.
  describe('Application Gateway subnet', () => {
    const spoke = `
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.1.0.0/16"]
}
resource "azurerm_subnet" "agw" {
  name                 = "snet-agw"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.1.0/24"]
}
resource "azurerm_subnet" "vm" {
  name                 = "snet-vm"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.2.0/24"]
}
resource "azurerm_route_table" "rt" {
  name                = "rt-spoke"
  location            = "westeurope"
  resource_group_name = "rg"
  route {
    name           = "internet"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "Internet"
  }
}
resource "azurerm_subnet_route_table_association" "agw" {
  subnet_id      = azurerm_subnet.agw.id
  route_table_id = azurerm_route_table.rt.id
}
resource "azurerm_subnet_route_table_association" "vm" {
  subnet_id      = azurerm_subnet.vm.id
  route_table_id = azurerm_route_table.rt.id
}`;
    const gateway = `
resource "azurerm_application_gateway" "agw" {
  name                = "agw"
  resource_group_name = "rg"
  location            = "westeurope"
  sku {
    name     = "Standard_v2"
    tier     = "Standard_v2"
    capacity = 1
  }
  gateway_ip_configuration {
    name      = "agw-ip"
    subnet_id = azurerm_subnet.agw.id
  }
}`;

    it('the subnet of its gateway IP configuration is not an egress source; the VM subnet beside it is', async () => {
      const ws = await createWorkspace();
      ws.setFile('spoke.tf', spoke);
      ws.setFile('agw.tf', gateway);
      const b = ws.build();
      const r = analyze(b.model, {}, b.diagnostics);
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.vm'],
      );
      assert.deepEqual(
        r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
        ['uninspected-egress azurerm_subnet.vm'],
      );
      // The table is shared with the gateway's subnet: changing its 0.0.0.0/0 would break the gateway.
      assert.equal(
        r.findings[0].fix?.title,
        'Give the workload subnet a route table of its own with 0.0.0.0/0 to the hub firewall or NVA (next hop VirtualAppliance): rt-spoke also serves snet-agw (Application Gateway), whose 0.0.0.0/0 must stay on Internet',
      );
    });

    // F183: an empty subnet whose name says Application Gateway is reserved for a gateway another configuration
    // deploys; holding anything, or named otherwise, it is an ordinary workload subnet.
    it('without the gateway the same subnet, empty and named snet-agw, is reserved for one: no source', async () => {
      const r = await run(spoke);
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.vm'],
      );
      assert.deepEqual(
        r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
        ['uninspected-egress azurerm_subnet.vm'],
      );
    });

    it('without the gateway, a VM in the subnet named snet-agw makes it an ordinary workload subnet', async () => {
      const vm = `
resource "azurerm_network_interface" "web" {
  name                = "nic-web"
  location            = "westeurope"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.agw.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_linux_virtual_machine" "web" {
  name                  = "vm-web"
  location              = "westeurope"
  resource_group_name   = "rg"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.web.id]
}`;
      const r = await run(spoke + vm);
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.agw', 'azurerm_subnet.vm'],
      );
    });

    it('without the gateway, the same empty subnet under another name is an ordinary workload subnet', async () => {
      const r = await run(spoke.replace('"snet-agw"', '"snet-web"'));
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.agw', 'azurerm_subnet.vm'],
      );
    });

    it('from an Azure CLI export: a subnet listing applicationGatewayIPConfigurations is not an egress source', async () => {
      const rg = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network';
      const sub = (name: string, prefix: string, extra: object = {}) => ({
        id: `${rg}/virtualNetworks/spoke/subnets/${name}`,
        name,
        addressPrefix: prefix,
        ...extra,
      });
      const vnet = {
        type: 'Microsoft.Network/virtualNetworks',
        id: `${rg}/virtualNetworks/spoke`,
        name: 'spoke',
        location: 'westeurope',
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [
          sub('snet-agw', '10.1.1.0/24', {
            applicationGatewayIPConfigurations: [
              { id: `${rg}/applicationGateways/agw/gatewayIPConfigurations/agw-ip`, resourceGroup: 'rg' },
            ],
          }),
          sub('snet-vm', '10.1.2.0/24'),
        ],
      };
      const ws = await createWorkspace();
      ws.setFile('vnet-list.json', JSON.stringify([vnet]));
      const b = ws.build();
      const r = analyze(b.model, {}, b.diagnostics);
      assert.deepEqual(
        r.egress.map((e) => b.model.elements.find((x) => x.id === e.subnet)?.name),
        ['snet-vm'],
      );
    });

    it('removing the gateway file makes the subnet a source again (incremental build)', async () => {
      const ws = await createWorkspace();
      // Named otherwise than for a gateway (an empty snet-agw stays reserved, F183).
      ws.setFile('spoke.tf', spoke.replace('"snet-agw"', '"snet-web"'));
      ws.setFile('agw.tf', gateway);
      ws.build();
      ws.removeFile('agw.tf');
      const b = ws.build();
      const r = analyze(b.model, {}, b.diagnostics);
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.agw', 'azurerm_subnet.vm'],
      );
    });
    it('adding a file that places a node pool in the empty snet-agw makes it a source; removing it, reserved again (incremental build)', async () => {
      const ws = await createWorkspace();
      ws.setFile('spoke.tf', spoke);
      const sources = () => {
        const b = ws.build();
        return analyze(b.model, {}, b.diagnostics).egress.map((e) => e.subnet);
      };
      assert.deepEqual(sources(), ['azurerm_subnet.vm']);
      ws.setFile(
        'pool.tf',
        `
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks"
  vm_size               = "Standard_D4s_v5"
  vnet_subnet_id        = azurerm_subnet.agw.id
}`,
      );
      assert.deepEqual(sources(), ['azurerm_subnet.agw', 'azurerm_subnet.vm']);
      ws.removeFile('pool.tf');
      assert.deepEqual(sources(), ['azurerm_subnet.vm']);
    });
    it('an empty snet-web is a source; a file placing only a private endpoint in it makes it none; removing it, a source again (incremental build)', async () => {
      const ws = await createWorkspace();
      ws.setFile('spoke.tf', spoke.replace('"snet-agw"', '"snet-web"'));
      const sources = () => {
        const b = ws.build();
        return analyze(b.model, {}, b.diagnostics).egress.map((e) => e.subnet);
      };
      assert.deepEqual(sources(), ['azurerm_subnet.agw', 'azurerm_subnet.vm']);
      ws.setFile(
        'pe.tf',
        `
resource "azurerm_private_endpoint" "pe" {
  name                = "pe-kv"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.agw.id
}`,
      );
      assert.deepEqual(sources(), ['azurerm_subnet.vm']);
      ws.removeFile('pe.tf');
      assert.deepEqual(sources(), ['azurerm_subnet.agw', 'azurerm_subnet.vm']);
    });
  });

  // The Private DNS Resolver's endpoints need delegated subnets that hold nothing else (F38): no workload sends
  // from them. Unlike an Application Gateway's, their route is free, so a table they share may go to a firewall.
  describe('Private DNS Resolver subnets', () => {
    const dns = (service: string) => `
resource "azurerm_virtual_network" "dns" {
  name                = "vnet-dns"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.2.0.0/24"]
}
resource "azurerm_subnet" "inbound" {
  name                 = "snet-inbound"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.dns.name
  address_prefixes     = ["10.2.0.0/28"]
  delegation {
    name = "d"
    service_delegation {
      name = "${service}"
    }
  }
}
resource "azurerm_subnet" "vm" {
  name                 = "snet-vm"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.dns.name
  address_prefixes     = ["10.2.0.64/26"]
}
resource "azurerm_route_table" "rt" {
  name                = "rt-dns"
  location            = "westeurope"
  resource_group_name = "rg"
  route {
    name           = "internet"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "Internet"
  }
}
resource "azurerm_subnet_route_table_association" "inbound" {
  subnet_id      = azurerm_subnet.inbound.id
  route_table_id = azurerm_route_table.rt.id
}
resource "azurerm_subnet_route_table_association" "vm" {
  subnet_id      = azurerm_subnet.vm.id
  route_table_id = azurerm_route_table.rt.id
}`;

    // F75: Azure NetApp Files volumes (NFS/SMB endpoints) are delegated the same way and open no egress either.
    it('a subnet delegated to Microsoft.Netapp/volumes is not traced either', async () => {
      const r = await run(dns('Microsoft.Netapp/volumes'));
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.vm'],
      );
      assert.deepEqual(
        r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
        ['uninspected-egress azurerm_subnet.vm'],
      );
    });

    it('a subnet delegated to Microsoft.Network/dnsResolvers is not traced; the shared table may still go to the firewall', async () => {
      const r = await run(dns('Microsoft.Network/dnsResolvers'));
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.vm'],
      );
      assert.deepEqual(
        r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
        ['uninspected-egress azurerm_subnet.vm'],
      );
      assert.doesNotMatch(r.findings[0].fix?.title ?? '', /route table of its own|must stay on/);
      assert.match(r.findings[0].fix?.title ?? '', /to the hub firewall or NVA \(next hop VirtualAppliance\)/);
    });

    it('a subnet delegated to App Service (VNet integration) carries the app’s egress: traced', async () => {
      const r = await run(dns('Microsoft.Web/serverFarms'));
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.inbound', 'azurerm_subnet.vm'],
      );
    });
  });
});
