use leptos::prelude::*;

use crate::domain::preflight::{Check, Level};

fn mark(level: Level) -> (&'static str, &'static str) {
    match level {
        Level::Pass => ("✓", "pass"),
        Level::Warn => ("!", "warn"),
        Level::Fail => ("✗", "fail"),
        Level::Risk => ("✗", "fail"),
        Level::Pending => ("…", "pending"),
    }
}

fn word(level: Level) -> &'static str {
    match level {
        Level::Pass => "Pass",
        Level::Warn => "Warning",
        Level::Fail => "Fail",
        Level::Risk => "Would fail",
        Level::Pending => "Checking",
    }
}

/// Pre-flight lines, each with pass/warn/fail and why.
#[component]
pub fn PreflightList(#[prop(into)] checks: Signal<Vec<Check>>) -> impl IntoView {
    view! {
        <ul class="preflight" aria-live="polite">
            {move || checks.get().into_iter().map(|c| {
                let (symbol, class) = mark(c.level);
                view! {
                    <li class=format!("check check-{class}")>
                        <span class="check-mark" aria-hidden="true">{symbol}</span>
                        <span class="check-title">{c.title}</span>
                        <span class="visually-hidden">{format!(": {}. ", word(c.level))}</span>
                        <span class="check-detail">{c.detail}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
