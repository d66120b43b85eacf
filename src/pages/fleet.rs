//! `/pools`: every agent pool the user can see, across subscriptions (issue 11). Found with Resource
//! Graph, read registry by registry, kept live. Filters, facets and sort are in the URL's query,
//! so the view is a link; the CSV holds the rows shown.

use leptos::prelude::*;

use crate::arm::ArmError;
use crate::components::{error_view::ArmErrorView, loading::Loading};
use crate::domain::fleet::{self, Column, Row, View};
use crate::domain::status::{derive, Facts};
use crate::domain::tier;
use crate::live::directory::use_directory;
use crate::live::fleet::{use_fleet, Fleet};

/// Rows drawn past each edge of the screen: a quick scroll meets rows already drawn.
const OVERSCAN: usize = 12;

/// A row's height (px) until one is measured: the wide table's.
const ROW_PX: f64 = 41.0;

/// Up to this many rows, all are drawn: a screenful or two costs little, and the browser's find
/// and a screen reader's browse mode reach every row.
const DRAW_ALL: usize = 120;

/// The rows of every registry read so far.
fn rows(fleet: Fleet, names: impl Fn(&str) -> Option<String>, running_ops: &[crate::ops::Operation]) -> Vec<Row> {
    let tags = fleet.tags.get();
    let schedules = fleet.schedules.get();
    let now = crate::components::time::service_now();
    fleet.registries.with(|m| {
        let mut out = Vec::new();
        let mut known: std::collections::BTreeMap<&str, Option<String>> = std::collections::BTreeMap::new();
        for state in m.values() {
            let sub = known.entry(state.id.subscription.as_str()).or_insert_with(|| names(&state.id.subscription)).clone();
            let Ok(pools) = &state.pools else { continue };
            for p in pools {
                let name = p.display_name().to_string();
                let queue = state.queues.as_ref().and_then(|q| q.as_ref().ok()).map(|q| q.get(&name.to_ascii_lowercase()).copied().unwrap_or_default());
                let path = state.id.pool(&name).path();
                let registry_tags = tags.get(&state.id.path().to_ascii_lowercase());
                let paused = crate::domain::pause::find(registry_tags, p.tags.as_ref(), &name, p.count(), p.system_data.as_ref().and_then(|s| s.last_modified_ms()));
                let operation = crate::ops::latest_for(running_ops, &path).map(|o| o.summary.as_str());
                let status = derive(&Facts {
                    provisioning_state: p.state(),
                    count: p.count(),
                    queued: queue.map(|q| q.queued),
                    running: queue.map(|q| q.running),
                    paused: paused.as_ref(),
                    operation,
                    failure: None,
                });
                let sched = schedules.as_ref().and_then(|s| s.get(&path.to_ascii_lowercase()));
                out.push(Row {
                    subscription_id: state.id.subscription.clone(),
                    subscription: sub.clone().unwrap_or_else(|| state.id.subscription.clone()),
                    registry: state.id.name.clone(),
                    pool: name.clone(),
                    path,
                    tier: p.tier().to_string(),
                    instances: p.count(),
                    vcpu: p.vcpu(),
                    status: status.label().to_string(),
                    status_text: status.text(),
                    provisioning_state: p.state().to_string(),
                    queued: queue.map(|q| q.queued),
                    unread: state.queues.is_none(),
                    oldest_wait_ms: queue.and_then(|q| q.oldest_created_ms).map(|created| (state.at_ms as u64).saturating_sub(created)),
                    schedule_rules: schedules.as_ref().map(|_| sched.map_or(0, |p| p.rules)),
                    next_change: sched.and_then(|p| crate::domain::schedule::next_change(&p.utc, now)),
                });
            }
        }
        out
    })
}

/// "Mon 7 Dec 07:00 → 2" (the next change, in the chosen zone), "None", or "?" when not known.
fn schedule_cell(r: &Row) -> String {
    match (r.schedule_rules, r.next_change) {
        (None, _) => "?".into(),
        (Some(0), _) => "None".into(),
        (Some(n), None) => format!("{n} rule{}, none active", if n == 1 { "" } else { "s" }),
        (Some(_), Some((at, count))) => {
            let offset = crate::components::time::offset_min(at, crate::components::time::use_zone().get_untracked());
            format!("{} → {count}", crate::domain::schedule::when_label(at, offset))
        }
    }
}

/// Runs waiting: "…" while the registry's runs are not read yet, "?" when they could not be.
fn queued_cell(r: &Row) -> impl IntoView {
    match (r.unread, r.queued) {
        (true, _) => view! { <span title="Not read yet"><span aria-hidden="true">"…"</span><span class="visually-hidden">"not read yet"</span></span> }.into_any(),
        (false, None) => "?".into_any(),
        (false, Some(q)) => q.to_string().into_any(),
    }
}

/// Which of `rows` rows are on screen (indices), from where the table's body is in the viewport
/// (`top`, px; the viewport `height`) and the rows' height: the table draws only those (and a
/// few past each edge), so a filter, a sort or a refresh at thousands of rows redraws a screenful.
/// Pure arithmetic: where the body is gets measured apart (`measure`), never while rows change,
/// which would force the browser to lay the page out in the middle of an update.
fn on_screen((top, height): (f64, f64), rows: usize, row_px: f64) -> std::ops::Range<usize> {
    let first = ((-top).max(0.0) / row_px).floor() as usize;
    let last = ((height - top).max(0.0) / row_px).ceil() as usize;
    first.min(rows)..last.min(rows)
}

/// Where the table's body is in the viewport, and the viewport's height: measured once a frame
/// at most, on scroll and resize, and when what stands above the table may have moved it.
fn measure(body: NodeRef<leptos::html::Tbody>, viewport: RwSignal<(f64, f64)>) {
    let Some(Some(b)) = body.try_get_untracked() else { return };
    let height = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(900.0);
    let now = (b.get_bounding_client_rect().top(), height);
    if viewport.try_with_untracked(|v| (v.0 - now.0).abs() >= 1.0 || v.1 != now.1).unwrap_or(false) {
        viewport.set(now);
    }
}

/// What stands below the filters.
#[derive(Clone, Debug, PartialEq)]
enum Shell {
    NoSubscriptions,
    Failed(ArmError),
    Kept,
    Loading,
    Table,
}

fn count_untracked(matched: Memo<(fleet::Totals, Vec<usize>)>) -> usize {
    matched.with_untracked(|(_, o)| o.len())
}

/// Saves the CSV (names of subscriptions are anyone's text: a byte-order mark says UTF-8).
fn download_csv(text: &str) {
    crate::components::download::download_text("agent-pools.csv", "text/csv;charset=utf-8", text, true);
}

#[component]
pub fn FleetPage() -> impl IntoView {
    let fleet = use_fleet();
    let directory = use_directory();
    // The view is the URL's query: links, Back and Forward change it, and so does every control
    // here (rewriting the query in place).
    let search = crate::nav::use_search();
    let view = Memo::new(move |_| View::from_query(&search.get()));
    // The rows' measured height (px), for drawing only those on screen.
    let row_px = RwSignal::new(ROW_PX);
    let tracker = expect_context::<crate::ops::tracker::Tracker>();
    // The rows kept from the last visit (`live::stored`), drawn until Resource Graph answers.
    let kept = RwSignal::new(None::<(f64, Vec<Row>)>);
    let store_key = crate::live::stored::key("fleet");
    if let Some(key) = store_key.clone() {
        leptos::task::spawn_local(async move {
            if let Some(k) = crate::live::stored::load::<Vec<Row>>(&key).await {
                kept.try_set(Some((k.at_ms, k.data)));
            }
        });
    }
    let from_kept = Memo::new(move |_| fleet.discovery.with(Option::is_none) && kept.with(Option::is_some));
    let all = Memo::new(move |_| {
        if from_kept.get() {
            kept.with(|k| k.as_ref().map(|(_, rows)| rows.clone()).unwrap_or_default())
        } else {
            rows(fleet, |id| directory.lookup(id), &tracker.running_under("/"))
        }
    });
    // Kept again at the end of each pass that read something (at most every half minute, and
    // only when the rows changed), for the next visit.
    let saved = StoredValue::new((f64::NEG_INFINITY, Vec::<Row>::new()));
    Effect::new(move |_| {
        let (Some(key), 0) = (store_key.clone(), fleet.pending.get()) else { return };
        if fleet.discovery.with_untracked(Option::is_none) || from_kept.get_untracked() {
            return;
        }
        let now = js_sys::Date::now();
        let rows = all.get_untracked();
        // Not while queues are unread (a pass cut short by a hidden tab): "…" would replace
        // what was kept.
        if rows.is_empty() || rows.iter().any(|r| r.unread) || now - saved.with_value(|s| s.0) < 30_000.0 || saved.with_value(|s| s.1 == rows) {
            return;
        }
        saved.set_value((now, rows.clone()));
        leptos::task::spawn_local(async move { crate::live::stored::save(&key, &rows).await });
    });
    // The switcher (Ctrl-K) finds the pools the fleet found.
    Effect::new(move |_| all.with(|rows| crate::components::switcher::learn_pools(rows.iter().map(|r| r.path.clone()))));
    // What the view shows: its totals, and its rows in order (indices into `all`: thousands of
    // rows are filtered and sorted without a copy).
    let matched = Memo::new(move |_| {
        let v = view.get();
        all.with(|rows| {
            let order = v.order(rows);
            let refs: Vec<&Row> = order.iter().map(|&i| &rows[i]).collect();
            (fleet::totals(&refs), order)
        })
    });
    // Where the table is on screen: looked at again on scroll, on resize, and when the rows change.
    let body = NodeRef::<leptos::html::Tbody>::new();
    // Before the body is drawn: as if it started at the top of a 900 px viewport.
    let viewport = RwSignal::new((0.0, 900.0));
    let frame_asked = StoredValue::new(false);
    let soon = move || {
        if !frame_asked.get_value() {
            frame_asked.set_value(true);
            request_animation_frame(move || {
                frame_asked.try_set_value(false);
                measure(body, viewport);
            });
        }
    };
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| soon());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| soon());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    // What stands above the table moves it without a scroll: its notes and error lines, the
    // summary; and the body itself appears.
    Effect::new(move |_| {
        body.track();
        fleet.discovery.track();
        fleet.graph_error.track();
        fleet.pending.track();
        fleet.registries.track();
        soon();
    });
    let visible = Memo::new(move |_| {
        let n = matched.with(|(_, order)| order.len());
        on_screen(viewport.get(), n, row_px.get())
    });
    // The rows drawn: those on screen and a few past each edge, each with its place in the view;
    // all of them up to `DRAW_ALL` (the browser's find then finds every one).
    let drawn = Memo::new(move |_| {
        let range = visible.get();
        matched.with(|(_, order)| {
            let range = if order.len() <= DRAW_ALL { 0..order.len() } else { range.start.saturating_sub(OVERSCAN)..(range.end + OVERSCAN).min(order.len()) };
            let rows: Vec<(usize, Row)> = all.with(|rows| order[range.clone()].iter().enumerate().map(|(k, &i)| (range.start + k, rows[i].clone())).collect());
            (range, rows)
        })
    });
    // Once drawn, the rows' real height (cards on a narrow screen are taller): the spacers that
    // stand for the rows not drawn follow it.
    Effect::new(move |_| {
        drawn.track();
        // After the browser has laid the new rows out.
        request_animation_frame(move || {
            let Some(Some(b)) = body.try_get_untracked() else { return };
            let Some((drawn_rows, hidden_rows)) = drawn.try_with_untracked(|(r, _)| (r.len(), r.start + count_untracked(matched).saturating_sub(r.end))) else { return };
            if drawn_rows == 0 {
                return;
            }
            // The spacers are as tall as the rows they stand for at the height assumed so far.
            let px = row_px.get_untracked();
            let measured = (b.get_bounding_client_rect().height() - hidden_rows as f64 * px) / drawn_rows as f64;
            if measured.is_finite() && measured > 8.0 && (measured - px).abs() > 1.0 {
                row_px.set(measured);
            }
        });
    });
    // Which registries' rows are on screen, top first: their runs are read first, and kept fresh
    // (`live::fleet`).
    Effect::new(move |_| {
        let range = visible.get();
        let seen: Vec<String> = matched.with(|(_, order)| {
            all.with(|rows| {
                let mut keys: Vec<String> = Vec::new();
                for &i in &order[range] {
                    // A pool's path is its registry's, then `/agentPools/<name>`.
                    let path = rows[i].path.to_ascii_lowercase();
                    let key = path.rfind("/agentpools/").map_or(path.clone(), |i| path[..i].to_string());
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
                keys
            })
        });
        if fleet.seen.with_untracked(|s| *s != seen) {
            fleet.seen.set(seen);
        }
    });
    let set = move |f: &dyn Fn(&mut View)| {
        let mut v = view.get_untracked();
        f(&mut v);
        crate::nav::replace_query(&v.to_query());
    };
    let errors = Memo::new(move |_| {
        fleet.registries.with(|m| {
            // Its pools, or (with its pools from Resource Graph) its runs: either way the line says
            // what failed, and its rows show what is known.
            m.values().filter_map(|s| s.pools.as_ref().err().or(s.queues.as_ref().and_then(|q| q.as_ref().err())).map(|e| (s.id.clone(), e.clone()))).collect::<Vec<(crate::arm::id::RegistryId, ArmError)>>()
        })
    });
    let live = fleet.live;

    let facet_select = move |column: Column, label: &'static str| {
        let current = move || {
            let v = view.get();
            match column {
                Column::Subscription => v.subscription,
                Column::Registry => v.registry,
                Column::Tier => v.tier,
                _ => v.state,
            }
            .unwrap_or_default()
        };
        // Subscriptions and registries can be hundreds: their choices are counted and drawn only
        // while the select is in use (focused, or pressed), not at every filter change or refresh
        // behind a closed select. Tiers and statuses are a handful: always there.
        let lazy = matches!(column, Column::Subscription | Column::Registry);
        let open = RwSignal::new(!lazy);
        // The choices and their counts (`None`: not counted, the select not in use), recomputed
        // only when they change.
        let choices = Memo::new(move |_| {
            let v = view.get();
            let mut list: Vec<(String, String, Option<usize>)> = if open.get() {
                all.with(|rows| fleet::facet(rows, &v, column)).into_iter().map(|(value, text, n)| (value, text, Some(n))).collect()
            } else {
                Vec::new()
            };
            // The chosen value is always a choice, even when no row has it (a link from
            // yesterday): the select must not claim "Any" while the filter holds.
            let chosen = current();
            if !chosen.is_empty() && !list.iter().any(|(value, _, _)| value.eq_ignore_ascii_case(&chosen)) {
                let label = if column == Column::Subscription { all.with(|rows| rows.iter().find(|r| r.subscription_id.eq_ignore_ascii_case(&chosen)).map(|r| r.subscription.clone())) } else { None };
                list.insert(0, (chosen.clone(), label.unwrap_or(chosen), open.get().then_some(0)));
            }
            list
        });
        // Each option says whether it is the chosen one: the choices arrive after the view (from
        // the URL) is known, and a select's value cannot name an option not there yet.
        // Keyed by value and count: a filter change redraws only the options whose count moved
        // (hundreds of registries would otherwise be hundreds of new elements each time).
        let options = move || {
            view! {
                <For each=move || choices.get() key=|(value, text, n)| (value.clone(), text.clone(), *n) let:choice>
                    {
                        let (value, text, n) = choice;
                        let mine = value.clone();
                        let text = match n { Some(n) => format!("{text} ({n})"), None => text };
                        view! { <option value=value prop:selected=move || mine.eq_ignore_ascii_case(&current())>{text}</option> }
                    }
                </For>
            }
        };
        let id = format!("fleet-{}", column.key());
        view! {
            <label for=id.clone()>{label}</label>
            <select id=id
                on:focus=move |_| open.set(true)
                on:pointerdown=move |_| open.set(true)
                on:blur=move |_| if lazy { open.set(false) }
                on:change=move |ev| {
                let value = event_target_value(&ev);
                let value = if value.is_empty() { None } else { Some(value) };
                set(&|v: &mut View| match column {
                    Column::Subscription => v.subscription = value.clone(),
                    Column::Registry => v.registry = value.clone(),
                    Column::Tier => v.tier = value.clone(),
                    _ => v.state = value.clone(),
                });
            }>
                <option value="" prop:selected=move || current().is_empty()>"Any"</option>
                {options}
            </select>
        }
    };

    let header = move |column: Column| {
        let sort = move || {
            let v = view.get();
            if v.sort == column { if v.ascending { "ascending" } else { "descending" } } else { "none" }
        };
        let class = if column.numeric() { "num" } else { "" };
        view! {
            <th scope="col" class=class aria-sort=sort>
                <button type="button" class="sort" on:click=move |_| set(&|v: &mut View| *v = v.sorted_by(column))>
                    {column.title()}
                    <span aria-hidden="true">{move || match sort() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}</span>
                </button>
            </th>
        }
    };

    // One table, drawn once: rows come and go by key, so a filter change, a scroll or a refresh
    // only touches the rows that differ. Only the rows on screen are drawn (and a few past each
    // edge); two spacer rows stand for the others, so the page scrolls as if all were there.
    let total = move || matched.with(|(t, _)| *t);
    let count = move || matched.with(|(_, o)| o.len());
    let spacer = move |above: bool| {
        move || {
            let (range, n) = (drawn.with(|(r, _)| r.clone()), count());
            let rows = if above { range.start } else { n.saturating_sub(range.end) };
            (rows > 0).then(|| view! {
                <tr class="spacer" aria-hidden="true" style:height=format!("{:.0}px", rows as f64 * row_px.get())><td colspan="10"></td></tr>
            })
        }
    };
    let table = move || {
        view! {
            // Said only once every registry has answered: an empty table while reading is no answer.
            <Show when=move || count() == 0 && fleet.pending.get() == 0>
                {move || if all.with(Vec::is_empty) {
                    view! { <p class="empty">"Your registries that can host agent pools have none yet: create one from a registry's page."</p> }.into_any()
                } else {
                    // The way back from a filter that leaves nothing: every filter off, the sort kept.
                    let clear = move |_| set(&|v: &mut View| *v = View { sort: v.sort, ascending: v.ascending, ..View::default() });
                    view! { <p class="empty">"No agent pool matches these filters. " <button type="button" on:click=clear>"Clear filters"</button></p> }.into_any()
                }}
            </Show>
            <table class="list fleet cards" aria-label="Agent pools in every subscription" aria-rowcount=move || count() + 2 class:hidden=move || count() == 0>
                <thead><tr aria-rowindex="1">{Column::ALL.into_iter().map(header).collect_view()}</tr></thead>
                <tbody node_ref=body>
                    {spacer(true)}
                    // Keyed by pool: a row stays the same element while its data change (a queue
                    // read, a refresh, rows coming and going above it), so focus, a screen
                    // reader's place and anything holding the row stay; its cells follow.
                    <For each=move || drawn.with(|(_, rows)| rows.iter().map(|(_, r)| r.path.clone()).collect::<Vec<_>>()) key=|path| path.clone() let:path>
                        {
                            let link = path.clone();
                            let row = Memo::new(move |_| drawn.with(|(_, rows)| rows.iter().find(|(_, x)| x.path == path).cloned()));
                            let text = move |f: fn(&Row) -> String| move || row.with(|r| r.as_ref().map(|(_, r)| f(r)).unwrap_or_default());
                            view! { <tr aria-rowindex=move || row.with(|r| r.as_ref().map(|(at, _)| at + 2))>
                                <td data-label="Subscription">{text(|r| r.subscription.clone())}</td>
                                <td data-label="Registry">{text(|r| r.registry.clone())}</td>
                                <th scope="row" data-label="Pool"><a href=link>{text(|r| r.pool.clone())}</a></th>
                                <td class="nowrap" data-label="Tier" title=text(|r| tier::describe(&r.tier).to_string())>{text(|r| r.tier.clone())}</td>
                                <td class="num" data-label="Instances">{text(|r| r.instances.to_string())}</td>
                                <td class="num" data-label="vCPU">{text(|r| r.vcpu.to_string())}</td>
                                <td data-label="Status">
                                    <span class=text(|r| format!("status status-{}", r.status.to_ascii_lowercase()))>{text(|r| r.status_text.clone())}</span>
                                    {move || row.with(|r| r.as_ref().filter(|(_, r)| !r.provisioning_state.eq_ignore_ascii_case("Succeeded")).map(|(_, r)| view! {
                                        <span class="muted small provisioning">{format!(" · provisioning {}", r.provisioning_state)}</span>
                                    }))}
                                </td>
                                <td class="num" data-label="Queued">{move || row.with(|r| r.as_ref().map(|(_, r)| queued_cell(r)))}</td>
                                <td class="num" data-label="Oldest wait">{text(|r| fleet::wait_text(r.oldest_wait_ms))}</td>
                                <td data-label="Schedule">{text(schedule_cell)}</td>
                            </tr> }
                        }
                    </For>
                    {spacer(false)}
                </tbody>
                <tfoot><tr class="totals" aria-rowindex=move || count() + 2>
                    <th scope="row" colspan="3">
                        {move || { let t = total(); format!("Total: {} pool{}", t.pools, if t.pools == 1 { "" } else { "s" }) }}
                        {move || { let n = total().unread_registries; (n > 0).then(|| view! {
                            <span class="muted small unread">{format!(" · queues of {n} registr{} not read yet", if n == 1 { "y" } else { "ies" })}</span>
                        }) }}
                    </th>
                    <td></td>
                    <td class="num" data-label="Instances">{move || total().instances}</td>
                    <td class="num" data-label="vCPU">{move || total().vcpu}</td>
                    <td></td>
                    <td class="num" data-label="Queued">{move || total().queued}</td>
                    <td></td>
                    <td></td>
                </tr></tfoot>
            </table>
        }
    };

    let summary = move || {
        let pending = fleet.pending.get();
        match fleet.discovery.get() {
            None => None,
            Some(d) if d.registries == 0 => Some(view! {
                <p class="empty">"Resource Graph finds no container registry you can read. Agent pools live in Premium registries: create one, or ask an owner of one for at least the Reader role."</p>
            }.into_any()),
            Some(d) if d.eligible == 0 => Some(view! {
                <p class="empty">{format!(
                    "None of your {} container registr{} can host agent pools: they need the Premium SKU in a region that offers them. Upgrade a registry to Premium (az acr update --sku Premium) or create one in such a region.",
                    d.registries, if d.registries == 1 { "y" } else { "ies" }
                )}</p>
            }.into_any()),
            Some(d) => Some(view! {
                {d.regions_note.clone().map(|note| view! { <p class="notice" role="note">{note}</p> })}
                {d.pools_note.clone().map(|note| view! { <p class="muted small pools-note">{note}</p> })}
                <p class="muted">
                    {format!("{} of {} container registries can host agent pools.", d.eligible, d.registries)}
                    {(pending > 0).then(|| format!(" Reading {pending} of them…"))}
                </p>
            }.into_any()),
        }
    };
    // Resource Graph's way of saying the user reads no subscription at all.
    let no_subscriptions = move || live.error.get().filter(|e| e.code == "NoValidSubscriptionsInQueryRequest");
    // What the page shows below the filters, as a memo: the table is built once and kept while
    // passes come and go (each sets the live error and the discovery again; rebuilding the table
    // each time replaced every row's element under a reader or a test).
    let shell = Memo::new(move |_| match (no_subscriptions(), live.error.get(), fleet.discovery.with(Option::is_some)) {
        (Some(_), _, _) => Shell::NoSubscriptions,
        (None, Some(error), false) => Shell::Failed(error),
        (None, _, false) if from_kept.get() => Shell::Kept,
        (None, _, false) => Shell::Loading,
        (None, _, true) => Shell::Table,
    });

    view! {
        <div class="title-row">
            <h1>"All agent pools"</h1>
            <div class="actions">
                <button type="button" on:click=move |_| {
                    let v = view.get_untracked();
                    all.with_untracked(|rows| download_csv(&fleet::csv(&v.apply(rows))));
                }>"Download CSV"</button>
            </div>
        </div>
        {summary}
        <form class="filters" role="search" aria-label="Filter agent pools" on:submit=|ev| ev.prevent_default()>
            <div>
                <label for="fleet-q">"Pool name contains"</label>
                <input id="fleet-q" type="search" spellcheck="false" prop:value=move || view.get().text
                    on:input=move |ev| { let t = event_target_value(&ev); set(&|v: &mut View| v.text = t.clone()) }/>
            </div>
            <div>{facet_select(Column::Subscription, "Subscription")}</div>
            <div>{facet_select(Column::Registry, "Registry")}</div>
            <div>{facet_select(Column::Tier, "Tier")}</div>
            <div>{facet_select(Column::State, "Status")}</div>
            <div class="checks">
                <label class="inline"><input type="checkbox" prop:checked=move || view.get().queued
                    on:change=move |ev| { let on = event_target_checked(&ev); set(&|v: &mut View| v.queued = on) }/>" Has queued runs"</label>
                <label class="inline"><input type="checkbox" prop:checked=move || view.get().scheduled
                    on:change=move |ev| { let on = event_target_checked(&ev); set(&|v: &mut View| v.scheduled = on) }/>" Has a schedule"</label>
                <label class="inline"><input type="checkbox" prop:checked=move || view.get().state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Failed"))
                    on:change=move |ev| { let on = event_target_checked(&ev); set(&|v: &mut View| v.state = on.then(|| "Failed".to_string())) }/>" Failed"</label>
            </div>
        </form>
        {move || fleet.graph_error.get().map(|e| view! {
            <p class="notice" role="status">{format!("Resource Graph could not be asked again ({}: {}); the registries found before are still read.", e.code, e.message)}</p>
        })}
        // One line per registry that could not be read, kept while it fails the same way: the
        // line (and a focused "Try again") is not redrawn at every refresh.
        <For each=move || errors.get() key=|(id, e)| (id.path(), e.status, e.code.clone()) let:failed>
            {
                let (id, error) = failed;
                let again = id.clone();
                view! {
                    <div class="registry-error" role="alert">
                        <p>
                            <strong>{format!("{}: ", id.name)}</strong>
                            <code>{error.code.clone()}</code>
                            {format!(" {}", error.message)}
                        </p>
                        <button type="button" on:click=move |_| fleet.retry(again.clone()) aria-label=format!("Read {} again", id.name)>"Try again"</button>
                    </div>
                }
            }
        </For>
        {move || match shell.get() {
            Shell::NoSubscriptions => view! {
                <p class="empty">"You have no role on any subscription in this directory, so there are no agent pools to show. Ask an owner for at least the Reader role."</p>
            }.into_any(),
            Shell::Failed(error) => view! { <ArmErrorView error reload=true/> }.into_any(),
            Shell::Kept => view! {
                <p class="muted small as-of" role="status">{move || kept.with(|k| k.as_ref().map(|(at, _)| {
                    let at = *at as u64;
                    let offset = crate::components::time::offset_min(at, crate::components::time::use_zone().get());
                    format!("As of {}, when you last looked: reading them again…", crate::domain::schedule::when_label(at, offset))
                }))}</p>
                {table()}
            }.into_any(),
            Shell::Loading => view! { <Loading what="registries (Resource Graph)"/> }.into_any(),
            Shell::Table => table().into_any(),
        }}
        <p class="muted small live-line">
            <span aria-live="polite">{move || live.updated_at.get().map(|t| format!("Updated {}{}", crate::components::time::clock_text(t as u64), if live.refreshing.get() { " · refreshing…" } else { "" }))}</span>
            " "
            <label class="inline"><input type="checkbox" prop:checked=move || !live.paused.get() on:change=move |ev| live.paused.set(!event_target_checked(&ev))/>" Live"</label>
        </p>
    }
}
