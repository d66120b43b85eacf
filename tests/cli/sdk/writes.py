"""Microsoft's Python SDKs writing to the emulator, as a program of a user would: an agent pool
created, scaled and deleted (azure-mgmt-containerregistrytasks, its long-running operations
followed by azure-core's ARM poller) and an NSG rule written (azure-mgmt-network, an
Azure-AsyncOperation). Prints one JSON line per step; tests/cli/sdk.test.mjs checks each against
ARM. Arguments: ARM origin, sign-in origin."""
import json
import sys

from azure.identity import ClientSecretCredential
from azure.mgmt.containerregistrytasks import ContainerRegistryTasksMgmtClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network.models import SecurityRule

ARM, LOGIN = sys.argv[1], sys.argv[2]
SCOPE = "https://management.pool-portal.test//.default"
SUB = "1f0e2d3c-4b5a-4697-8877-665544332211"
credential = ClientSecretCredential(
    tenant_id="8b1d5c3e-4f6a-4d2b-9c7e-2a1f0e3d4c5b",
    client_id="5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
    client_secret="pool-portal-demo-secret",
    authority=LOGIN,
    disable_instance_discovery=True,
)
tasks = ContainerRegistryTasksMgmtClient(credential, SUB, base_url=ARM, credential_scopes=[SCOPE])
network = NetworkManagementClient(credential, SUB, base_url=ARM, credential_scopes=[SCOPE])


def say(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


pool = tasks.agent_pools.begin_create(
    "rg-builds", "contosobuilds", "sdk-s1",
    {"location": "eastus", "tags": {"made-by": "sdk"}, "properties": {"tier": "S1", "count": 1, "os": "Linux"}},
).result()
say("created", state=pool.provisioning_state, count=pool.count, tier=pool.tier)

pool = tasks.agent_pools.begin_update("rg-builds", "contosobuilds", "sdk-s1", {"properties": {"count": 2}}).result()
say("scaled", state=pool.provisioning_state, count=pool.count)

tasks.agent_pools.begin_delete("rg-builds", "contosobuilds", "sdk-s1").result()
say("deleted")

rule = network.security_rules.begin_create_or_update(
    "rg-network", "nsg-locked", "AllowStorageOutbound",
    SecurityRule(
        protocol="Tcp", access="Allow", direction="Outbound", priority=150,
        source_address_prefix="VirtualNetwork", source_port_range="*",
        destination_address_prefix="Storage", destination_port_range="443",
    ),
).result()
say("rule", state=rule.provisioning_state, priority=rule.priority)
