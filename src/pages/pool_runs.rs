//! `{pool}/runs`: every run on a pool, newest first, a page at a time (task or image, trigger,
//! status, when it was queued, started and finished, how long it ran), and the forms that start
//! runs on the pool: a quick build and its tasks (issue 20).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::id::{AgentPoolId, RunId};
use crate::arm::runs::{self, Run};
use crate::arm::{agent_pools, permissions, ArmError};
use crate::components::error_view::ArmErrorView;
use crate::components::pool_tabs::{PoolHeader, Tab};
use crate::components::read_only::ReadOnlyNotice;
use crate::components::schedule_work::ScheduleWork;
use crate::components::time::Time;
use crate::ctx::ctx;
use crate::domain::permissions as perms;
use crate::domain::queue::{duration, is_finished};
use crate::live::reach::arm_read;

/// Runs drawn at first, and added by "Show older runs".
const SHOWN: usize = 25;

#[component]
pub fn PoolRunsPage(id: AgentPoolId) -> impl IntoView {
    let client = StoredValue::new_local(ctx().client);
    let pool = arm_read(id.clone(), |c, p| async move { agent_pools::get(&c, &p).await });
    let rows = RwSignal::new(Vec::<Run>::new());
    // Drawn 25 at a time; the next page is read when those read run out.
    let shown = RwSignal::new(SHOWN);
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ArmError>);
    let loading = RwSignal::new(true);
    // Each read of the list from its first page starts a generation: pages of an older one that
    // answer late are dropped, so a Refresh during "Show older runs" cannot mix two lists.
    let generation = StoredValue::new(0u64);
    // Reads pages until `shown` runs are there or the list ends. A run queued between two pages
    // pushes the list down one place (nextLink is a position): runs already listed are skipped.
    let fill = move |g: u64| {
        let c = client.get_value();
        spawn_local(async move {
            loop {
                let wanted = rows.try_with_untracked(Vec::len).unwrap_or(usize::MAX) < shown.try_get_untracked().unwrap_or(0);
                let link = next.try_get_untracked().flatten();
                let (true, Some(link)) = (wanted, link) else { break };
                let page = runs::next_page(&c, &link).await;
                if generation.try_get_value() != Some(g) {
                    return;
                }
                match page {
                    Ok(p) => {
                        let _ = rows.try_update(|r| {
                            let seen: std::collections::BTreeSet<String> = r.iter().map(|x| x.run_id().to_string()).collect();
                            r.extend(p.value.into_iter().filter(|x| !seen.contains(x.run_id())));
                        });
                        let _ = next.try_set(p.next_link);
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                        break;
                    }
                }
            }
            let _ = loading.try_set(false);
        });
    };
    // The first page again (after Refresh or a run was started): what was shown stays until it answers.
    let first = {
        let id = id.clone();
        move || {
            let (c, id) = (client.get_value(), id.clone());
            let g = generation.get_value() + 1;
            generation.set_value(g);
            loading.set(true);
            spawn_local(async move {
                let page = runs::first_page_for_pool(&c, &id.registry, &id.name).await;
                if generation.try_get_value() != Some(g) {
                    return;
                }
                match page {
                    Ok(p) => {
                        let _ = rows.try_set(p.value);
                        let _ = next.try_set(p.next_link);
                        let _ = error.try_set(None);
                        fill(g);
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                        let _ = loading.try_set(false);
                    }
                }
            });
        }
    };
    first();
    let more = move |_| {
        shown.update(|n| *n += SHOWN);
        loading.set(true);
        fill(generation.get_value());
    };
    let refresh = {
        let first = first.clone();
        Callback::new(move |_: ()| first())
    };
    let registry = id.registry.clone();
    let allowed = LocalResource::new(move || {
        let (c, r) = (client.get_value(), registry.clone());
        async move { permissions::on_registry(&c, &r).await.ok().map(|p| (perms::allows(&p, perms::SCHEDULE_RUN), perms::access(&p))) }
    });
    // Unknown (the read failed): the service decides, and its 403 names the permission.
    // A memo: the forms are drawn again only if the answer changes, not when it arrives the same.
    let can_run = Memo::new(move |_| allowed.get().flatten().is_none_or(|(run, _)| run));
    let access = Signal::derive(move || allowed.get().flatten().map(|(_, a)| a));
    let location = Memo::new(move |_| pool.get().and_then(|r| r.ok()).map(|p| p.location));
    let missing = Memo::new(move |_| matches!(pool.get(), Some(Err(e)) if crate::pages::missing::is_missing(&e)));
    let system_data = Signal::derive(move || pool.get().and_then(|r| r.ok()).and_then(|p| p.system_data));
    let (header_id, missing_id, table_id) = (id.clone(), id.clone(), id.clone());
    let notice_registry = id.registry.name.clone();
    let work_id = StoredValue::new(id.clone());
    view! {
        <Show when=move || !missing.get() fallback=move || view! { <crate::pages::missing::MissingPool id=missing_id.clone()/> }>
            <PoolHeader id=header_id.clone() tab=Tab::Runs system_data/>
            <ReadOnlyNotice access registry=notice_registry.clone()/>
            <section class="panel" aria-labelledby="runs-title">
                <div class="title-row">
                    <h2 id="runs-title">"Runs on this pool"</h2>
                    <button type="button" on:click=move |_| refresh.run(()) disabled=move || loading.get()>"Refresh"</button>
                </div>
                <RunsTable id=table_id.clone() rows shown/>
                {move || (rows.with(Vec::is_empty) && !loading.get() && error.get().is_none()).then(|| view! {
                    <p class="empty">"No run on this pool yet: start one below."</p>
                })}
                {move || error.get().map(|error| view! { <ArmErrorView error reload=true/> })}
                <p class="muted small" role="status">{move || {
                    let (n, on_screen) = (rows.with(Vec::len), shown.get());
                    let more = next.with(Option::is_some) || n > on_screen;
                    match (loading.get(), more) {
                        (true, _) => "Reading runs…".to_string(),
                        (false, true) => format!("The {} newest runs; there are more.", n.min(on_screen)),
                        (false, false) => format!("{n} run{} in all.", if n == 1 { "" } else { "s" }),
                    }
                }}</p>
                <Show when=move || { next.with(Option::is_some) || rows.with(Vec::len) > shown.get() }>
                    <button type="button" on:click=more disabled=move || loading.get()>"Show older runs"</button>
                </Show>
            </section>
            // Forms only for someone who may start runs: a reader has the notice above.
            {move || location.get().filter(|_| can_run.get()).map(|location| view! {
                <ScheduleWork id=work_id.get_value() location can_run on_scheduled=refresh/>
            })}
        </Show>
    }
}

#[component]
fn RunsTable(id: AgentPoolId, rows: RwSignal<Vec<Run>>, shown: RwSignal<usize>) -> impl IntoView {
    let registry = id.registry.clone();
    // Ages and the durations of runs still going move on while the page is open.
    let now = crate::components::time::ticking_now(crate::components::time::service_now());
    view! {
        <table class="list runs-table cards" aria-label="Runs" class:hidden=move || rows.with(Vec::is_empty)>
            <thead><tr>
                <th scope="col">"Run"</th><th scope="col">"Task or image"</th><th scope="col">"Trigger"</th><th scope="col">"Status"</th>
                <th scope="col">"Queued"</th><th scope="col">"Started"</th><th scope="col">"Finished"</th><th scope="col" class="num">"Duration"</th>
            </tr></thead>
            <tbody>
                <For each=move || rows.with(|r| r.iter().take(shown.get()).cloned().collect::<Vec<_>>()) key=|r| (r.run_id().to_string(), r.status().to_string()) let:r>
                    {
                        let v = r.view();
                        let href = RunId { registry: registry.clone(), run_id: v.run_id.clone() }.path();
                        let when = |ms: Option<u64>| ms.filter(|m| *m != u64::MAX).map_or_else(|| "—".into_any(), |at_ms| view! { <Time at_ms now/> }.into_any());
                        let (start, finish, done) = (v.start_ms, v.finish_ms, is_finished(&v.status));
                        let ran = move || match (start.map(|s| duration(finish.unwrap_or_else(|| now.get()).saturating_sub(s))), done) {
                            (Some(d), false) => format!("{d} so far"),
                            (Some(d), true) => d,
                            (None, _) => "—".into(),
                        };
                        view! {
                            <tr>
                                <th scope="row"><a href=href>{v.run_id.clone()}</a></th>
                                <td data-label="Task or image">{v.what.clone()}</td>
                                <td data-label="Trigger">{v.trigger.clone()}</td>
                                <td data-label="Status"><span class=format!("state state-{}", v.status.to_ascii_lowercase())>{v.status.clone()}</span></td>
                                <td data-label="Queued">{when(Some(v.create_ms))}</td>
                                <td data-label="Started">{when(v.start_ms)}</td>
                                <td data-label="Finished">{when(v.finish_ms)}</td>
                                <td class="num" data-label="Duration">{ran}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}
