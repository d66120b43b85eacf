//! The live queue of a pool (SPEC F9). ARM only counts queued runs (`listQueueStatus`); which runs
//! wait, in what order, for how long, and why, come from the runs list.

/// A run as the queue view needs it (times in ms since the epoch).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunView {
    pub run_id: String,
    pub status: String,
    pub create_ms: u64,
    pub start_ms: Option<u64>,
    pub finish_ms: Option<u64>,
    /// What it builds or runs, in words: "task nightly", "hello:1", "quick build".
    pub what: String,
    /// What started it: "Manual", "Source change", "Timer", "Base image update".
    pub trigger: String,
}

/// What a run builds or runs: its task, else its first image, else what kind of run it is.
pub fn describe(task: Option<&str>, images: &[String], run_type: Option<&str>) -> String {
    if let Some(t) = task.filter(|t| !t.is_empty()) {
        return format!("task {t}");
    }
    if let Some(i) = images.first() {
        // The registry's host is the same for every image here: `web:build-2` says it.
        let short = match i.split_once('/') {
            Some((host, rest)) if host.contains('.') => rest,
            _ => i.as_str(),
        };
        return if images.len() > 1 { format!("{short} (+{})", images.len() - 1) } else { short.to_string() };
    }
    match run_type.unwrap_or("") {
        "QuickRun" | "AutoRun" => "quick run".into(),
        _ => "quick build".into(),
    }
}

/// What started a run, from which trigger it names (ARM's `sourceTrigger`, `timerTrigger`,
/// `imageUpdateTrigger`); a run with none was asked for by someone.
pub fn trigger(source: bool, timer: bool, base_image: bool) -> &'static str {
    match (source, timer, base_image) {
        (true, _, _) => "Source change",
        (_, true, _) => "Timer",
        (_, _, true) => "Base image update",
        _ => "Manual",
    }
}

/// A run on an instance now.
pub fn is_running(status: &str) -> bool {
    matches!(status, "Started" | "Running")
}

/// Runs on an instance now, of those read.
pub fn running_count(runs: &[RunView]) -> u32 {
    runs.iter().filter(|r| is_running(&r.status)).count() as u32
}

/// How long the oldest queued run has waited at `now_ms` (`None`: nothing queued with a time).
pub fn oldest_wait(runs: &[RunView], now_ms: u64) -> Option<u64> {
    let oldest = runs.iter().filter(|r| r.status == "Queued" && r.create_ms != u64::MAX).map(|r| r.create_ms).min()?;
    Some(now_ms.saturating_sub(oldest))
}

/// Terminal statuses, as the CLI lists them.
pub fn is_finished(status: &str) -> bool {
    matches!(status, "Succeeded" | "Failed" | "Canceled" | "Error" | "Timeout")
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Queue {
    /// Oldest first: position 1 runs next.
    pub queued: Vec<RunView>,
    /// Longest-running first.
    pub running: Vec<RunView>,
    /// Newest first.
    pub finished: Vec<RunView>,
}

pub fn split(runs: &[RunView], finished_to_keep: usize) -> Queue {
    let mut q = Queue::default();
    for r in runs {
        match r.status.as_str() {
            "Queued" => q.queued.push(r.clone()),
            s if is_running(s) => q.running.push(r.clone()),
            s if is_finished(s) => q.finished.push(r.clone()),
            _ => {}
        }
    }
    // Run ids count up (`ca9` before `ca10`): compare their length, then their text.
    q.queued.sort_by(|a, b| a.create_ms.cmp(&b.create_ms).then(a.run_id.len().cmp(&b.run_id.len())).then(a.run_id.cmp(&b.run_id)));
    q.running.sort_by_key(|r| r.start_ms.unwrap_or(r.create_ms));
    q.finished.sort_by(|a, b| b.finish_ms.unwrap_or(b.create_ms).cmp(&a.finish_ms.unwrap_or(a.create_ms)));
    q.finished.truncate(finished_to_keep);
    q
}

/// "3 min 5 s", "42 s", "1 h 2 min".
pub fn duration(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// What the pool is, for explaining a queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolView {
    pub count: i32,
    pub state: String,
    /// Who paused it, if it is paused.
    pub paused_by: Option<String>,
}

/// "N queued, M instances" and why runs wait, in one line.
pub fn why_waiting(queued: usize, running: usize, pool: &PoolView) -> String {
    let head = format!("{queued} queued, {} instance{}", pool.count, if pool.count == 1 { "" } else { "s" });
    if queued == 0 {
        return format!("{head}: nothing waits.");
    }
    match pool.state.as_str() {
        "Failed" => return format!("{head}: the pool is Failed, so runs cannot start. Check its subnet's outbound rules, then recreate or update it."),
        "Creating" => return format!("{head}: the pool is still being created."),
        "Updating" => return format!("{head}: the pool is Updating; runs start when it is done."),
        "Deleting" => return format!("{head}: the pool is being deleted; waiting runs will fail."),
        _ => {}
    }
    if pool.count <= 0 {
        return match &pool.paused_by {
            Some(by) => format!("{head}: paused by {by}. Resume to run them."),
            None => format!("{head}: scale up or resume to run them."),
        };
    }
    if running as i32 >= pool.count {
        return format!("{head}: every instance is busy; scale up to run more at once.");
    }
    format!("{head}: starting.")
}

/// One sample of the queue, taken at each refresh.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub at_ms: f64,
    pub depth: u32,
    /// How long the oldest queued run has waited.
    pub oldest_wait_ms: u64,
}

/// SVG polyline points for values in a `width` × `height` box (0 at the bottom).
pub fn sparkline(values: &[f64], width: f64, height: f64) -> String {
    if values.is_empty() {
        return String::new();
    }
    let max = values.iter().cloned().fold(0.0_f64, f64::max).max(1.0);
    let step = if values.len() > 1 { width / (values.len() - 1) as f64 } else { 0.0 };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", i as f64 * step, height - (v / max) * height))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keeps the last `max` samples.
pub fn push_sample(samples: &mut Vec<Sample>, s: Sample, max: usize) {
    samples.push(s);
    if samples.len() > max {
        let drop = samples.len() - max;
        samples.drain(..drop);
    }
}

/// The queue's recent past, rebuilt from the runs read (each run's queued and started times):
/// `points` samples over the `window_ms` before `now_ms`, so the sparklines start with a history
/// instead of an empty box. Only as good as the runs listed: runs older than the page read are
/// not there, which the caller's caption says.
pub fn backfill(runs: &[RunView], now_ms: u64, window_ms: u64, points: usize) -> Vec<Sample> {
    let points = points.max(2);
    let step = window_ms / (points as u64 - 1);
    (0..points)
        .map(|i| {
            let t = now_ms.saturating_sub(window_ms) + i as u64 * step;
            // Waiting at t: queued by then, not yet started (nor ended without starting).
            let waiting = runs.iter().filter(|r| r.create_ms != u64::MAX && r.create_ms <= t && r.start_ms.or(r.finish_ms).is_none_or(|s| s > t));
            let (depth, oldest) = waiting.fold((0u32, None::<u64>), |(n, o), r| (n + 1, Some(o.map_or(r.create_ms, |o| o.min(r.create_ms)))));
            Sample { at_ms: t as f64, depth, oldest_wait_ms: oldest.map_or(0, |o| t - o) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_runs_and_the_oldest_wait_are_counted_from_the_runs_read() {
        let runs = [run("a", "Running", 0, Some(5), None), run("b", "Started", 1, None, None), run("c", "Queued", 10, None, None), run("d", "Queued", 4, None, None), run("e", "Queued", u64::MAX, None, None)];
        assert_eq!(running_count(&runs), 2);
        assert_eq!(oldest_wait(&runs, 30), Some(26), "the oldest queued run with a time");
        assert_eq!(oldest_wait(&runs[..2], 30), None);
    }

    #[test]
    fn the_queues_past_is_rebuilt_from_the_runs() {
        // a: queued at 0, started at 60 s; b: queued at 30 s, still waiting at 120 s.
        let runs = [run("a", "Running", 0, Some(60_000), None), run("b", "Queued", 30_000, None, None)];
        let s = backfill(&runs, 120_000, 120_000, 5);
        assert_eq!(s.iter().map(|x| x.depth).collect::<Vec<_>>(), [1, 2, 1, 1, 1]);
        assert_eq!(s.iter().map(|x| x.oldest_wait_ms).collect::<Vec<_>>(), [0, 30_000, 30_000, 60_000, 90_000]);
        assert_eq!(s.last().unwrap().at_ms, 120_000.0);
        assert!(backfill(&[], 10, 120_000, 3).iter().all(|x| x.depth == 0), "no runs: a flat line, not an empty box");
    }

    #[test]
    fn a_run_is_named_by_its_task_or_image_and_its_trigger() {
        assert_eq!(describe(Some("nightly"), &["x:1".into()], Some("AutoBuild")), "task nightly");
        assert_eq!(describe(None, &["contosobuilds.azurecr.io/hello:1".into()], Some("QuickBuild")), "hello:1", "the registry's host is left out");
        assert_eq!(describe(None, &["team/hello:1".into()], None), "team/hello:1");
        assert_eq!(describe(None, &["a:1".into(), "b:1".into()], None), "a:1 (+1)");
        assert_eq!(describe(None, &[], Some("QuickBuild")), "quick build");
        assert_eq!(describe(Some(""), &[], Some("QuickRun")), "quick run");
        assert_eq!(trigger(false, false, false), "Manual");
        assert_eq!(trigger(true, false, false), "Source change");
        assert_eq!(trigger(false, true, false), "Timer");
        assert_eq!(trigger(false, false, true), "Base image update");
    }

    fn run(id: &str, status: &str, create: u64, start: Option<u64>, finish: Option<u64>) -> RunView {
        RunView { run_id: id.into(), status: status.into(), create_ms: create, start_ms: start, finish_ms: finish, what: String::new(), trigger: String::new() }
    }

    #[test]
    fn queued_runs_are_numbered_oldest_first() {
        let runs = vec![
            run("c3", "Queued", 300, None, None),
            run("c1", "Queued", 100, None, None),
            run("c2", "Running", 50, Some(60), None),
            run("c0", "Succeeded", 10, Some(11), Some(40)),
            run("c4", "Failed", 20, Some(21), Some(90)),
        ];
        let q = split(&runs, 5);
        assert_eq!(q.queued.iter().map(|r| r.run_id.as_str()).collect::<Vec<_>>(), vec!["c1", "c3"]);
        assert_eq!(q.running[0].run_id, "c2");
        assert_eq!(q.finished.iter().map(|r| r.run_id.as_str()).collect::<Vec<_>>(), vec!["c4", "c0"], "newest finish first");
        assert_eq!(split(&runs, 1).finished.len(), 1);
        let same_time = vec![run("ca10", "Queued", 5, None, None), run("ca9", "Queued", 5, None, None), run("x", "Queued", u64::MAX, None, None)];
        assert_eq!(split(&same_time, 0).queued.iter().map(|r| r.run_id.as_str()).collect::<Vec<_>>(), vec!["ca9", "ca10", "x"], "numbered order; unknown times last");
    }

    #[test]
    fn why_runs_wait() {
        let pool = |count, state: &str, paused: Option<&str>| PoolView { count, state: state.into(), paused_by: paused.map(String::from) };
        assert_eq!(why_waiting(3, 0, &pool(0, "Succeeded", None)), "3 queued, 0 instances: scale up or resume to run them.");
        assert_eq!(why_waiting(1, 0, &pool(0, "Succeeded", Some("Olivia"))), "1 queued, 0 instances: paused by Olivia. Resume to run them.");
        assert!(why_waiting(2, 0, &pool(2, "Updating", None)).contains("the pool is Updating"));
        assert!(why_waiting(2, 0, &pool(2, "Failed", None)).contains("the pool is Failed"));
        assert_eq!(why_waiting(4, 2, &pool(2, "Succeeded", None)), "4 queued, 2 instances: every instance is busy; scale up to run more at once.");
        assert_eq!(why_waiting(0, 1, &pool(1, "Succeeded", None)), "0 queued, 1 instance: nothing waits.");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(42_000), "42 s");
        assert_eq!(duration(185_000), "3 min 5 s");
        assert_eq!(duration(3_720_000), "1 h 2 min");
    }

    #[test]
    fn sparklines_scale_to_their_box_and_keep_a_window() {
        assert_eq!(sparkline(&[0.0, 2.0, 1.0], 100.0, 20.0), "0.0,20.0 50.0,0.0 100.0,10.0");
        assert_eq!(sparkline(&[0.0], 100.0, 20.0), "0.0,20.0");
        assert_eq!(sparkline(&[], 100.0, 20.0), "");
        let mut s = Vec::new();
        for i in 0..5 {
            push_sample(&mut s, Sample { at_ms: i as f64, depth: i, oldest_wait_ms: 0 }, 3);
        }
        assert_eq!(s.iter().map(|x| x.depth).collect::<Vec<_>>(), vec![2, 3, 4]);
    }
}
