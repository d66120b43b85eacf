//! What the emulator answers has the shape of Microsoft's examples: every field an example has,
//! we have (recursively), with the same JSON type; and we add no field the spec does not define.

mod common;

use common::*;
use pool_portal_emulator::authority::users::OWNER;
use serde_json::Value;

fn example(rel: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/azure-spec").join(rel);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of `expected` is in `actual` with the same type; objects and first array items are
/// compared recursively. `extra_ok` lists keys (by path) the spec defines beyond the example.
fn same_shape(expected: &Value, actual: &Value, path: &str, extra_ok: &[&str], problems: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    None => problems.push(format!("missing {p}")),
                    Some(av) if !ev.is_null() && kind(ev) != kind(av) => {
                        problems.push(format!("{p} is {} in the example, {} here", kind(ev), kind(av)))
                    }
                    // `tags` is a map of free keys: its type matters, not its keys.
                    Some(_) if k == "tags" => {}
                    Some(av) => same_shape(ev, av, &p, extra_ok, problems),
                }
            }
            for k in a.keys().filter(|k| !e.contains_key(*k)) {
                let p = format!("{path}.{k}");
                if !extra_ok.contains(&p.as_str()) {
                    problems.push(format!("invented {p}"));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(ev), Some(av)) = (e.first(), a.first()) {
                same_shape(ev, av, &format!("{path}[0]"), extra_ok, problems);
            }
        }
        _ => {}
    }
}

fn assert_shape(expected: &Value, actual: &Value, extra_ok: &[&str]) {
    let mut problems = Vec::new();
    same_shape(expected, actual, "$", extra_ok, &mut problems);
    assert!(problems.is_empty(), "{problems:#?}\nexample: {expected:#}\nours: {actual:#}");
}

const REGISTRY: &str = "/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211/resourceGroups/rg-builds/providers/Microsoft.ContainerRegistry/registries/contosobuilds";

#[tokio::test]
async fn subscriptions_look_like_get_subscriptions_json() {
    let h = harness().await;
    let (status, ours) = h.get("/subscriptions?api-version=2022-12-01", &h.user_token(&OWNER)).await;
    assert_eq!(status, 200);
    let ex = example("resources/2022-12-01/examples/GetSubscriptions.json");
    assert_shape(&ex["responses"]["200"]["body"]["value"][0], &ours["value"][0], &[]);
}

#[tokio::test]
async fn registries_look_like_registry_get_and_list_json() {
    let h = harness().await;
    let t = h.user_token(&OWNER);
    // Where recorded real Azure differs from the examples, it wins (NOTES.md §9): no
    // `properties.status`, `systemData` on every registry, `networkRuleSet` only on Premium.
    let as_recorded = |mut ex: Value, sku: &str| {
        ex["properties"].as_object_mut().unwrap().remove("status");
        if sku != "Premium" {
            ex["properties"].as_object_mut().unwrap().remove("networkRuleSet");
        }
        ex
    };
    let (_, one) = h.get(&format!("{REGISTRY}?api-version=2023-07-01"), &t).await;
    let ex = example("containerregistry/2023-07-01/examples/RegistryGet.json");
    assert_shape(&as_recorded(ex["responses"]["200"]["body"].clone(), "Premium"), &one, &["$.systemData"]);
    let (_, list) = h.get(&format!("/subscriptions/{CONTOSO}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01"), &t).await;
    let ex = example("containerregistry/2023-07-01/examples/RegistryList.json");
    for reg in list["value"].as_array().unwrap() {
        let sku = reg["sku"]["name"].as_str().unwrap();
        assert_shape(&as_recorded(ex["responses"]["200"]["body"]["value"][0].clone(), sku), reg, &["$.systemData"]);
    }
}

#[tokio::test]
async fn agent_pools_look_like_agent_pools_get_and_list_json() {
    let h = harness().await;
    let t = h.user_token(&OWNER);
    // The spec defines these beyond the examples (AgentPoolProperties, Resource); real Azure adds
    // `systemData` (recordings, NOTES.md §9).
    let spec_extra = ["$.properties.virtualNetworkSubnetResourceId", "$.tags", "$.systemData"];
    let (_, list) = h.get(&format!("{REGISTRY}/agentPools?api-version=2019-06-01-preview"), &t).await;
    let ex = example("containerregistry/2019-06-01-preview/examples/AgentPoolsList.json");
    let pools = list["value"].as_array().unwrap();
    assert!(pools.iter().any(|p| p["properties"]["virtualNetworkSubnetResourceId"].is_string()), "a VNet pool is covered");
    for pool in pools {
        assert_shape(&ex["responses"]["200"]["body"]["value"][0], pool, &spec_extra);
    }
    let (_, one) = h.get(&format!("{REGISTRY}/agentPools/build-s2?api-version=2019-06-01-preview"), &t).await;
    let ex = example("containerregistry/2019-06-01-preview/examples/AgentPoolsGet.json");
    assert_shape(&ex["responses"]["200"]["body"], &one, &spec_extra);
}

#[test]
fn the_shape_check_itself_catches_missing_invented_and_retyped_fields() {
    let example = serde_json::json!({"a": 1, "b": {"c": "x"}});
    let mut problems = Vec::new();
    same_shape(&example, &serde_json::json!({"a": "1", "b": {}, "d": 0}), "$", &[], &mut problems);
    assert_eq!(problems, vec!["$.a is number in the example, string here", "missing $.b.c", "invented $.d"]);
}
