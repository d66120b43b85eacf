//! What the fleet knows of each registry, and when to read it again (issue 22): the rules of
//! `live::fleet`'s refresh, pure, so they are tested natively. A registry is read again soon
//! while it moves, every idle interval while its rows are on screen or it has runs waiting or
//! running, and otherwise only when Resource Graph says its pools changed.

use std::collections::BTreeMap;

use crate::arm::agent_pools::AgentPool;
use crate::arm::id::RegistryId;
use crate::arm::ArmError;
use crate::domain::fleet::PoolQueue;
use crate::domain::live::DEFAULT as SCHEDULE;

/// A registry is counted due this early: a pass that starts a moment before its time reads it.
const SLACK_MS: f64 = 500.0;

/// What one registry said.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistryState {
    pub id: RegistryId,
    /// Its pools, or why they could not be read.
    pub pools: Result<Vec<AgentPool>, ArmError>,
    /// Queued runs by pool, or why the runs could not be read (the rows then say "?"); `None`
    /// until they are first read (the rows say "…").
    pub queues: Option<Result<BTreeMap<String, PoolQueue>, ArmError>>,
    /// The service's time when read, for waits.
    pub at_ms: f64,
    /// When it was last read (browser clock, ms; never: minus infinity).
    pub read_ms: f64,
    /// When it must be read again, on screen or not: soon while it moves, after a failure, at
    /// once when Resource Graph saw its pools change; infinity otherwise (browser clock, ms).
    pub due_ms: f64,
    /// Read its own pool list next time, not only its runs: it moved, or Resource Graph says its
    /// pools changed (the list is fresher than the index).
    pub list_next: bool,
    /// Reads in a row that found nothing changed: an off-screen registry with runs waiting is
    /// read less and less often while its queue stands still.
    pub calm: u32,
}

/// An off-screen registry with runs waiting is read again after this many idle intervals (two
/// minutes), doubled for each read in a row that found nothing changed, up to `MAX_CALM_DOUBLINGS`
/// times (eight minutes). Off-screen rows are not looked at: their queues keep the totals and
/// the "Has queued runs" filter near the truth, and a row that comes on screen is read at once
/// if it is older than an idle interval (`live::fleet`). On screen, every idle interval.
const OFF_SCREEN_INTERVALS: u32 = 4;
const MAX_CALM_DOUBLINGS: u32 = 2;

/// A quiet registry off screen is read again after this many idle intervals (ten minutes).
const SWEEP_INTERVALS: u32 = 20;

/// What a registry's pools say for the fleet: not every field (Resource Graph's rows and a
/// list's differ in what they carry, systemData for one), so that reading one way and then the
/// other is no change.
fn facts(pools: &[AgentPool]) -> Vec<(String, i32, String, String, Option<String>)> {
    let mut out: Vec<_> = pools
        .iter()
        .map(|p| (p.display_name().to_ascii_lowercase(), p.count(), p.state().to_string(), p.tier().to_string(), p.properties.virtual_network_subnet_resource_id.clone()))
        .collect();
    out.sort();
    out
}

/// Two reads say the same: the same data, or the same refusal (its request id aside).
fn same<T: PartialEq>(a: &Result<T, ArmError>, b: &Result<T, ArmError>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x == y,
        (Err(x), Err(y)) => (x.status, &x.code) == (y.status, &y.code),
        _ => false,
    }
}

impl RegistryState {
    /// Known from Resource Graph only: its pools drawn, its runs not read yet.
    pub fn indexed(id: RegistryId, pools: Vec<AgentPool>, now: f64) -> Self {
        RegistryState { id, pools: Ok(pools), queues: None, at_ms: now, read_ms: f64::NEG_INFINITY, due_ms: 0.0, list_next: false, calm: 0 }
    }

    /// Runs waiting or running: its rows change soon.
    pub fn active(&self) -> bool {
        matches!(&self.queues, Some(Ok(q)) if q.values().any(|p| p.queued > 0 || p.running > 0))
    }

    /// Something moves: a pool is being created, scaled or deleted, or the registry differs from
    /// what the last read said (a count, a state, a queue). A first read has nothing to compare
    /// with: runs waiting make it active (read every idle interval), not moving.
    pub fn moving(&self, before: Option<&RegistryState>) -> bool {
        let changing = self.pools.as_ref().is_ok_and(|ps| ps.iter().any(|p| p.state().ends_with("ing")));
        let changed = match before.and_then(|b| Some((b, b.queues.as_ref()?))) {
            Some((b, queues)) => {
                let pools = match (&b.pools, &self.pools) {
                    (Ok(x), Ok(y)) => facts(x) == facts(y),
                    (x, y) => same(x, y),
                };
                !pools || !self.queues.as_ref().is_some_and(|q| same(queues, q))
            }
            None => false,
        };
        changing || changed
    }

    /// Takes a read in, against what the registry said `before`: when to read it again whatever
    /// is on screen (`due_ms`: soon while it moves; after a failure, the idle interval or what a
    /// 429 asked; otherwise never, or the idle interval where Resource Graph cannot say what
    /// changed, `every`), whether its list is read next time, and how calm it has been.
    pub fn after_read(mut self, before: Option<&RegistryState>, now: f64, every: bool) -> Self {
        let moving = self.moving(before);
        let failed: Vec<&ArmError> = [self.pools.as_ref().err(), self.queues.as_ref().and_then(|q| q.as_ref().err())].into_iter().flatten().collect();
        let asked = failed.iter().filter_map(|e| e.retry_after).max().map_or(0, |secs| secs.saturating_mul(1000));
        let wait = if moving {
            f64::from(SCHEDULE.busy_ms)
        } else if failed.is_empty() && !every {
            f64::INFINITY
        } else {
            f64::from(SCHEDULE.idle_ms)
        };
        // Never sooner than a 429 asked, moving or not.
        self.due_ms = now + wait.max(f64::from(asked));
        self.calm = match before {
            Some(b) if !moving && b.queues.is_some() => b.calm.saturating_add(1),
            _ => 0,
        };
        self.read_ms = now;
        self.list_next = moving;
        self
    }

    /// Whether a pass reads it: never read; its time has come; on screen, or without Resource
    /// Graph's pools (`indexed` false: nothing else would see a change), read an idle interval
    /// ago; off screen with runs waiting or running, read `OFF_SCREEN_INTERVALS` ago, doubled
    /// for each read in a row that found nothing changed; any other, read `SWEEP_INTERVALS` ago
    /// (runs that arrived where nothing waited: Resource Graph does not index runs).
    pub fn due(&self, seen: bool, now: f64, indexed: bool) -> bool {
        let idle = f64::from(SCHEDULE.idle_ms);
        let every = if seen || !indexed {
            idle
        } else if self.active() {
            idle * f64::from(OFF_SCREEN_INTERVALS << self.calm.min(MAX_CALM_DOUBLINGS))
        } else {
            idle * f64::from(SWEEP_INTERVALS)
        };
        let has_pools = self.pools.as_ref().is_ok_and(|p| !p.is_empty()) || !indexed;
        self.queues.is_none() || self.due_ms <= now + SLACK_MS || (has_pools && now - self.read_ms >= every - SLACK_MS)
    }
}

/// Takes Resource Graph's pools into the table: a registry first seen is drawn from them (its
/// runs still to read; none to read when it has no pool); one whose pools changed since Resource
/// Graph's last answer is redrawn and read again, its own list included. A registry Resource
/// Graph holds out of date is not redrawn from it while the index stays the same: what its
/// own list said stands.
pub fn take_indexed(m: &mut BTreeMap<String, RegistryState>, eligible: &[RegistryId], now: &BTreeMap<String, Vec<AgentPool>>, before: Option<&BTreeMap<String, Vec<AgentPool>>>, at_ms: f64) {
    let none = Vec::new();
    for id in eligible {
        let key = id.path().to_ascii_lowercase();
        let pools = now.get(&key).unwrap_or(&none);
        match m.get_mut(&key) {
            None if pools.is_empty() => {
                let mut state = RegistryState::indexed(id.clone(), Vec::new(), at_ms);
                (state.queues, state.read_ms, state.due_ms) = (Some(Ok(BTreeMap::new())), at_ms, f64::INFINITY);
                m.insert(key, state);
            }
            None => {
                m.insert(key, RegistryState::indexed(id.clone(), pools.clone(), at_ms));
            }
            Some(state) => {
                let was = before.map(|b| facts(b.get(&key).unwrap_or(&none)));
                if was.is_some_and(|was| was != facts(pools)) {
                    state.pools = Ok(pools.clone());
                    state.list_next = true;
                    state.due_ms = 0.0;
                }
            }
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: f64 = SCHEDULE.idle_ms as f64;
    const BUSY: f64 = SCHEDULE.busy_ms as f64;

    fn id(name: &str) -> RegistryId {
        RegistryId { subscription: "s".into(), resource_group: "g".into(), name: name.into() }
    }

    fn pool(name: &str, count: i32, state: &str) -> AgentPool {
        let mut p = crate::arm::agent_pools::new_pool("westus2", "S1", count, None);
        p.name = Some(name.into());
        p.properties.provisioning_state = Some(state.into());
        p
    }

    fn queues(queued: u32, running: u32) -> Option<Result<BTreeMap<String, PoolQueue>, ArmError>> {
        Some(Ok(BTreeMap::from([("a".to_string(), PoolQueue { queued, oldest_created_ms: None, running })])))
    }

    /// A registry as a read at `now` left it.
    fn read(name: &str, pools: Vec<AgentPool>, q: Option<Result<BTreeMap<String, PoolQueue>, ArmError>>, before: Option<&RegistryState>, now: f64, every: bool) -> RegistryState {
        RegistryState { queues: q, ..RegistryState::indexed(id(name), pools, now) }.after_read(before, now, every)
    }

    #[test]
    fn a_quiet_registry_off_screen_waits_ten_minutes_one_on_screen_an_idle_interval() {
        let s = read("r", vec![pool("a", 1, "Succeeded")], queues(0, 0), None, 0.0, false);
        assert!(!s.list_next && s.due_ms.is_infinite(), "nothing moves: no time of its own");
        assert!(!s.due(false, IDLE * 20.0 - 1_000.0, true), "off screen, quiet: not for ten minutes…");
        assert!(s.due(false, IDLE * 20.0, true), "…then once, for runs that came where none waited");
        assert!(s.due(false, IDLE, false), "without Resource Graph's pools: every idle interval");
        assert!(!s.due(true, IDLE - 1_000.0, true), "on screen: not before the idle interval");
        assert!(s.due(true, IDLE - 400.0, true), "on screen: at the idle interval (a pass a moment early counts)");
        // Where Resource Graph cannot say what changed (no pools in it), every idle interval.
        let s = read("r", vec![pool("a", 1, "Succeeded")], queues(0, 0), None, 0.0, true);
        assert_eq!(s.due_ms, IDLE);
    }

    #[test]
    fn runs_waiting_off_screen_are_read_less_often_while_nothing_changes_and_a_change_makes_it_busy() {
        // First read: runs waiting make it active, not moving (nothing to compare with).
        let first = read("r", vec![pool("a", 1, "Succeeded")], queues(2, 0), None, 0.0, false);
        assert!(first.active() && !first.list_next && first.due_ms.is_infinite());
        assert!(first.due(false, IDLE * 4.0, true) && !first.due(false, IDLE * 4.0 - 1_000.0, true), "off screen: two minutes at first");
        assert!(first.due(true, IDLE, true), "on screen: every idle interval");
        // The same again and again: off screen, twice as long each time, up to eight minutes.
        let mut s = first;
        for (k, wait) in [8.0, 16.0, 16.0].into_iter().enumerate() {
            let at = s.read_ms + IDLE * 100.0;
            s = read("r", vec![pool("a", 1, "Succeeded")], queues(2, 0), Some(&s), at, false);
            assert_eq!(s.calm, k as u32 + 1);
            assert!(s.due(false, at + IDLE * wait, true) && !s.due(false, at + IDLE * wait - 1_000.0, true), "after {} reads: {wait} intervals", k + 1);
            assert!(s.due(true, at + IDLE, true), "on screen: every idle interval, calm or not");
        }
        // Running now: the queue changed, so it moves (read again in seconds, its list too).
        let running = read("r", vec![pool("a", 1, "Succeeded")], queues(0, 1), Some(&s), 0.0, false);
        assert!(running.list_next && running.due_ms == BUSY && running.calm == 0);
        // A count changed, or a pool scaling: moving.
        let scaled = read("r", vec![pool("a", 2, "Succeeded")], queues(0, 1), Some(&running), 0.0, false);
        assert!(scaled.list_next);
        let scaling = read("r", vec![pool("a", 2, "Updating")], queues(0, 1), Some(&scaled), 0.0, false);
        assert!(scaling.list_next, "a state in -ing moves");
        // Quiet and off screen: only the ten-minute sweep.
        let quiet = read("q", vec![pool("a", 1, "Succeeded")], queues(0, 0), None, 0.0, false);
        assert!(!quiet.due(false, IDLE * 19.0, true));
    }

    #[test]
    fn a_placeholder_is_no_earlier_read_and_a_failure_is_tried_again_after_the_idle_interval_or_what_a_429_asked() {
        let placeholder = RegistryState::indexed(id("r"), vec![pool("a", 1, "Succeeded")], 0.0);
        assert!(placeholder.due(false, 0.0, true), "never read: due");
        let after = read("r", vec![pool("a", 1, "Succeeded")], queues(0, 0), Some(&placeholder), 0.0, false);
        assert!(!after.list_next, "compared with nothing, an idle registry does not move");
        let mut e = ArmError::unexpected(500, "boom", None);
        let failed = read("r", vec![pool("a", 1, "Succeeded")], Some(Err(e.clone())), Some(&after), 0.0, false);
        assert_eq!(failed.due_ms, BUSY, "from read to refused is a change: once more soon");
        let again = read("r", vec![pool("a", 1, "Succeeded")], Some(Err(e.clone())), Some(&failed), 0.0, false);
        assert_eq!(again.due_ms, IDLE, "refused the same way: the idle interval");
        // A 429 (a change from the 500: moving) waits what it asked all the same.
        e.status = 429;
        e.retry_after = Some(90);
        let throttled = read("r", vec![pool("a", 1, "Succeeded")], Some(Err(e)), Some(&again), 0.0, false);
        assert_eq!(throttled.due_ms, 90_000.0);
    }

    #[test]
    fn resource_graph_draws_new_registries_and_flags_changed_ones_but_does_not_undo_a_fresher_list() {
        let key = |n: &str| id(n).path().to_ascii_lowercase();
        let graph = |count: i32| BTreeMap::from([(key("has"), vec![pool("a", count, "Succeeded")])]);
        let eligible = [id("has"), id("none")];
        let mut m = BTreeMap::new();
        take_indexed(&mut m, &eligible, &graph(1), None, 0.0);
        assert_eq!((m[&key("has")].queues.is_none(), m[&key("has")].due_ms), (true, 0.0), "drawn, its runs to read");
        let none = &m[&key("none")];
        assert!(none.queues.is_some() && !none.due(false, IDLE * 100.0, true), "no pool: nothing to read…");
        assert!(none.due(false, IDLE, false), "…unless Resource Graph's pools are not used (its list, then)");
        // Its own list said 2 (fresher); Resource Graph still says 1, as before: the list stands.
        let listed = read("has", vec![pool("a", 2, "Succeeded")], queues(0, 0), None, 0.0, false);
        m.insert(key("has"), listed.clone());
        take_indexed(&mut m, &eligible, &graph(1), Some(&graph(1)), 0.0);
        assert_eq!(m[&key("has")], listed);
        // Resource Graph now says 3: redrawn, and read again at once, its list too.
        take_indexed(&mut m, &eligible, &graph(3), Some(&graph(1)), 0.0);
        let flagged = &m[&key("has")];
        assert_eq!((flagged.pools.as_ref().unwrap()[0].count(), flagged.list_next, flagged.due_ms), (3, true, 0.0));
    }
}
