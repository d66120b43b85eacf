//! What a destructive action does to a pool's runs, in numbers, for its confirm dialog (issue 20).
//! The emulator and the service fail a deleted pool's queued runs; what happens to a run already on
//! an instance that goes away is the service's to say, so the words only say it may be cut short.

fn runs(n: u32, what: &str) -> String {
    format!("{n} {what} run{}", if n == 1 { "" } else { "s" })
}

/// `runs`: (queued, running), or `None` while the queue has not been read.
pub fn delete(runs_now: Option<(u32, u32)>) -> String {
    match runs_now {
        None => "The pool's queue is still being read: runs queued for it when it goes will fail.".into(),
        Some((0, 0)) => "No run is queued or running on this pool: nothing else is affected.".into(),
        Some((q, r)) => {
            let mut parts = Vec::new();
            if q > 0 {
                parts.push(format!("{} will fail without starting", runs(q, "queued")));
            }
            if r > 0 {
                parts.push(format!("{} may be cut short", runs(r, "running")));
            }
            format!("{}.", capital(&parts.join("; ")))
        }
    }
}

/// Pausing scales to 0: queued runs wait for the resume.
pub fn pause(runs_now: Option<(u32, u32)>, count: i32) -> String {
    let instances = format!("{count} instance{}", if count == 1 { "" } else { "s" });
    match runs_now {
        None => format!("Scales the pool from {instances} to 0. Runs sent to it wait until it is resumed."),
        Some((0, 0)) => format!("Scales the pool from {instances} to 0. No run is queued or running now; runs sent to it later wait until it is resumed."),
        Some((q, r)) => {
            let mut parts = vec![format!("Scales the pool from {instances} to 0.")];
            if q > 0 {
                parts.push(format!("{} will wait until it is resumed.", capital(&runs(q, "queued"))));
            }
            if r > 0 {
                parts.push(format!("{} may be cut short when {} instance{} go{}.", capital(&runs(r, "running")), if r == 1 { "its" } else { "their" }, if r == 1 { "" } else { "s" }, if r == 1 { "es" } else { "" }));
            }
            parts.join(" ")
        }
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delete_says_what_happens_to_each_run_in_numbers() {
        assert_eq!(delete(Some((2, 1))), "2 queued runs will fail without starting; 1 running run may be cut short.");
        assert_eq!(delete(Some((1, 0))), "1 queued run will fail without starting.");
        assert_eq!(delete(Some((0, 3))), "3 running runs may be cut short.");
        assert!(delete(Some((0, 0))).starts_with("No run"));
        assert!(delete(None).contains("still being read"));
    }

    #[test]
    fn a_pause_says_the_queue_waits() {
        assert_eq!(pause(Some((2, 1)), 2), "Scales the pool from 2 instances to 0. 2 queued runs will wait until it is resumed. 1 running run may be cut short when its instance goes.");
        assert_eq!(pause(Some((0, 2)), 1), "Scales the pool from 1 instance to 0. 2 running runs may be cut short when their instances go.");
        assert!(pause(Some((0, 0)), 3).contains("No run is queued or running now"));
    }
}
