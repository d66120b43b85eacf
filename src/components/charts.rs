//! Charts of our own, in SVG (a chart crate would cost more wasm than these few shapes). Each
//! has its numbers as a table too, behind a disclosure, for screen readers and for anyone who
//! wants the figures: the picture itself is hidden from assistive technology.

use leptos::prelude::*;

use crate::domain::insights::{grouped, Day};
use crate::domain::time::day_label;

/// Horizontal bars, one per labelled count.
#[component]
pub fn BarChart(
    /// What the bars count, for the caption and the table's header.
    title: String,
    labels: Vec<&'static str>,
    values: Vec<u32>,
    /// The column header of the labels.
    what: &'static str,
) -> impl IntoView {
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    const ROW: f64 = 20.0;
    const LABEL: f64 = 96.0;
    const BAR: f64 = 170.0;
    let height = ROW * values.len() as f64;
    let bars = labels
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (label, &v))| {
            let y = i as f64 * ROW;
            let w = (v as f64 / max * BAR).max(if v > 0 { 1.5 } else { 0.0 });
            view! {
                <text x=LABEL - 6.0 y=y + 14.0 class="chart-label" text-anchor="end">{*label}</text>
                <rect x=LABEL y=y + 4.0 width=w height=ROW - 8.0 class="chart-bar"/>
                <text x=LABEL + w + 4.0 y=y + 14.0 class="chart-value">{grouped(v as usize)}</text>
            }
        })
        .collect_view();
    let rows = labels
        .iter()
        .zip(&values)
        .map(|(label, v)| view! { <tr><th scope="row">{*label}</th><td class="num">{grouped(*v as usize)}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 320 {height}") class="chart-svg" aria-hidden="true" focusable="false">{bars}</svg>
            <details class="chart-table">
                <summary>{format!("{title} as a table")}</summary>
                <table class="list">
                    <thead><tr><th scope="col">{what}</th><th scope="col" class="num">"Runs"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// Runs queued per hour, a row per local day: darker is busier; hatched hours are outside the
/// window.
#[component]
pub fn HourStrip(days: Vec<Day>, zone: String) -> impl IntoView {
    let max = days.iter().flat_map(|d| d.hours.iter().flatten()).copied().max().unwrap_or(0).max(1);
    const CELL: f64 = 13.0;
    const LABEL: f64 = 74.0;
    let height = CELL * days.len() as f64 + 16.0;
    let level = move |n: u32| if n == 0 { 0 } else { 1 + (n * 4 - 1) / max };
    let cells = days
        .iter()
        .enumerate()
        .map(|(d, day)| {
            let y = d as f64 * CELL;
            let row = day
                .hours
                .iter()
                .enumerate()
                .map(|(h, n)| {
                    let class = match n {
                        None => "cell out".to_string(),
                        Some(n) => format!("cell l{}", level(*n)),
                    };
                    view! { <rect x=LABEL + h as f64 * CELL y=y width=CELL - 2.0 height=CELL - 2.0 class=class/> }
                })
                .collect_view();
            view! { <text x=LABEL - 6.0 y=y + 10.0 class="chart-label" text-anchor="end">{day_label(day.local_midnight_ms)}</text> {row} }
        })
        .collect_view();
    let ticks = [0usize, 6, 12, 18]
        .iter()
        .map(|&h| view! { <text x=LABEL + h as f64 * CELL y=height - 4.0 class="chart-label">{format!("{h:02}:00")}</text> })
        .collect_view();
    let header = (0..24).map(|h| view! { <th scope="col" class="num">{format!("{h:02}")}</th> }).collect_view();
    let rows = days
        .iter()
        .map(|day| {
            let cells = day.hours.iter().map(|n| view! { <td class="num">{n.map_or_else(|| "–".to_string(), |n| n.to_string())}</td> }).collect_view();
            view! { <tr><th scope="row">{day_label(day.local_midnight_ms)}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <figure class="chart strip">
            <figcaption>{format!("Runs queued per hour ({zone}); darker is busier, up to {max} in an hour")}</figcaption>
            <svg viewBox=format!("0 0 {} {height}", LABEL + 24.0 * CELL) class="chart-svg" aria-hidden="true" focusable="false">{cells}{ticks}</svg>
            <details class="chart-table">
                <summary>"Runs per hour as a table"</summary>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Runs per hour, by day and hour">
                    <table class="list compact">
                        <thead><tr><th scope="col">"Day"</th>{header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}
