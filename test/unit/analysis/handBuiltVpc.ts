// A VPC written out by hand, as the Aviatrix controller route tests need it (aviatrixPrivateDefaultRoute,
// aviatrixFqdnGateway): a public subnet whose table sends 0.0.0.0/0 to the internet gateway, a NAT gateway in it,
// private tiers on tables with no route at all (the controller's to fill), and a batch tier whose table sends
// 0.0.0.0/0 to the NAT gateway.

export interface HandBuiltVpc {
  /** The VPC's resource name and CIDR. */
  name: string;
  cidr: string;
  /** The public subnet's resource name and CIDR (its table is `public`). */
  publicSubnet: string;
  publicCidr: string;
  /** Private tiers: subnet and table named alike; `table` adds lines to the table's body. */
  tiers: { name: string; cidr: string; table?: string }[];
  batchCidr: string;
}

export function handBuiltVpc(o: HandBuiltVpc): string {
  const v = `aws_vpc.${o.name}.id`;
  const tier = (t: HandBuiltVpc['tiers'][number]) => `
resource "aws_subnet" "${t.name}" {
  vpc_id     = ${v}
  cidr_block = "${t.cidr}"
}
resource "aws_route_table" "${t.name}" {
  vpc_id = ${v}${t.table ? `\n${t.table}` : ''}
}
resource "aws_route_table_association" "${t.name}" {
  subnet_id      = aws_subnet.${t.name}.id
  route_table_id = aws_route_table.${t.name}.id
}`;
  return `
resource "aws_vpc" "${o.name}" {
  cidr_block = "${o.cidr}"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = ${v}
}
resource "aws_subnet" "${o.publicSubnet}" {
  vpc_id     = ${v}
  cidr_block = "${o.publicCidr}"
}
resource "aws_route_table" "public" {
  vpc_id = ${v}
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "${o.publicSubnet}" {
  subnet_id      = aws_subnet.${o.publicSubnet}.id
  route_table_id = aws_route_table.public.id
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.${o.publicSubnet}.id
}${o.tiers.map(tier).join('')}${tier({ name: 'batch', cidr: o.batchCidr, table: '  route {\n    cidr_block     = "0.0.0.0/0"\n    nat_gateway_id = aws_nat_gateway.nat.id\n  }' })}
`;
}
