// Forward proxies as egress control (F103, F139). An explicit proxy (a squid VM the clients are told to use by
// configuration, not sent to by routes) is an enforcement point: its own subnet's egress is what it relays, not a
// workload's. Its clients are controlled by it only when they have no other way out. A transparent squid on a
// forwarding instance is a firewall when its configuration in the user data is an allow-list, and decides nothing
// when it relays every destination. Fixtures modelled on the Databricks-behind-squid design (a proxy VNet peered to
// a workload VNet) and on the NAT instance that runs squid with an SNI allow-list.
import { strict as assert } from 'node:assert';
import { analyzeFiles } from '../analyzeFiles';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { forwardProxy, squidConfig } from '../../../src/parse/vocabulary/appliance';
import type { AnalysisResult } from '../../../src/analysis/types';

const stateOf = (r: AnalysisResult, name: string) => r.states.find((s) => s.name === name)!;
const uninspectedAt = (r: AnalysisResult, subnet: string) =>
  r.findings.filter((f) => f.code === 'uninspected-egress' && f.message.includes(`subnet ${subnet} `));

// A workload VNet (no route table, no NSG rule) peered to a VNet that holds one VM with a public IP.
const azure = (vmName: string) => `
resource "azurerm_virtual_network" "work" {
  name                = "vnet-work"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.10.0.0/20"]
}
resource "azurerm_subnet" "clusters" {
  name                 = "snet-clusters"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.work.name
  address_prefixes     = ["10.10.0.0/24"]
}
resource "azurerm_virtual_network" "edge" {
  name                = "vnet-edge"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.20.0.0/20"]
}
resource "azurerm_subnet" "relay" {
  name                 = "snet-relay"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.edge.name
  address_prefixes     = ["10.20.0.0/24"]
}
resource "azurerm_virtual_network_peering" "work_to_edge" {
  name                      = "work-to-edge"
  resource_group_name       = "rg"
  virtual_network_name      = azurerm_virtual_network.work.name
  remote_virtual_network_id = azurerm_virtual_network.edge.id
}
resource "azurerm_virtual_network_peering" "edge_to_work" {
  name                      = "edge-to-work"
  resource_group_name       = "rg"
  virtual_network_name      = azurerm_virtual_network.edge.name
  remote_virtual_network_id = azurerm_virtual_network.work.id
}
resource "azurerm_public_ip" "relay" {
  name                = "pip-relay"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
}
resource "azurerm_network_interface" "relay" {
  name                = "nic-relay"
  location            = "westeurope"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.relay.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.relay.id
  }
}
resource "azurerm_linux_virtual_machine" "relay" {
  name                  = "${vmName}"
  location              = "westeurope"
  resource_group_name   = "rg"
  size                  = "Standard_F2"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.relay.id]
  source_image_id       = "/subscriptions/0000/resourceGroups/images/providers/Microsoft.Compute/images/relay-image"
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}
`;

describe('explicit forward proxies (F103)', function () {
  this.timeout(60000);

  it("a squid VM's VNet is the proxy's own: Inspection naming it, no uninspected-egress on its subnet", async () => {
    const r = await analyzeFiles({ 'main.tf': azure('squid-vm') });
    const edge = stateOf(r, 'vnet-edge');
    assert.equal(edge.state, 'Inspection');
    assert.match(edge.reason, /an explicit forward proxy: its name squid-vm says squid/);
    assert.deepEqual(uninspectedAt(r, 'snet-relay'), []);
    // The clients reach the internet directly: the proxy is theirs by configuration only. Unprotected, saying so.
    const work = stateOf(r, 'vnet-work');
    assert.equal(work.state, 'Unprotected');
    assert.match(work.reason, /explicit forward proxy.* is in the inputs, but nothing in the network sends this traffic to it/);
    assert.equal(uninspectedAt(r, 'snet-clusters').length, 1);
  });

  it('a VM nothing says is a proxy is a workload host, as before: Unprotected, with the finding on its subnet', async () => {
    const r = await analyzeFiles({ 'main.tf': azure('app-vm') });
    assert.equal(stateOf(r, 'vnet-edge').state, 'Unprotected');
    assert.equal(uninspectedAt(r, 'snet-relay').length, 1);
    assert.doesNotMatch(stateOf(r, 'vnet-work').reason, /proxy/);
  });
});

// One VPC: a public subnet holding the proxy (public IP), a private subnet with no route out, or with its own.
const aws = (opts: { userData?: string; name?: string; privateRoute?: boolean; beside?: boolean; proxyOut?: 'none' | 'no-public-ip' }) => `
resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.0.0/24"
  availability_zone = "eu-west-1a"
  tags              = { Name = "public" }
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.10.0/24"
  availability_zone = "eu-west-1a"
  tags              = { Name = "private" }
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
${opts.proxyOut === 'none' ? '' : '  route {\n    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.igw.id\n  }'}
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
${opts.privateRoute ? '  route {\n    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.igw.id\n  }' : ''}
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_instance" "proxy" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = ${opts.proxyOut === 'no-public-ip' ? 'false' : 'true'}
  tags                        = { Name = "${opts.name ?? 'egress-1'}" }
${opts.userData !== undefined ? `  user_data = <<-EOT\n${opts.userData}\n  EOT` : ''}
}
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private.id
${opts.privateRoute ? '  associate_public_ip_address = true' : ''}
}
${
  opts.beside
    ? `resource "aws_instance" "web" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = true
}`
    : ''
}`;

const allowList = `#!/bin/bash
yum install -y squid
cat > /etc/squid/squid.conf <<CONF
http_port 3128
acl localnet src 10.0.0.0/8
acl allowed dstdomain .example.com .amazonaws.com
http_access allow localnet allowed
http_access deny all
CONF
systemctl enable --now squid`;

const allowAll = `#!/bin/bash
yum install -y squid
echo "http_access allow all" > /etc/squid/squid.conf
systemctl enable --now squid`;

describe('clients with no other way out than an explicit proxy (F103)', function () {
  this.timeout(60000);

  it("a squid allow-list in the proxy's user data: Protected, the reason naming the proxy and its list", async () => {
    const r = await analyzeFiles({ 'main.tf': aws({ userData: allowList }) });
    const s = r.states.find((x) => x.state !== 'Inspection')!;
    assert.equal(s.state, 'Protected');
    assert.match(
      s.reason,
      /no route to the internet; their only way out is .*explicit forward proxy: its user data configures squid to let only listed destinations through \(`acl allowed dstdomain/,
    );
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
  });

  it('a proxy that has no way out itself is no way out for its clients: No Egress, naming it (R20)', async () => {
    for (const proxyOut of ['none', 'no-public-ip'] as const) {
      const r = await analyzeFiles({ 'main.tf': aws({ userData: allowList, proxyOut }) });
      const s = r.states.find((x) => x.state !== 'Inspection')!;
      assert.equal(s.state, 'No Egress', proxyOut);
      assert.match(
        s.reason,
        /aws_instance\.proxy \(an explicit forward proxy: .*\) in it has no way out either \(aws_subnet\.public has no path to the internet\)/,
      );
      assert.equal(r.score.score, null);
    }
  });

  it('squid rules appended to the stock squid.conf: Unknown saying so, never Protected (R19)', async () => {
    const appended = `#!/bin/bash
yum install -y squid
echo 'acl allowed dstdomain .amazonaws.com' >> /etc/squid/squid.conf
echo 'http_access allow allowed' >> /etc/squid/squid.conf
systemctl enable --now squid`;
    const r = await analyzeFiles({ 'main.tf': aws({ userData: appended }) });
    const s = r.states.find((x) => x.state !== 'Inspection')!;
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /appends squid rules to a configuration it does not write whole .*what it lets through is not in the inputs/);
    assert.doesNotMatch(s.reason, /then `http_access deny all`/);
  });

  it('a proxy by its name only: Unknown, what it lets through is not in the inputs (never Protected)', async () => {
    const r = await analyzeFiles({ 'main.tf': aws({ name: 'squid-1' }) });
    const s = r.states[0];
    assert.equal(s.state, 'Unknown');
    assert.match(s.reason, /its name squid-1 says squid\), which hosts use when configured to: what it lets through is not in the inputs/);
  });

  it("a squid that allows everything is no control: its subnet is a host's again (Unprotected, finding)", async () => {
    const r = await analyzeFiles({ 'main.tf': aws({ userData: allowAll, name: 'squid-1' }) });
    assert.equal(r.states[0].state, 'Unprotected');
    assert.equal(r.findings.filter((f) => f.code === 'uninspected-egress').length, 1);
  });

  it('no proxy evidence: the public host is a workload, as before (Unprotected)', async () => {
    const r = await analyzeFiles({ 'main.tf': aws({}) });
    assert.equal(r.states[0].state, 'Unprotected');
  });

  it('clients with their own route out are not controlled by the proxy: Unprotected, saying the proxy is not forced', async () => {
    const r = await analyzeFiles({ 'main.tf': aws({ userData: allowList, privateRoute: true }) });
    assert.equal(r.states[0].state, 'Unprotected');
    assert.match(r.states[0].reason, /nothing in the network sends this traffic to it/);
    assert.equal(r.findings.filter((f) => f.code === 'uninspected-egress').length, 1);
  });

  it("a workload beside the proxy keeps its subnet a workload's: Unprotected with the finding there", async () => {
    const r = await analyzeFiles({ 'main.tf': aws({ userData: allowList, beside: true }) });
    assert.equal(r.states[0].state, 'Unprotected');
    assert.equal(uninspectedAt(r, 'public').length, 1);
  });
});

// The NAT instance of the single-VPC design, running squid as a transparent proxy (iptables REDIRECT to it).
const natInstance = () => `
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.40.0.0/24"
}
resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.40.10.0/24"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_instance.filter.primary_network_interface_id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_instance" "filter" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = true
  source_dest_check           = false
  user_data                   = file("filter.sh")
  tags                        = { Name = "relay-0" }
}
`;

const filterScript = (rules: string) => `#!/bin/bash
yum install -y squid
cat | tee /etc/squid/squid.conf <<EOF
http_port 3129 intercept
https_port 3130 cert=/etc/squid/ssl/squid.pem ssl-bump intercept
acl tls port 443
acl sites ssl::server_name .example.org
acl step1 at_step SslBump1
${rules}
EOF
iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-port 3129
iptables -t nat -A PREROUTING -p tcp --dport 443 -j REDIRECT --to-port 3130
systemctl start squid
`;

/** As the CLI and the editor do: a file the configuration reads is read once the configuration turns out to read it. */
async function withScript(tf: string, script: string): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', tf);
  ws.setFile('filter.sh', script);
  ws.build();
  ws.setFile('filter.sh', script);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

describe('a transparent squid on a forwarding instance (F139)', function () {
  this.timeout(60000);

  it('an SNI allow-list (splice the listed names, terminate the rest, deny all else): a firewall, Protected', async () => {
    const r = await withScript(
      natInstance(),
      filterScript('http_access allow tls\nssl_bump peek step1 all\nssl_bump splice sites\nssl_bump terminate all\nhttp_access deny all'),
    );
    assert.equal(r.states[0].state, 'Protected');
    assert.match(
      r.states[0].reason,
      /a firewall: its user data configures squid to let only listed destinations through .*its policy is that allow-list/,
    );
  });

  // AWS's squid NAT instance: forwarding on and everything masqueraded; iptables hands squid 80 and 443 only (R19).
  const translating = (rules: string, redirect = true) =>
    filterScript(rules)
      .split('\n')
      .filter((l) => redirect || !l.includes('REDIRECT'))
      .join('\n') + '\nsysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n';
  const sni = 'http_access allow tls\nssl_bump peek step1 all\nssl_bump splice sites\nssl_bump terminate all\nhttp_access deny all';

  it('the same allow-list on a NAT instance that masquerades the rest: Partially Protected, web ports only (R19)', async () => {
    const r = await withScript(natInstance(), translating(sni));
    assert.equal(r.states[0].state, 'Partially Protected');
    assert.match(
      r.states[0].reason,
      /its user data hands squid only TCP ports 80, 443, which it lets through only to listed destinations \(`acl sites ssl::server_name \.example\.org`, then `http_access deny all`\); it translates the rest \(`-j MASQUERADE`.*every other port and protocol leaves unfiltered; its policy is that allow-list for those ports only/,
    );
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });

  it('a NAT instance whose squid nothing is handed to: a NAT, what is routed to it leaves uninspected (R19)', async () => {
    const r = await withScript(natInstance(), translating(sni, false));
    assert.equal(r.states[0].state, 'Unprotected');
    assert.equal(r.findings.filter((f) => f.code === 'uninspected-egress').length, 1);
  });

  it('an SNI list of .com: no allow-list, Unknown naming it, never Protected (review s16 R12)', async () => {
    const rules = 'http_access allow tls\nssl_bump peek step1 all\nssl_bump splice sites\nssl_bump terminate all\nhttp_access deny all';
    const r = await withScript(
      natInstance(),
      filterScript(rules).replace('acl sites ssl::server_name .example.org', 'acl sites ssl::server_name .com'),
    );
    assert.equal(r.states[0].state, 'Unknown', r.states[0].reason);
    assert.match(r.states[0].reason, /`\.com` takes every name under \.com/);
  });

  it('`http_access allow all`: Unknown naming squid, never Protected, no finding', async () => {
    const r = await withScript(natInstance(), filterScript('http_access allow all'));
    assert.equal(r.states[0].state, 'Unknown');
    assert.match(r.states[0].reason, /squid with `http_access allow all`: it relays every destination/);
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });

  it('port 443 allowed without an SNI filter: no allow-list, Unknown', async () => {
    const r = await withScript(natInstance(), filterScript('http_access allow tls\nhttp_access deny all'));
    assert.equal(r.states[0].state, 'Unknown');
    assert.match(r.states[0].reason, /whose rules the inputs do not show to let only listed destinations through/);
  });
});

describe('squidConfig and forwardProxy (vocabulary/appliance.ts)', () => {
  it('reads squid.conf rules as squid does: first match, the opposite of the last rule for what none matches', () => {
    assert.ok(squidConfig('acl a dstdomain .x.com\nhttp_access allow a\nhttp_access deny all')?.allowlist);
    // The last rule allows: what nothing matches is denied.
    assert.ok(squidConfig('acl a dst 192.0.2.0/24\nhttp_access allow a')?.allowlist);
    // Echoed into a file written whole by the first echo, quoted: read in order.
    assert.match(
      squidConfig(
        `echo 'acl a dstdomain .x.com' > /etc/squid/squid.conf\necho "http_access allow a" >> /etc/squid/squid.conf\necho "http_access deny all" >> /etc/squid/squid.conf`,
      )?.allowlist ?? '',
      /\(`acl a dstdomain \.x\.com`, then `http_access deny all`\)$/,
    );
    // The stock rules: local clients to any destination.
    assert.deepEqual(squidConfig('acl localnet src 10.0.0.0/8\nhttp_access allow localnet\nhttp_access deny all'), { installed: true });
    // A deny-list before allow all filters some: neither.
    assert.deepEqual(squidConfig('acl bad dstdomain .x.com\nhttp_access deny bad\nhttp_access allow all'), { installed: true });
    assert.ok(squidConfig('http_access allow all\nhttp_access deny all')?.open);
    // A negated destination ACL lists what is refused, not what is allowed.
    assert.deepEqual(squidConfig('acl a dstdomain .x.com\nhttp_access allow !a\nhttp_access deny all'), { installed: true });
    // An allowed entry that takes every name (`.com`) lists no destination (review s16 R12): not an allow-list, said.
    const com = squidConfig('acl a dstdomain .example.org .com\nhttp_access allow a\nhttp_access deny all');
    assert.equal(com?.allowlist, undefined);
    assert.match(
      com?.wide ?? '',
      /squid lets through `acl a dstdomain \.example\.org \.com` \(`\.com` takes every name under \.com\): that lists no destination/,
    );
    assert.ok(squidConfig('acl a dstdomain .example.org .amazonaws.com\nhttp_access allow a\nhttp_access deny all')?.allowlist);
    assert.deepEqual(squidConfig('apt-get install -y squid'), { installed: true });
    assert.equal(squidConfig('apt-get install -y nginx\n# squid later'), undefined);
  });

  it('rules appended to a configuration the user data does not write whole come after the stock rules: no allow-list (R19)', () => {
    // The stock squid.conf (Amazon Linux, RHEL) allows local clients any destination, then denies all: lines appended
    // after it are never reached.
    const echoed = `yum install -y squid\necho 'acl allowed dstdomain .amazonaws.com' >> /etc/squid/squid.conf\necho 'http_access allow allowed' >> /etc/squid/squid.conf`;
    const sq = squidConfig(echoed);
    assert.equal(sq?.allowlist, undefined);
    assert.match(
      sq?.appended ?? '',
      /appends squid rules .*\(`echo 'acl allowed dstdomain \.amazonaws\.com' >> \/etc\/squid\/squid\.conf`\): they come after/,
    );
    assert.equal(forwardProxy({ bootstraps: [echoed] })?.policy, 'unknown');
    assert.match(forwardProxy({ bootstraps: [echoed] })?.why ?? '', /appends squid rules/);
    // Even ending in a denial: the stock rules before it decide first.
    assert.equal(squidConfig(`${echoed}\necho 'http_access deny all' >> /etc/squid/squid.conf`)?.allowlist, undefined);
    // tee -a, and a heredoc appended with >> or tee -a.
    assert.ok(
      squidConfig(
        `echo 'acl a dstdomain .x.com' | sudo tee -a /etc/squid/squid.conf\necho 'http_access allow a' | tee -a /etc/squid/squid.conf`,
      )?.appended,
    );
    const list = 'acl a dstdomain .x.com\nhttp_access allow a\nhttp_access deny all\nEOF';
    assert.ok(squidConfig(`cat >> /etc/squid/squid.conf <<EOF\n${list}`)?.appended);
    assert.ok(squidConfig(`cat <<'EOF' | sudo tee -a /etc/squid/squid.conf\n${list}`)?.appended);
    // Written whole: cat >, tee without -a (augustkang's `cat | sudo tee f <<EOF`), or cat > f first and >> after.
    assert.ok(squidConfig(`cat > /etc/squid/squid.conf <<EOF\n${list}`)?.allowlist);
    assert.ok(squidConfig(`cat | sudo tee /etc/squid/squid.conf <<EOF\n${list}`)?.allowlist);
    assert.ok(
      squidConfig(
        `cat > /etc/squid/squid.conf <<EOF\nacl a dstdomain .x.com\nEOF\necho 'http_access allow a' >> /etc/squid/squid.conf\necho 'http_access deny all' >> /etc/squid/squid.conf`,
      )?.allowlist,
    );
    // A line appended after the whole file's denial is read in order: never reached, the list stands.
    assert.ok(squidConfig(`cat > /etc/squid/squid.conf <<EOF\n${list}\necho 'http_access allow all' >> /etc/squid/squid.conf`)?.allowlist);
  });

  it('quotes the rule that ends the list as written, never one the user data does not hold (R19)', () => {
    assert.match(
      squidConfig('acl a dst 192.0.2.0/24\nhttp_access allow a')?.allowlist ?? '',
      /\(`acl a dst 192\.0\.2\.0\/24`, last `http_access allow a`, what no rule matches denied\)$/,
    );
    assert.doesNotMatch(squidConfig('acl a dst 192.0.2.0/24\nhttp_access allow a')?.allowlist ?? '', /deny all/);
    assert.match(
      squidConfig('acl a dstdomain .x.com\nhttp_access allow a\nhttp_access deny')?.allowlist ?? '',
      /then `http_access deny`\)$/,
    );
  });

  it('says what makes a machine an explicit proxy: squid in its user data, image or name; an open squid is none', () => {
    assert.equal(forwardProxy({ bootstraps: ['acl a dstdomain .x.com\nhttp_access allow a\nhttp_access deny all'] })?.policy, 'allowlist');
    assert.equal(forwardProxy({ bootstraps: ['yum install -y squid'] })?.policy, 'unknown');
    assert.equal(forwardProxy({ names: ['squid-vm'] })?.weak, true);
    assert.equal(forwardProxy({ images: ['ubuntu-squid-proxy'] })?.policy, 'unknown');
    assert.equal(forwardProxy({ bootstraps: ['http_access allow all'], names: ['squid-vm'] }), undefined);
    // A reverse proxy's name says nothing of egress.
    assert.equal(forwardProxy({ names: ['proxy-1', 'nginx-proxy'] }), undefined);
  });
});
