//! The log a run writes: lines appear while it runs, in step with simulated time.

use crate::clock::rfc3339_ms;
use crate::store::Run;

/// ACR's logs end lines with CRLF; the Azure CLI prints a streamed log a line at a time when it
/// sees one (`_stream_utils.py`).
const EOL: &str = "\r\n";

/// The lines of a build, each with the fraction of the run's duration at which it appears.
fn script(run: &Run) -> Vec<(f64, String)> {
    let source = run.source_location.clone().unwrap_or_else(|| "(uploaded source)".into());
    let file = run.docker_file.clone().unwrap_or_else(|| "Dockerfile".into());
    let image = run.output_images.first().map(|i| format!("{}/{}:{}", i.registry, i.repository, i.tag));
    let what = if run.timer.is_some() { "run" } else { "build" };
    let mut lines = vec![
        (0.00, format!("Queued a {what} with ID: {}", run.run_id)),
        (0.00, format!("Waiting for an agent on {}...", run.agent_pool_name.as_deref().unwrap_or("the shared pool"))),
        (0.02, format!("Downloading source code from {source}...")),
        (0.10, "Finished downloading source code".into()),
        (0.15, format!("Step 1/5 : FROM node:20-alpine ({file})")),
        (0.30, "Step 2/5 : COPY . /src".into()),
        (0.45, "Step 3/5 : RUN npm ci".into()),
        (0.70, "Step 4/5 : RUN npm test".into()),
        (0.85, "Step 5/5 : CMD [\"node\", \"/src/server.js\"]".into()),
    ];
    if let Some(image) = image {
        lines.push((0.95, format!("Pushing {image}")));
    }
    lines
}

/// The log as far as the run has got at `now_ms`. Append-only, like a blob being written: what a
/// reader saw earlier is always a prefix of what it reads later (tailing by `Range` relies on it).
pub fn text(run: &Run, now_ms: u64) -> String {
    let mut out = String::new();
    let elapsed = match run.start_ms {
        Some(start) => (now_ms.min(run.finish_ms.unwrap_or(u64::MAX)).saturating_sub(start)) as f64 / run.duration_ms.max(1) as f64,
        None => -1.0,
    };
    let lines = script(run);
    // Written at queueing.
    for (_, line) in lines.iter().filter(|(at, _)| *at == 0.0) {
        out.push_str(line);
        out.push_str(EOL);
    }
    if let Some(start) = run.start_ms {
        out.push_str(&format!("{} Run {} started on {}{EOL}", rfc3339_ms(start), run.run_id, run.agent_pool_name.as_deref().unwrap_or("the shared pool")));
    }
    match (&run.script, run.start_ms) {
        // A script the emulator played: its lines as their time comes.
        (Some(played), Some(start)) => {
            let upto = now_ms.min(run.finish_ms.unwrap_or(u64::MAX)).saturating_sub(start);
            let ended = run.finish_ms.is_some_and(|f| now_ms >= f);
            for (_, line) in played.iter().filter(|(after, _)| *after <= upto || ended) {
                out.push_str(line);
                out.push_str(EOL);
            }
        }
        _ => {
            for (_, line) in lines.iter().filter(|(at, _)| *at > 0.0 && elapsed >= *at) {
                out.push_str(line);
                out.push_str(EOL);
            }
        }
    }
    if let (Some(finish), true) = (run.finish_ms, run.is_finished()) {
        if let Some(e) = &run.error_message {
            out.push_str(&format!("ERROR: {e}{EOL}"));
        }
        let outcome = match run.status.as_str() {
            "Succeeded" => "was successful".to_string(),
            "Failed" => "failed".to_string(),
            "Canceled" => "was canceled".to_string(),
            other => format!("ended with status {other}"),
        };
        out.push_str(&format!("Run ID: {} {outcome} after {}s{EOL}", run.run_id, (finish - run.start_ms.unwrap_or(finish)) / 1000));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::demo;

    #[test]
    fn the_log_grows_while_running_and_ends_with_the_outcome() {
        let mut run = demo::state(10_000_000).runs[3].clone();
        run.status = "Running".into();
        run.start_ms = Some(1_000_000);
        run.finish_ms = None;
        run.duration_ms = 100_000;
        let early = text(&run, 1_020_000);
        let later = text(&run, 1_090_000);
        assert!(later.len() > early.len() && later.starts_with(&early), "append-only: what was read stays a prefix");
        assert!(!later.contains("was successful"));
        run.status = "Succeeded".into();
        run.finish_ms = Some(1_100_000);
        let done = text(&run, 5_000_000);
        assert!(done.starts_with(&later));
        assert!(done.ends_with("was successful after 100s\r\n"), "{done}");
    }

    #[test]
    fn a_queued_run_only_says_it_waits_and_starting_only_appends() {
        let mut run = demo::state(10_000_000).runs.iter().find(|r| r.status == "Queued").unwrap().clone();
        let queued = text(&run, 10_000_000);
        assert!(queued.contains("Waiting for an agent") && !queued.contains("Step 1/5"));
        run.status = "Running".into();
        run.start_ms = Some(10_000_000);
        assert!(text(&run, 10_000_001).starts_with(&queued));
    }
}
