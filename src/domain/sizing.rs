//! The sizing advisor (issue 12): replays a pool's recorded runs, as they arrived and for as long
//! as they ran, against other instance counts, first in first out, and says which count would
//! have kept the queue wait under a target. A replay of what happened, not a forecast.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Fewer runs than this and the advisor says there is too little history instead of guessing.
pub const MIN_RUNS: usize = 20;

/// One recorded run, as the replay sees it: when it was queued and how long it ran once started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub at_ms: u64,
    pub run_ms: u64,
}

/// Each run's queue wait with `instances` instances, in the order given (which must be by
/// arrival: the replay is first in first out). `None`: the run had not started by `end_ms`
/// ("never ran"), which is every run when there are no instances.
///
/// An event-free simulation: with first-come-first-served and identical instances, a run starts
/// on the instance that frees first, so a heap of the instances' free times is the whole state.
pub fn replay(arrivals: &[Arrival], instances: u32, end_ms: u64) -> Vec<Option<u64>> {
    debug_assert!(arrivals.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "arrivals in order");
    if instances == 0 {
        return vec![None; arrivals.len()];
    }
    let mut free_at: BinaryHeap<Reverse<u64>> = (0..instances).map(|_| Reverse(0)).collect();
    arrivals
        .iter()
        .map(|a| {
            let Reverse(free) = free_at.pop().expect("instances > 0");
            let start = free.max(a.at_ms);
            free_at.push(Reverse(start + a.run_ms));
            (start <= end_ms).then_some(start - a.at_ms)
        })
        .collect()
}

/// `replay` on an instance count that changes over time (a schedule): `instances(t)` instances at
/// time `t`, changing only at the times in `changes`. First in first out as before; a run in
/// flight when the count drops finishes on the instance it holds, and nothing starts while as
/// many run as there are instances. A constant count gives exactly `replay`'s waits.
///
/// Runs start in arrival order, so candidate start times only move forward: the runs still going
/// are a heap of end times, and each is pushed and popped once.
pub fn replay_varying(arrivals: &[Arrival], instances: &dyn Fn(u64) -> u32, changes: &[u64], end_ms: u64) -> Vec<Option<u64>> {
    debug_assert!(arrivals.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "arrivals in order");
    let mut changes = changes.to_vec();
    changes.sort_unstable();
    let mut running: BinaryHeap<Reverse<u64>> = BinaryHeap::new();
    let mut t = 0;
    let mut out = Vec::with_capacity(arrivals.len());
    for a in arrivals {
        t = t.max(a.at_ms);
        let start = loop {
            while running.peek().is_some_and(|Reverse(e)| *e <= t) {
                running.pop();
            }
            if (running.len() as u64) < u64::from(instances(t)) {
                break Some(t);
            }
            let next_change = changes.get(changes.partition_point(|&c| c <= t)).copied();
            match running.peek().map(|Reverse(e)| *e).into_iter().chain(next_change).min() {
                Some(next) if next <= end_ms => t = next,
                _ => break None,
            }
        };
        match start.filter(|&s| s <= end_ms) {
            Some(s) => {
                running.push(Reverse(s + a.run_ms));
                out.push(Some(s - a.at_ms));
            }
            None => {
                // Nothing later can start either: first in first out.
                out.resize(arrivals.len(), None);
                break;
            }
        }
    }
    out
}

/// The nearest-rank percentile (`p` in 0–100) of waits where `None` (never ran) is longer than any
/// wait. `Some(None)`: that percentile is a run that never ran; `None`: no runs at all.
pub fn percentile(sorted: &[Option<u64>], p: f64) -> Option<Option<u64>> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// Sorts waits with the runs that never ran last.
pub fn sort_waits(waits: &mut [Option<u64>]) {
    waits.sort_by_key(|w| w.map_or((1, 0), |ms| (0, ms)));
}

/// What one instance count would have done over the window.
#[derive(Clone, Debug, PartialEq)]
pub struct SizeOutcome {
    pub instances: u32,
    /// `None`: the run at that rank never ran.
    pub p50_wait_ms: Option<u64>,
    pub p95_wait_ms: Option<u64>,
    pub never_ran: usize,
    /// Paid for whether busy or not: instances × vCPU × the window's hours.
    pub vcpu_hours: f64,
}

impl SizeOutcome {
    pub fn meets(&self, target_ms: u64) -> bool {
        self.p95_wait_ms.is_some_and(|w| w <= target_ms)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Advice {
    /// Fewer than `MIN_RUNS` runs to replay.
    TooLittleHistory { runs: usize },
    Replayed {
        rows: Vec<SizeOutcome>,
        /// The smallest count whose p95 wait meets the target; `None` if none up to the quota does.
        recommended: Option<u32>,
    },
}

/// Replays `arrivals` (any order) for 0 ..= `max_instances` over the window `[start_ms, end_ms]`.
pub fn advise(arrivals: &[Arrival], max_instances: u32, vcpu_per_instance: u32, start_ms: u64, end_ms: u64, target_ms: u64) -> Advice {
    if arrivals.len() < MIN_RUNS {
        return Advice::TooLittleHistory { runs: arrivals.len() };
    }
    let mut ordered = arrivals.to_vec();
    ordered.sort_by_key(|a| a.at_ms);
    let hours = end_ms.saturating_sub(start_ms) as f64 / 3_600_000.0;
    let rows: Vec<SizeOutcome> = (0..=max_instances)
        .map(|k| {
            let mut waits = replay(&ordered, k, end_ms);
            sort_waits(&mut waits);
            SizeOutcome {
                instances: k,
                p50_wait_ms: percentile(&waits, 50.0).flatten(),
                p95_wait_ms: percentile(&waits, 95.0).flatten(),
                never_ran: waits.iter().filter(|w| w.is_none()).count(),
                vcpu_hours: k as f64 * vcpu_per_instance as f64 * hours,
            }
        })
        .collect();
    let recommended = rows.iter().find(|r| r.meets(target_ms)).map(|r| r.instances);
    Advice::Replayed { rows, recommended }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1000;

    fn arrivals(pairs: &[(u64, u64)]) -> Vec<Arrival> {
        pairs.iter().map(|&(at, run)| Arrival { at_ms: at * S, run_ms: run * S }).collect()
    }

    /// splitmix64: a tiny, well-known generator, so the streams are the same on every machine.
    struct Rng(u64);

    impl Rng {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in (0, 1].
        fn unit(&mut self) -> f64 {
            ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
        }

        fn exponential(&mut self, mean: f64) -> f64 {
            -self.unit().ln() * mean
        }
    }

    /// Erlang C: the mean queue wait of M/M/c with arrival rate `lambda` and service rate `mu`.
    fn erlang_c_mean_wait(c: u32, lambda: f64, mu: f64) -> f64 {
        let a = lambda / mu;
        let mut term = 1.0; // a^k / k!
        let mut sum = 0.0;
        for k in 0..c {
            sum += term;
            term *= a / (k + 1) as f64;
        }
        let last = term * c as f64 / (c as f64 - a);
        let p_wait = last / (sum + last);
        p_wait / (c as f64 * mu - lambda)
    }

    #[test]
    fn poisson_arrivals_and_exponential_runs_wait_as_erlang_c_says() {
        let mean_run = 60_000.0;
        for (c, seed) in [(1u32, 1u64), (2, 2), (4, 4)] {
            // 70% busy: long enough queues to measure, far enough from 100% to settle.
            let lambda = 0.7 * c as f64 / mean_run;
            let mut rng = Rng(seed);
            let mut t = 0.0;
            let stream: Vec<Arrival> = (0..1_000_000)
                .map(|_| {
                    t += rng.exponential(1.0 / lambda);
                    Arrival { at_ms: t.round() as u64, run_ms: rng.exponential(mean_run).round() as u64 }
                })
                .collect();
            let waits = replay(&stream, c, u64::MAX);
            let mean = waits.iter().map(|w| w.expect("all ran") as f64).sum::<f64>() / waits.len() as f64;
            let expected = erlang_c_mean_wait(c, lambda, 1.0 / mean_run);
            let error = (mean - expected).abs() / expected;
            eprintln!("M/M/{c} at 70%: simulated mean wait {mean:.0} ms, Erlang C {expected:.0} ms");
            assert!(error < 0.05, "c={c}: simulated {mean:.0} ms, Erlang C {expected:.0} ms ({:.1}% off)", error * 100.0);
        }
    }

    #[test]
    fn a_trace_worked_by_hand() {
        // Two instances. t=0 run 10 → A; t=1 run 5 → B (free at 6); t=2 waits for B until 6;
        // t=3 waits for A until 10; t=20 finds both free.
        let trace = arrivals(&[(0, 10), (1, 5), (2, 4), (3, 1), (20, 1)]);
        assert_eq!(replay(&trace, 2, u64::MAX), vec![Some(0), Some(0), Some(4 * S), Some(7 * S), Some(0)]);
        // One instance: each waits for all before it.
        assert_eq!(replay(&trace, 1, u64::MAX), vec![Some(0), Some(9 * S), Some(13 * S), Some(16 * S), Some(0)]);
        // A run that would start after the window ends never ran in it.
        assert_eq!(replay(&trace[..4], 1, 15 * S), vec![Some(0), Some(9 * S), Some(13 * S), None]);
    }

    #[test]
    fn no_instances_leaves_every_run_waiting() {
        let trace = arrivals(&[(0, 10), (1, 5), (2, 4)]);
        assert_eq!(replay(&trace, 0, u64::MAX), vec![None, None, None]);
        let many: Vec<Arrival> = (0..30).map(|i| Arrival { at_ms: i * S, run_ms: S }).collect();
        let Advice::Replayed { rows, .. } = advise(&many, 2, 4, 0, 3600 * S, 60 * S) else { panic!() };
        assert_eq!((rows[0].never_ran, rows[0].p50_wait_ms, rows[0].vcpu_hours), (30, None, 0.0));
    }

    #[test]
    fn another_instance_never_makes_any_run_wait_longer() {
        let mut rng = Rng(7);
        let mut t = 0.0;
        let stream: Vec<Arrival> = (0..5_000)
            .map(|_| {
                t += rng.exponential(20_000.0);
                // A long tail: mostly a minute, sometimes half an hour.
                let run = if rng.unit() < 0.05 { rng.exponential(1_800_000.0) } else { rng.exponential(60_000.0) };
                Arrival { at_ms: t as u64, run_ms: run as u64 }
            })
            .collect();
        let end = t as u64;
        let mut before = replay(&stream, 0, end);
        for k in 1..=8 {
            let now = replay(&stream, k, end);
            for (i, (b, n)) in before.iter().zip(&now).enumerate() {
                let longer = match (b, n) {
                    (_, None) => b.is_some(),
                    (None, Some(_)) => false,
                    (Some(b), Some(n)) => n > b,
                };
                assert!(!longer, "run {i} waits {n:?} with {k} instances, {b:?} with {}", k - 1);
            }
            before = now;
        }
    }

    #[test]
    fn percentiles_take_the_nearest_rank_and_count_never_ran_as_longest() {
        let mut waits = vec![Some(5), None, Some(1), Some(3)];
        sort_waits(&mut waits);
        assert_eq!(waits, vec![Some(1), Some(3), Some(5), None]);
        assert_eq!(percentile(&waits, 50.0), Some(Some(3)));
        assert_eq!(percentile(&waits, 75.0), Some(Some(5)));
        assert_eq!(percentile(&waits, 95.0), Some(None));
        assert_eq!(percentile(&waits, 0.0), Some(Some(1)));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn the_smallest_count_meeting_the_target_is_recommended() {
        // 40 runs of 3 minutes, two queued together every 2 minutes: 1.5 instances' worth of work
        // a minute. By hand: with 3 instances the second of each pair waits a minute for the run
        // queued 3 minutes earlier to end (p95 = 60 s); with 4 nobody waits; with 2 or fewer the
        // queue only grows.
        let trace: Vec<Arrival> = (0..40).map(|i| Arrival { at_ms: (i / 2) * 120 * S, run_ms: 180 * S }).collect();
        let end = 40 * 120 * S;
        let pick = |target_s: u64| match advise(&trace, 4, 2, 0, end, target_s * S) {
            Advice::Replayed { rows, recommended } => (rows, recommended),
            other => panic!("{other:?}"),
        };
        let (rows, recommended) = pick(60);
        assert_eq!(rows.iter().map(|r| r.p95_wait_ms).collect::<Vec<_>>()[3..], [Some(60 * S), Some(0)]);
        assert!(rows[2].p95_wait_ms.is_some_and(|w| w > 60 * S), "{:?}", rows[2]);
        assert_eq!(recommended, Some(3));
        assert_eq!(pick(59).1, Some(4), "a stricter target asks for more");
        // However lax the target: one instance cannot do 2 hours of work in the window's 80
        // minutes, so its p95 run never ran.
        assert_eq!(pick(100_000).1, Some(2), "a lax target asks for fewer");
        assert_eq!(rows[2].vcpu_hours, 2.0 * 2.0 * (end as f64 / 3_600_000.0));
    }

    #[test]
    fn a_constant_schedule_waits_exactly_as_the_fixed_count() {
        let mut rng = Rng(11);
        let mut t = 0.0;
        let stream: Vec<Arrival> = (0..20_000)
            .map(|_| {
                t += rng.exponential(25_000.0);
                Arrival { at_ms: t as u64, run_ms: rng.exponential(60_000.0) as u64 }
            })
            .collect();
        let end = t as u64;
        for k in 0..=4 {
            let changes = [end / 3, end / 2];
            assert_eq!(replay_varying(&stream, &|_| k, &changes, end), replay(&stream, k, end), "{k} instances");
        }
    }

    #[test]
    fn a_schedule_trace_worked_by_hand() {
        // One instance until t=10, none from 10 to 20, two from 20.
        // t=0 run 12 starts at once and finishes at 12 though the count dropped at 10;
        // t=5 run 1 waits: one runs on one instance until 10, then there are none until 20;
        // t=6 run 3 waits for 20 too and takes the second instance at once;
        // t=21 run 1: the run started at 20 ends at 21, so it starts at once.
        let instances = |t: u64| match t / S {
            0..=9 => 1,
            10..=19 => 0,
            _ => 2,
        };
        let trace = arrivals(&[(0, 12), (5, 1), (6, 3), (21, 1)]);
        let changes = [10 * S, 20 * S];
        assert_eq!(replay_varying(&trace, &instances, &changes, u64::MAX), vec![Some(0), Some(15 * S), Some(14 * S), Some(0)]);
        // A window that ends at 15: the runs waiting for 20 never ran in it, nor anything after.
        assert_eq!(replay_varying(&trace, &instances, &changes, 15 * S), vec![Some(0), None, None, None]);
    }

    #[test]
    fn too_little_history_is_said_not_guessed() {
        let few = arrivals(&[(0, 1); 19]);
        assert_eq!(advise(&few, 4, 2, 0, 3600 * S, 60 * S), Advice::TooLittleHistory { runs: 19 });
    }
}
