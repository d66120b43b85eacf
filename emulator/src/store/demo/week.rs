//! The demo's last week in the Activity Log: the pools' creation, scalings, tag edits, a refused
//! scale-up and a quick build, by Olivia and by the automation service principal. Written through
//! the same steps a live request takes, and ending where the demo pools are now (build-s2 at 2,
//! nightly-s1 and vnet-s3 at 0, train-s1 at 1, no tags), so the log agrees with the pools.

use serde_json::{json, Value};

use axum::http::Method;

use crate::store::activity::{self, Context, Who};
use super::ids::{subnet_id, CONTOSO_SUB, FABRIKAM_SUB};
use crate::store::{State, SystemData, Task};
use crate::authority::users;

pub(super) const MIN: u64 = 60_000;
pub(super) const HOUR: u64 = 60 * MIN;
pub(super) const DAY: u64 = 24 * HOUR;
/// How long the demo's pool operations took.
const LRO_MS: u64 = 40_000;

pub(super) enum Outcome {
    /// Accepted with this status, then Succeeded.
    Operation(u16),
    /// Answered at once.
    Done(u16),
    /// Refused at once with this status, code and message.
    Refused(u16, &'static str, String),
}

pub(super) struct Change {
    pub(super) ago_ms: u64,
    pub(super) who: Who,
    pub(super) sub: &'static str,
    pub(super) rg: &'static str,
    pub(super) registry: &'static str,
    /// `agentPools/build-s2`, or `scheduleRun` for an action on the registry.
    pub(super) child: String,
    pub(super) method: &'static str,
    pub(super) body: Value,
    pub(super) outcome: Outcome,
}

fn pool(name: &str) -> String {
    format!("agentPools/{name}")
}

fn create(tier: &str, count: i32, location: &str) -> Value {
    json!({ "location": location, "properties": { "tier": tier, "count": count, "os": "Linux" } })
}

/// The week's changes, oldest first: the listed ones and build-s2's scheduled scaling by its
/// tasks' identities (`schedule`), with Olivia scaling it back to 2 when the schedule's last word
/// was 0 (the demo's pool runs builds now, whatever the hour).
pub(super) fn changes(tasks: &[Task], now_ms: u64) -> Vec<Change> {
    let mut all = listed();
    let scheduled = super::schedule::writes(tasks, now_ms);
    let builds = |ago_ms, who, count: i32| Change {
        ago_ms, who, sub: CONTOSO_SUB, rg: "rg-builds", registry: "contosobuilds", child: pool("build-s2"), method: "PATCH",
        body: json!({ "properties": { "count": count } }), outcome: Outcome::Operation(201),
    };
    if let Some(at) = super::schedule::override_at(now_ms).filter(|_| !scheduled.is_empty()) {
        all.push(builds(now_ms - at, Who::user(&users::OWNER), 2));
    }
    for (at, count, who) in scheduled {
        all.push(builds(now_ms - at, who, count));
    }
    all.sort_by_key(|c| std::cmp::Reverse(c.ago_ms));
    all
}

fn listed() -> Vec<Change> {
    let olivia = || Who::user(&users::OWNER);
    let robot = Who::service_principal;
    let builds = |ago_ms, who, child, method, body, outcome| Change { ago_ms, who, sub: CONTOSO_SUB, rg: "rg-builds", registry: "contosobuilds", child, method, body, outcome };
    let mut vnet = create("S3", 0, "eastus");
    vnet["properties"]["virtualNetworkSubnetResourceId"] = json!(subnet_id(CONTOSO_SUB, "rg-network", "vnet-builds", "snet-pools"));
    let quota = "Operation could not be completed as it results in exceeding approved standard vCPU quota for registry 'contosobuilds'. \
                 Current usage: 0, additional required: 24, limit: 16. To request more, open a support ticket: https://aka.ms/acr/support/create-ticket";
    vec![
        builds(6 * DAY + 20 * HOUR, robot(), pool("build-s2"), "PUT", create("S2", 1, "eastus"), Outcome::Operation(201)),
        Change { ago_ms: 6 * DAY, who: robot(), sub: FABRIKAM_SUB, rg: "rg-research", registry: "fabrikamresearch", child: pool("train-s1"), method: "PUT", body: create("S1", 1, "westus2"), outcome: Outcome::Operation(201) },
        builds(5 * DAY + 3 * HOUR, olivia(), pool("nightly-s1"), "PUT", create("S1", 1, "eastus"), Outcome::Operation(201)),
        builds(4 * DAY + 2 * HOUR, olivia(), pool("build-s2"), "PATCH", json!({ "properties": { "count": 2 } }), Outcome::Operation(201)),
        builds(3 * DAY + 5 * HOUR, olivia(), pool("vnet-s3"), "PUT", vnet, Outcome::Operation(201)),
        builds(3 * DAY, robot(), pool("build-s2"), "PATCH", json!({ "tags": { "owner": "ci-bot" } }), Outcome::Operation(201)),
        builds(2 * DAY + 4 * HOUR, olivia(), pool("build-s2"), "PATCH", json!({ "tags": {} }), Outcome::Operation(201)),
        builds(27 * HOUR, robot(), pool("nightly-s1"), "PATCH", json!({ "properties": { "count": 0 } }), Outcome::Operation(201)),
        builds(20 * HOUR, robot(), pool("build-s2"), "PATCH", json!({ "properties": { "count": 6 } }), Outcome::Refused(400, "QuotaExceeded", quota.into())),
        builds(
            50 * MIN,
            olivia(),
            "scheduleRun".into(),
            "POST",
            json!({ "type": "DockerBuildRequest", "agentPoolName": "build-s2", "dockerFilePath": "Dockerfile", "imageNames": ["web:build-1"],
                    "platform": { "os": "Linux" }, "sourceLocation": "https://github.com/Azure-Samples/acr-build-helloworld-node.git" }),
            Outcome::Done(200),
        ),
    ]
}

/// The same Context a live request to that path gets (`store::activity::context`).
fn context(c: &Change) -> Context {
    let path = format!("subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}/{}", c.sub, c.rg, c.registry, c.child);
    let segments: Vec<String> = path.split('/').map(String::from).collect();
    let method = Method::from_bytes(c.method.as_bytes()).expect("an HTTP method");
    activity::context(&method, &segments, c.who.clone(), &crate::ids::new_guid(), c.body.to_string().as_bytes()).expect("a write the log records")
}

/// Writes the week ending at `now_ms` (nothing for a clock without a week behind it).
pub fn seed(state: &mut State, now_ms: u64) {
    for c in changes(&state.tasks, now_ms).iter().filter(|c| c.ago_ms < now_ms) {
        let at = now_ms - c.ago_ms;
        let context = context(c);
        activity::started(&mut state.events, &context, at);
        match &c.outcome {
            Outcome::Operation(status) => {
                activity::answered(&mut state.events, &context, at, *status, true, None);
                activity::ended(&mut state.events, &context, at + LRO_MS, None);
            }
            Outcome::Done(status) => activity::answered(&mut state.events, &context, at, *status, false, None),
            Outcome::Refused(status, code, message) => activity::answered(&mut state.events, &context, at, *status, false, Some((code.to_string(), message.clone()))),
        }
    }
    state.events.sort_by_key(|e| e.at_ms);
    stamp_pools(state, now_ms);
}

/// Each demo pool's `systemData` from the week: created by whoever's PUT made it, last changed
/// by whoever's write last succeeded, so the pool's header and its Activity tab agree. A clock
/// too young for the week has the pools made by Olivia at that moment.
fn stamp_pools(state: &mut State, now_ms: u64) {
    let changes = changes(&state.tasks, now_ms);
    for p in &mut state.pools {
        let id = crate::store::pool_id(p);
        let mut writes = changes
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Operation(_)) && c.ago_ms < now_ms && c.sub == p.subscription && id.ends_with(&format!("/{}", c.child)));
        let Some(first) = writes.next() else {
            p.system_data = Some(SystemData::new(&Who::user(&users::OWNER), now_ms));
            continue;
        };
        let mut data = SystemData::new(&first.who, now_ms - first.ago_ms);
        for c in writes {
            data.touch(&c.who, now_ms - c.ago_ms);
        }
        p.system_data = Some(data);
    }
}
