//! Every example in Microsoft's spec for a resource the portal reads deserialises into our models
//! and serialises back to the same JSON: no field lost, renamed or invented.

use std::path::PathBuf;

use pool_portal::arm::agent_pools::{AgentPool, AgentPoolUpdateParameters};
use pool_portal::arm::pager::Page;
use pool_portal::arm::registries::Registry;
use pool_portal::arm::subscriptions::Subscription;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/azure-spec")
}

fn example(rel: &str) -> Value {
    let path = spec_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Asserts `json` survives a trip through `T`, returning the typed value.
fn round_trip<T: DeserializeOwned + Serialize>(json: &Value, what: &str) -> T {
    let typed: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{what}: {e}\n{json:#}"));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(&back, json, "{what} changed in a round trip");
    typed
}

/// Every response body of an example, with its status.
fn bodies(ex: &Value) -> Vec<(String, Value)> {
    ex["responses"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(status, r)| r.get("body").map(|b| (status.clone(), b.clone())))
        .collect()
}

#[test]
fn agent_pool_examples_round_trip() {
    let dir = "containerregistry/2019-06-01-preview/examples";
    for name in ["AgentPoolsGet", "AgentPoolsCreate", "AgentPoolsUpdate"] {
        let ex = example(&format!("{dir}/{name}.json"));
        let found = bodies(&ex);
        assert!(!found.is_empty(), "{name} has response bodies");
        for (status, body) in found {
            let pool: AgentPool = round_trip(&body, &format!("{name} {status}"));
            assert_eq!(pool.properties.os.as_deref(), Some("Linux"));
            assert!(pool.count() >= 1);
            // Every field the spec defines is typed: a misspelt one would land here instead.
            assert!(pool.extra.is_empty() && pool.properties.extra.is_empty(), "{name}: untyped {:?} {:?}", pool.extra, pool.properties.extra);
        }
    }
    let create = example(&format!("{dir}/AgentPoolsCreate.json"));
    let request: AgentPool = round_trip(&create["parameters"]["agentPool"], "AgentPoolsCreate request");
    assert_eq!((request.tier(), request.location.as_str()), ("S1", "WESTUS"));
    let update = example(&format!("{dir}/AgentPoolsUpdate.json"));
    let patch: AgentPoolUpdateParameters = round_trip(&update["parameters"]["updateParameters"], "AgentPoolsUpdate request");
    assert_eq!(patch.properties.and_then(|p| p.count), Some(1));

    let list = example(&format!("{dir}/AgentPoolsList.json"));
    for (status, body) in bodies(&list) {
        let page: Page<AgentPool> = round_trip(&body, &format!("AgentPoolsList {status}"));
        assert_eq!(page.value.len(), 1);
        assert_eq!(page.value[0].tier(), "DS3_v3", "unknown tiers are carried, not dropped");
    }
}

/// No example sets a subnet, so this body follows the spec's AgentPoolProperties definition.
#[test]
fn a_pool_in_a_subnet_reads_the_typed_subnet_field() {
    let subnet = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/n";
    let body = serde_json::json!({
        "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r/agentPools/p",
        "name": "p", "type": "Microsoft.ContainerRegistry/registries/agentPools", "location": "eastus",
        "tags": {"owner": "me"},
        "properties": {"count": 2, "tier": "S2", "os": "Linux", "virtualNetworkSubnetResourceId": subnet, "provisioningState": "Updating"}
    });
    let pool: AgentPool = round_trip(&body, "pool with subnet");
    assert_eq!(pool.properties.virtual_network_subnet_resource_id.as_deref(), Some(subnet));
    assert_eq!((pool.state(), pool.vcpu()), ("Updating", 8));
    assert!(pool.extra.is_empty() && pool.properties.extra.is_empty());
    let schema = spec_definition("AgentPoolProperties");
    for field in body["properties"].as_object().unwrap().keys() {
        assert!(schema["properties"].get(field).is_some(), "{field} is defined by the spec");
    }
}

fn spec_definition(name: &str) -> Value {
    let spec = example("containerregistry/2019-06-01-preview/containerregistry_build.json");
    spec["definitions"][name].clone()
}

#[test]
fn registry_examples_round_trip() {
    let dir = "containerregistry/2023-07-01/examples";
    for (_, body) in bodies(&example(&format!("{dir}/RegistryGet.json"))) {
        let r: Registry = round_trip(&body, "RegistryGet");
        assert_eq!(r.sku.name, "Standard");
        let anywhere = pool_portal::domain::region::Regions::BuiltIn { why: String::new() };
        assert!(r.eligibility(&anywhere).is_err(), "a Standard registry cannot host pools");
    }
    for (_, body) in bodies(&example(&format!("{dir}/RegistryList.json"))) {
        let page: Page<Registry> = round_trip(&body, "RegistryList");
        assert!(page.value[0].registry_id().is_some());
    }
}

#[test]
fn subscription_examples_round_trip() {
    for (_, body) in bodies(&example("resources/2022-12-01/examples/GetSubscriptions.json")) {
        let page: Page<Subscription> = round_trip(&body, "GetSubscriptions");
        assert_eq!(page.value.len(), 2);
        assert_eq!(page.value[1].display_name, "Example Subscription2");
    }
}

#[test]
fn network_examples_round_trip_and_feed_the_readiness_check() {
    use pool_portal::arm::network::{NetworkSecurityGroup, Subnet, VirtualNetwork};
    let dir = "network/2024-05-01/examples";
    for (_, body) in bodies(&example(&format!("{dir}/VirtualNetworkListAll.json"))) {
        let page: Page<VirtualNetwork> = round_trip(&body, "VirtualNetworkListAll");
        assert_eq!(page.value[0].properties.subnets[0].name, "test-1");
    }
    for (_, body) in bodies(&example(&format!("{dir}/SubnetGet.json"))) {
        let s: Subnet = round_trip(&body, "SubnetGet");
        assert_eq!(s.properties.address_prefix.as_deref(), Some("10.0.0.0/16"));
    }
    for (_, body) in bodies(&example(&format!("{dir}/NetworkSecurityGroupGet.json"))) {
        let nsg: NetworkSecurityGroup = round_trip(&body, "NetworkSecurityGroupGet");
        let rules = nsg.rules();
        assert!(rules.iter().any(|r| r.is_default && r.name == "DenyAllOutBound"));
        // The example's only custom rule is inbound: an agent pool gets out through the defaults.
        assert!(pool_portal::domain::nsg::evaluate(&rules).iter().all(|v| v.allowed));
    }
}

#[test]
fn run_and_task_examples_round_trip() {
    use pool_portal::arm::runs::Run;
    use pool_portal::arm::tasks::Task;
    let dir = "containerregistry/2019-06-01-preview/examples";
    for name in ["RunsGet", "RunsUpdate"] {
        for (status, body) in bodies(&example(&format!("{dir}/{name}.json"))) {
            let run: Run = round_trip(&body, &format!("{name} {status}"));
            let v = run.view();
            assert_eq!((v.run_id.as_str(), v.status.as_str()), ("0accec26-d6de-4757-8e74-d080f38eaaab", "Succeeded"));
            assert!(v.finish_ms.unwrap() > v.start_ms.unwrap() && v.start_ms.unwrap() > v.create_ms);
            assert_eq!(run.properties.output_images.as_ref().unwrap()[0].reference(), "myregistry.azurecr.io/myimage:latest");
        }
    }
    for (_, body) in bodies(&example(&format!("{dir}/RunsList.json"))) {
        let page: Page<Run> = round_trip(&body, "RunsList");
        assert_eq!(page.value[0].status(), "Succeeded");
    }
    for name in ["TasksGet", "TasksCreate", "TasksUpdate", "TasksCreate_QuickTask"] {
        for (status, body) in bodies(&example(&format!("{dir}/{name}.json"))) {
            let _: Task = round_trip(&body, &format!("{name} {status}"));
        }
    }
    for (_, body) in bodies(&example(&format!("{dir}/TasksList.json"))) {
        let page: Page<Task> = round_trip(&body, "TasksList");
        assert!(page.value[0].describe_step().starts_with("docker build"));
    }
}
