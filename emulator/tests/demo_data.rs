//! The demo data as the emulator starts with it: roles, case-insensitive lookups, subnets by id,
//! and `--hostile-demo`'s strings in every shown field (its run's log included).

use pool_portal_emulator::authority::users;
use pool_portal_emulator::store::demo::{self, hostile::*};
use pool_portal_emulator::store::*;
#[test]
fn roles_come_from_assignments_and_owner_wins() {
    let state = demo::state(0);
    let sub = &state.subscriptions[0].id;
    assert_eq!(state.role_of(users::OWNER.oid, sub), Some(Role::Owner));
    assert_eq!(state.role_of(users::READER.oid, sub), Some(Role::Reader));
    assert_eq!(state.role_of(users::NO_ACCESS.oid, sub), None);
    assert!(!Role::Reader.can_write() && Role::Contributor.can_write());
}

#[test]
fn lookups_ignore_case_like_arm() {
    let state = demo::state(0);
    let r = &state.registries[0];
    let found = state.registry(&r.subscription.to_uppercase(), &r.resource_group.to_uppercase(), &r.name.to_uppercase());
    assert_eq!(found.map(|f| &f.name), Some(&r.name));
}

#[test]
fn subnets_are_found_by_id_in_any_case() {
    let state = demo::state(0);
    let vnet = &state.vnets[0];
    let id = format!("{}/subnets/{}", vnet_id(vnet), vnet.subnets[0].name).to_uppercase();
    let (v, s) = state.subnet_by_id(&id).expect("found");
    assert_eq!((v.name.as_str(), s.name.as_str()), (vnet.name.as_str(), vnet.subnets[0].name.as_str()));
    assert!(state.subnet_by_id("/subscriptions/x/resourceGroups/y").is_none());
}

#[test]
fn every_shown_field_carries_something_hostile() {
    let plain = demo::state(10_000_000);
    let s = demo::seed(10_000_000, true);
    assert!(s.events.iter().any(|e| e.context.who.name.as_deref() == Some(MARKUP) && e.error.as_ref().is_some_and(|x| x.1.contains(SCRIPT))));
    assert_eq!(s.pools.len(), plain.pools.len() + 1);
    let pool = s.pools.iter().find(|p| p.name == POOL).unwrap();
    assert!(pool.tags.iter().any(|(k, v)| k == "poolportal-paused-by" && v == MARKUP));
    assert_eq!(s.tasks.iter().find(|t| t.name == TASK).unwrap().agent_pool_name(), Some(POOL));
    let run = s.runs.last().unwrap();
    assert_eq!(run.agent_pool_name.as_deref(), Some(POOL));
    let log = pool_portal_emulator::sim::logs::text(run, 20_000_000);
    for part in [JS_URL, MARKUP, SCRIPT, "\u{1b}[31m"] {
        assert!(log.contains(part), "the log holds {part:?}");
    }
    assert_eq!(format!("ca{}", s.run_counter), run.run_id, "run ids stay unique");
}
