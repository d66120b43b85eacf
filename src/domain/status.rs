//! One status for a pool, the same on every page (issue 20): the registry's list, the fleet, its
//! filter and CSV, and the pool's own header. ARM's `provisioningState` says only whether the last
//! write worked ("Succeeded" for a pool paused at 0 instances with runs piling up), so the status
//! is derived from every fact the page has read: the state, the count, the queue, a pause record
//! and an operation this browser is following. `provisioningState` stays beside it as small text.

use super::pause::Paused;

/// What a page knows of a pool.
#[derive(Clone, Debug, Default)]
pub struct Facts<'a> {
    pub provisioning_state: &'a str,
    pub count: i32,
    /// Runs waiting for the pool (`None`: the runs could not be read).
    pub queued: Option<u32>,
    /// Runs on the pool now (`None`: not read).
    pub running: Option<u32>,
    pub paused: Option<&'a Paused>,
    /// An operation this browser started and is following, in words ("Scale 2 → 0").
    pub operation: Option<&'a str>,
    /// Why the last operation failed, when this browser saw it fail.
    pub failure: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Scaled to 0 on purpose, with a record of who, why and since when.
    Paused { by: String, why: String, since: String },
    /// Runs wait and no instance takes them.
    Waiting { queued: u32, instances: i32 },
    Running { running: u32, queued: u32, instances: i32 },
    Idle { instances: i32 },
    /// Being created or changed; what, when known ("scale 2 → 0", "create").
    Updating { what: Option<String> },
    Deleting,
    Failed { reason: Option<String> },
}

pub fn derive(f: &Facts) -> Status {
    let state = f.provisioning_state;
    if state.eq_ignore_ascii_case("Deleting") || f.operation.is_some_and(|o| o.starts_with("Delete")) {
        return Status::Deleting;
    }
    if let Some(op) = f.operation {
        // "Create build-s2 (S2 × 2)" says what the pool's own row already says: "create" is enough.
        let what = if op.starts_with("Create") { "create".to_string() } else { lower_first(op) };
        return Status::Updating { what: Some(what) };
    }
    if state.eq_ignore_ascii_case("Creating") {
        return Status::Updating { what: Some("create".into()) };
    }
    if state.eq_ignore_ascii_case("Updating") {
        return Status::Updating { what: None };
    }
    if state.eq_ignore_ascii_case("Failed") || state.eq_ignore_ascii_case("Canceled") {
        return Status::Failed { reason: f.failure.map(str::to_string) };
    }
    if f.count <= 0 {
        if let Some(p) = f.paused {
            return Status::Paused { by: p.by.clone(), why: p.reason.clone(), since: p.at.clone() };
        }
    }
    let queued = f.queued.unwrap_or(0);
    let running = f.running.unwrap_or(0);
    if running > 0 {
        return Status::Running { running, queued, instances: f.count.max(0) };
    }
    if queued > 0 {
        return Status::Waiting { queued, instances: f.count.max(0) };
    }
    Status::Idle { instances: f.count.max(0) }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

impl Status {
    /// The word a badge shows, and what the fleet's filter offers.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Paused { .. } => "Paused",
            Status::Waiting { .. } => "Waiting",
            Status::Running { .. } => "Running",
            Status::Idle { .. } => "Idle",
            Status::Updating { .. } => "Updating",
            Status::Deleting => "Deleting",
            Status::Failed { .. } => "Failed",
        }
    }

    /// The badge's colour class (`status-paused`, …): attention for what needs a person.
    pub fn class(&self) -> &'static str {
        match self {
            Status::Paused { .. } => "status status-paused",
            Status::Waiting { .. } => "status status-waiting",
            Status::Running { .. } => "status status-running",
            Status::Idle { .. } => "status status-idle",
            Status::Updating { .. } => "status status-updating",
            Status::Deleting => "status status-deleting",
            Status::Failed { .. } => "status status-failed",
        }
    }

    /// The label with its numbers, for a list cell: "Waiting (2 queued)", "Running (2)".
    pub fn text(&self) -> String {
        match self {
            Status::Paused { .. } | Status::Deleting | Status::Updating { what: None } | Status::Failed { .. } | Status::Idle { .. } => self.label().to_string(),
            Status::Waiting { queued, .. } => format!("Waiting ({queued} queued)"),
            Status::Running { running, .. } => format!("Running ({running})"),
            Status::Updating { what: Some(w) } => format!("Updating ({w})"),
        }
    }

    /// More, where there is room (a tooltip, the pool's status strip).
    pub fn detail(&self) -> Option<String> {
        match self {
            Status::Paused { by, why, .. } => Some(format!("Paused by {by}: {why}")),
            Status::Failed { reason: Some(r) } => Some(r.clone()),
            Status::Failed { reason: None } => Some("The last change of this pool failed. Scale it again to retry, or delete it.".into()),
            Status::Waiting { queued, instances: 0 } => Some(format!("{queued} queued and 0 instances: no run can start until the pool is scaled up.")),
            Status::Waiting { queued, instances: 1 } => Some(format!("{queued} queued: runs wait for the pool's instance to take them.")),
            Status::Waiting { queued, instances } => Some(format!("{queued} queued: runs wait for one of the {instances} instances to take them.")),
            Status::Running { running, queued: q @ 1.., instances } if i64::from(*running) >= i64::from(*instances) => {
                Some(format!("Every instance is busy; {q} more wait{}.", if *q == 1 { "s" } else { "" }))
            }
            Status::Running { queued: q @ 1.., .. } => Some(format!("{q} queued: a free instance is taking {}.", if *q == 1 { "it" } else { "them" })),
            Status::Idle { instances: 0 } => Some("0 instances: runs sent to this pool will wait.".into()),
            _ => None,
        }
    }
}

/// Every status word, in the order the fleet's filter offers them.
pub const LABELS: [&str; 7] = ["Waiting", "Failed", "Paused", "Updating", "Deleting", "Running", "Idle"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pause::Kept;

    fn paused() -> Paused {
        Paused { count: 2, by: "ana@contoso.com".into(), reason: "Holidays".into(), at: "2026-12-01T10:00:00Z".into(), kept: Kept::Registry }
    }

    fn facts(state: &str, count: i32, queued: Option<u32>, running: Option<u32>) -> Facts<'_> {
        Facts { provisioning_state: state, count, queued, running, ..Facts::default() }
    }

    #[test]
    fn a_paused_pool_is_paused_not_succeeded() {
        let p = paused();
        let f = Facts { paused: Some(&p), ..facts("Succeeded", 0, Some(0), Some(0)) };
        assert_eq!(derive(&f), Status::Paused { by: "ana@contoso.com".into(), why: "Holidays".into(), since: "2026-12-01T10:00:00Z".into() });
        assert_eq!(derive(&f).label(), "Paused");
        // Runs queued at a paused pool: still paused (on purpose), the queue shows beside it.
        let f = Facts { paused: Some(&p), ..facts("Succeeded", 0, Some(3), None) };
        assert_eq!(derive(&f).label(), "Paused");
        // A record beside a pool that has instances again (resumed elsewhere) is not a pause.
        let f = Facts { paused: Some(&p), ..facts("Succeeded", 2, Some(0), Some(0)) };
        assert_eq!(derive(&f), Status::Idle { instances: 2 });
    }

    #[test]
    fn runs_waiting_at_zero_instances_are_waiting() {
        let s = derive(&facts("Succeeded", 0, Some(2), Some(0)));
        assert_eq!(s, Status::Waiting { queued: 2, instances: 0 });
        assert_eq!(s.text(), "Waiting (2 queued)");
        assert_eq!(s.detail().as_deref(), Some("2 queued and 0 instances: no run can start until the pool is scaled up."));
        // Queued with instances but nothing running yet (instances starting).
        assert_eq!(derive(&facts("Succeeded", 1, Some(1), None)).detail().as_deref(), Some("1 queued: runs wait for the pool's instance to take them."));
    }

    #[test]
    fn running_counts_runs_and_says_the_queue_behind_them() {
        assert_eq!(derive(&facts("Succeeded", 2, Some(0), Some(2))).text(), "Running (2)");
        let busy = derive(&facts("Succeeded", 2, Some(3), Some(2)));
        assert_eq!(busy.text(), "Running (2)");
        assert_eq!(busy.detail().as_deref(), Some("Every instance is busy; 3 more wait."));
        // An instance still free (a run queued a moment ago): not "every instance is busy".
        assert_eq!(derive(&facts("Succeeded", 3, Some(1), Some(2))).detail().as_deref(), Some("1 queued: a free instance is taking it."));
    }

    #[test]
    fn idle_whatever_is_unknown() {
        assert_eq!(derive(&facts("Succeeded", 3, Some(0), Some(0))), Status::Idle { instances: 3 });
        assert_eq!(derive(&facts("Succeeded", 3, None, None)), Status::Idle { instances: 3 });
        assert!(derive(&facts("Succeeded", 0, None, None)).detail().unwrap().contains("will wait"));
    }

    #[test]
    fn transitions_win_over_what_the_pool_holds() {
        let p = paused();
        // A resume on a paused pool with runs waiting: Updating, and says which change.
        let f = Facts { paused: Some(&p), operation: Some("Resume to 2"), ..facts("Succeeded", 0, Some(2), Some(0)) };
        assert_eq!(derive(&f).text(), "Updating (resume to 2)");
        let f = Facts { operation: Some("Scale 2 → 0"), ..facts("Updating", 2, Some(0), Some(1)) };
        assert_eq!(derive(&f).text(), "Updating (scale 2 → 0)");
        assert_eq!(derive(&facts("Creating", 2, None, None)).text(), "Updating (create)");
        let f = Facts { operation: Some("Create burst-s2 (S2 × 2)"), ..facts("Creating", 2, None, None) };
        assert_eq!(derive(&f).text(), "Updating (create)");
        assert_eq!(derive(&facts("Updating", 2, None, None)).text(), "Updating");
        // Deleting beats everything, whether ARM or this browser says it.
        assert_eq!(derive(&facts("Deleting", 2, Some(4), Some(2))), Status::Deleting);
        let f = Facts { operation: Some("Delete"), ..facts("Succeeded", 2, None, None) };
        assert_eq!(derive(&f), Status::Deleting);
    }

    #[test]
    fn failed_keeps_the_services_reason() {
        let f = Facts { failure: Some("Outbound traffic to the registry is denied."), ..facts("Failed", 2, Some(1), Some(0)) };
        assert_eq!(derive(&f), Status::Failed { reason: Some("Outbound traffic to the registry is denied.".into()) });
        assert_eq!(derive(&facts("Canceled", 0, None, None)).label(), "Failed");
        assert!(derive(&facts("Failed", 0, None, None)).detail().unwrap().contains("retry"));
        // Failed beats paused: the record cannot make a broken pool look deliberate.
        let p = paused();
        let f = Facts { paused: Some(&p), ..facts("Failed", 0, None, None) };
        assert_eq!(derive(&f).label(), "Failed");
    }

    #[test]
    fn every_status_has_a_label_in_the_filter_and_a_class() {
        let all = [
            Status::Paused { by: String::new(), why: String::new(), since: String::new() },
            Status::Waiting { queued: 1, instances: 0 },
            Status::Running { running: 1, queued: 0, instances: 1 },
            Status::Idle { instances: 1 },
            Status::Updating { what: None },
            Status::Deleting,
            Status::Failed { reason: None },
        ];
        for s in &all {
            assert!(LABELS.contains(&s.label()), "{s:?}");
            assert!(s.class().ends_with(&s.label().to_ascii_lowercase()), "{s:?}");
            assert!(s.text().starts_with(s.label()), "{s:?}");
        }
    }
}
