// Attributes the provider always sets on a resource that exists: `<one of them> == null` is false offline,
// though Terraform shows the value as unknown until apply (modules write `var.fw_private_ip == null ? [] : [...]`
// to serve a firewall that may be absent). Conservative: ids, ARNs and the private addresses of firewalls,
// internal load balancer frontends, network interfaces and instances, nothing the configuration can leave unset.
import { RefVal } from './values';

/** Top-level attributes per resource type; `block.#.attr` is an attribute of a written nested block. */
const ALWAYS_SET: Record<string, readonly string[]> = {
  azurerm_firewall: ['ip_configuration.#.private_ip_address'],
  azurerm_lb: ['frontend_ip_configuration.#.private_ip_address'],
  azurerm_network_interface: ['private_ip_address', 'ip_configuration.#.private_ip_address'],
  azurerm_linux_virtual_machine: ['private_ip_address'],
  azurerm_windows_virtual_machine: ['private_ip_address'],
  aws_instance: ['private_ip'],
  aws_network_interface: ['private_ip'],
};

/** Whether a reference is an attribute the provider always sets once its resource exists. */
export function alwaysSet(v: RefVal): boolean {
  const p = v.path;
  if (p.length === 1 && (p[0] === 'id' || p[0] === 'arn')) return true;
  const type = v.of?.type;
  const written = type === undefined ? undefined : ALWAYS_SET[type];
  if (!written) return false;
  if (p.length === 1) return written.includes(String(p[0]));
  if (p.length !== 3 || typeof p[1] !== 'number' || !written.includes(`${p[0]}.#.${p[2]}`)) return false;
  // The block must be written at that position (a hub firewall has no ip_configuration); an internal frontend
  // (one in a subnet) is what has a private address.
  const block = String(p[0]);
  const count = v.of?.blockCount?.(block);
  if (count === undefined || p[1] < 0 || p[1] >= count) return false;
  return block !== 'frontend_ip_configuration' || v.of?.nested?.(block, p[1], 'subnet_id') !== undefined;
}
