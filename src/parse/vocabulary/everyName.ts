// A destination-name allow entry that lets every name out (review s16 R12), stated once for every vendor that allows
// by name: AWS Network Firewall domain lists (`.example.com`: the domain and its subdomains), Azure Firewall
// application rules (`*.example.com`, `*`), Aviatrix DCF WebGroups (`*.example.com`, `*`). An entry that is `*`
// (or `*.*`), or a wildcard over a top-level domain (`.com`, `*.com`) or over a public suffix registries sell names
// under (`.co.uk`, `*.com.au`), matches nearly every host on the internet: such an allow limits the protocols it
// applies to, not the destinations. A wildcard over a registered domain (`.amazonaws.com`, `*.github.com`) names
// one organisation's hosts: a destination. A name written without a wildcard (`com`) is that one name.

/** Second-level labels under a country code that registries sell names under (`co.uk`, `com.au`, `ne.jp`). */
const SOLD_UNDER = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go', 'gob', 'nic', 'ltd', 'plc', 'info', 'biz']);

const LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * When an allow entry matches every name, or every name under a public suffix: what it takes, for a reason
 * (`every name`, `every name under .com`); undefined when it names a domain (or one host).
 */
export function everyName(entry: string): string | undefined {
  const t = entry.trim().toLowerCase().replace(/\.$/, '');
  if (t === '*' || t === '*.*' || t === '.') return 'every name';
  // Only a wildcard reaches other names: `*.x`, `*x` (Azure's prefix wildcard), `.x` (a domain list's subdomains).
  const rest = t.replace(/^\*/, '').replace(/^\./, '');
  if (rest === t || rest === '') return rest === '' ? 'every name' : undefined;
  if (rest === '*') return 'every name';
  const labels = rest.split('.');
  if (!labels.every((l) => LABEL.test(l))) return undefined;
  const publicSuffix = labels.length === 1 || (labels.length === 2 && labels[1].length === 2 && SOLD_UNDER.has(labels[0]));
  return publicSuffix ? `every name under .${rest}` : undefined;
}
