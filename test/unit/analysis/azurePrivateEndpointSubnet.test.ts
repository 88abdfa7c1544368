// A hub-spoke (the azure-hub-spoke-firewall example) whose hub also has a subnet for private endpoints (the shape
// of a Databricks spoke's private link subnet, or a lab's services subnet holding a key vault's endpoint): a private
// endpoint answers connections and opens none, so a subnet holding only such endpoints is no egress source.
import { strict as assert } from 'node:assert';
import type { AnalysisResult } from '../../../src/analysis/types';
import { hubSpokeWith, linuxVmIn } from './azureHubSpokeFixture';

const peSubnet = (extra: string) => `
resource "azurerm_subnet" "pl" {
  name                 = "snet-privatelink"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.3.0/24"]
}
resource "azurerm_private_endpoint" "blob" {
  name                = "pe-blob"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  subnet_id           = azurerm_subnet.pl.id
  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = "/subscriptions/0000/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata"
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}
resource "azurerm_private_endpoint" "dfs" {
  name                = "pe-dfs"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  subnet_id           = azurerm_subnet.pl.id
  private_service_connection {
    name                           = "dfs"
    private_connection_resource_id = "/subscriptions/0000/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata"
    subresource_names              = ["dfs"]
    is_manual_connection           = false
  }
}
${extra}`;

const vmIn = linuxVmIn('pl', 'jump');

const run = hubSpokeWith;

const hub = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'azurerm_virtual_network.hub');
const onPl = (r: AnalysisResult) =>
  r.findings.filter((f) => f.code === 'uninspected-egress' && JSON.stringify(f).includes('azurerm_subnet.pl'));

describe('an Azure subnet holding only private endpoints', function () {
  this.timeout(60000);

  it('is no egress source: no finding on it, and its VNet keeps the state of its other subnets', async () => {
    const base = hub(await run(''));
    const r = await run(peSubnet(''));
    assert.deepEqual(onPl(r), []);
    assert.equal(hub(r)?.state, base?.state, hub(r)?.reason);
    assert.ok(!(hub(r)?.reason ?? '').includes('snet-privatelink'), hub(r)?.reason);
  });

  it('a VM beside the endpoints makes it a source again', async () => {
    const r = await run(peSubnet(vmIn));
    assert.equal(onPl(r).length, 1);
    assert.equal(hub(r)?.state, 'Unprotected', hub(r)?.reason);
  });

  it('a node pool whose subnet cannot be decided (it may be this one) keeps it a source', async () => {
    const r = await run(
      peSubnet(`
variable "aks_subnet" {
  type = string
}
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = "/subscriptions/0000/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks"
  vm_size               = "Standard_D4s_v5"
  vnet_subnet_id        = var.aks_subnet
}`),
    );
    assert.equal(onPl(r).length, 1);
    assert.equal(hub(r)?.state, 'Unprotected', hub(r)?.reason);
  });

  it('a Machine Learning compute cluster, a Redis cache or a Batch pool beside the endpoints makes it a source again (review s18 R5)', async () => {
    const placed: Record<string, string> = {
      'ML compute cluster': `
resource "azurerm_machine_learning_compute_cluster" "cpu" {
  name                          = "cpu-cluster"
  location                      = local.location
  vm_priority                   = "LowPriority"
  vm_size                       = "Standard_DS2_v2"
  machine_learning_workspace_id = "/subscriptions/0000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw"
  subnet_resource_id            = azurerm_subnet.pl.id
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 2
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}`,
      'Redis cache': `
resource "azurerm_redis_cache" "cache" {
  name                = "redis-app"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  capacity            = 1
  family              = "P"
  sku_name            = "Premium"
  subnet_id           = azurerm_subnet.pl.id
}`,
      'Batch pool (dynamic block)': `
resource "azurerm_batch_pool" "pool" {
  name                = "pool"
  resource_group_name = azurerm_resource_group.net.name
  account_name        = "batchacct"
  vm_size             = "Standard_A1_v2"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  dynamic "network_configuration" {
    for_each = [azurerm_subnet.pl.id]
    content {
      subnet_id = network_configuration.value
    }
  }
}`,
    };
    for (const [what, extra] of Object.entries(placed)) {
      const r = await run(peSubnet(extra));
      assert.equal(onPl(r).length, 1, what);
      assert.equal(hub(r)?.state, 'Unprotected', `${what}: ${hub(r)?.reason}`);
    }
  });

  it('a storage account network rule or a SQL virtual network rule naming the subnet lets its traffic in and places nothing there', async () => {
    const r = await run(
      peSubnet(`
resource "azurerm_storage_account" "data" {
  name                     = "stdata"
  resource_group_name      = azurerm_resource_group.net.name
  location                 = local.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
  network_rules {
    default_action             = "Deny"
    virtual_network_subnet_ids = [azurerm_subnet.pl.id]
  }
}
resource "azurerm_mssql_virtual_network_rule" "sql" {
  name      = "sql-vnet-rule"
  server_id = "/subscriptions/0000/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql"
  subnet_id = azurerm_subnet.pl.id
}`),
    );
    assert.deepEqual(onPl(r), []);
  });
});
