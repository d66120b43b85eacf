//! `{pool}/schedule`: the pool's weekly schedule (issue 21), run in Azure by ACR timer tasks
//! under managed identities, with no server of ours. What each rule does in the schedule's zone
//! and as Azure keeps it (UTC cron), whether its identity may scale the pool yet (else the
//! command to hand an administrator, checked again on its own), the next change, a
//! daylight-saving change ahead, and what its runs did. Writers edit it below.

use leptos::prelude::*;

use crate::arm::id::{AgentPoolId, RunId};
use crate::arm::{agent_pools, permissions};
use crate::components::cli_echo::CliEcho;
use crate::components::error_view::ArmErrorView;
use crate::components::pool_tabs::{PoolHeader, Tab};
use crate::components::read_only::ReadOnlyNotice;
use crate::components::schedule_editor::ScheduleEditor;
use crate::ctx::ctx;
use crate::domain::permissions as perms;
use crate::domain::schedule::{self, Rule, Zone};
use crate::live::schedule::{load, Loaded};
use crate::live::zone::{browser_zone, NamedZone};


/// Rules handed over in the link (`?rules=mon-fri 07:00 2;mon-fri 20:00 0&zone=…`): the
/// advisor's "Apply this schedule". Nothing is written until the user saves.
fn proposed_in_link() -> Option<(Vec<Rule>, Option<String>)> {
    schedule::proposal_from_query(&web_sys::window()?.location().search().ok()?)
}

#[component]
pub fn PoolSchedulePage(id: AgentPoolId) -> impl IntoView {
    let client = StoredValue::new_local(ctx().client);
    let version = RwSignal::new(0u32);
    let pool = crate::live::reach::arm_read(id.clone(), |c, p| async move { agent_pools::get(&c, &p).await });
    let pools = {
        let registry = id.registry.clone();
        LocalResource::new(move || {
            let (c, r) = (client.get_value(), registry.clone());
            async move { agent_pools::list(&c, &r).await }
        })
    };
    let loaded = {
        let id = id.clone();
        LocalResource::new(move || {
            version.track();
            let (c, id) = (client.get_value(), id.clone());
            async move { load(&c, &id).await }
        })
    };
    let perms_read = {
        let registry = id.registry.clone();
        LocalResource::new(move || {
            let (c, r) = (client.get_value(), registry.clone());
            async move { permissions::on_registry(&c, &r).await.ok().map(|p| (perms::allows(&p, perms::TASK_WRITE), perms::allows(&p, perms::ASSIGN_ROLES), perms::access(&p))) }
        })
    };
    let can_write = Memo::new(move |_| perms_read.get().flatten().is_some_and(|(w, _, _)| w));
    let can_assign = Memo::new(move |_| perms_read.get().flatten().is_none_or(|(_, a, _)| a));
    let may_assign = Signal::derive(move || perms_read.get().flatten().map(|(_, a, _)| a));
    let access = Signal::derive(move || perms_read.get().flatten().map(|(_, _, a)| a));
    // While an identity waits for its role, look again every 15 s (an administrator may assign it
    // elsewhere, in the portal or with the command handed over).
    let waiting = Memo::new(move |_| loaded.get().and_then(|r| r.ok()).is_some_and(|l| !l.waiting().is_empty()));
    // The save in flight, and how it failed, belong to the page: the editor is drawn again when
    // the tasks change, and a poll must neither redraw it mid-save nor let a second save start.
    let working = RwSignal::new(false);
    let failure = RwSignal::new(None::<crate::arm::ArmError>);
    let poll = send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(15_000, move || {
        if waiting.get_untracked() && !working.get_untracked() {
            version.update(|v| *v += 1);
        }
    }));
    on_cleanup(move || drop(poll));
    let missing = Memo::new(move |_| matches!(pool.get(), Some(Err(e)) if crate::pages::missing::is_missing(&e)));
    let system_data = Signal::derive(move || pool.get().and_then(|r| r.ok()).and_then(|p| p.system_data));
    let (header_id, missing_id, view_id, edit_id) = (id.clone(), id.clone(), id.clone(), StoredValue::new(id.clone()));
    let notice_registry = id.registry.name.clone();
    // The advisor's proposal is read from the link once: after a save the editor shows what
    // Azure holds, and the link no longer says otherwise (a reload would fill it in again).
    let proposed = RwSignal::new(proposed_in_link());
    let saved = Callback::new(move |_: ()| {
        if proposed.get_untracked().is_some() {
            proposed.set(None);
            crate::nav::replace_query("");
        }
        version.update(|v| *v += 1)
    });
    let tasks_key = Memo::new(move |_| loaded.get().and_then(|r| r.ok()).map(|l| l.tasks));
    // What the last save did, kept while the editor is drawn again with the tasks it wrote.
    let steps = RwSignal::new(Vec::<crate::components::schedule_editor::Step>::new());
    view! {
        <Show when=move || !missing.get() fallback=move || view! { <crate::pages::missing::MissingPool id=missing_id.clone()/> }>
            <PoolHeader id=header_id.clone() tab=Tab::Schedule system_data/>
            <ReadOnlyNotice access registry=notice_registry.clone()/>
            <section class="panel" aria-labelledby="schedule-title">
                <h2 id="schedule-title">"Schedule"</h2>
                <p class="muted small">"Runs in Azure itself: each rule is an ACR task with a timer, run as its own managed identity on the registry's shared pool. Nothing of ours has to stay up."</p>
                {
                    let view_id = view_id.clone();
                    move || match loaded.get() {
                        None => view! { <p class="muted" role="status">"Reading the schedule…"</p> }.into_any(),
                        Some(Err(error)) => view! { <ArmErrorView error reload=true/> }.into_any(),
                        Some(Ok(l)) => view! { <ScheduleView id=view_id.clone() loaded=l can_assign/> }.into_any(),
                    }
                }
            </section>
            {move || {
                // Drawn again when the tasks change (a save), not when a poll reads the same ones:
                // what the user is typing survives the checks for an administrator's assignment.
                let _ = tasks_key.get();
                let id = edit_id.get_value();
                let l = loaded.get_untracked().and_then(|r| r.ok())?;
                let p = pool.get().and_then(|r| r.ok())?;
                let others = pools.get().and_then(|r| r.ok()).map(|list| crate::domain::quota::usage(list.iter().filter(|x| !x.display_name().eq_ignore_ascii_case(&id.name)).map(|x| (x.tier(), x.count())))).unwrap_or_default();
                can_write.get().then(|| view! { <ScheduleEditor id loaded=l tier=p.tier().to_string() location=p.location.clone() current=p.count() others proposed=proposed.get_untracked() can_assign=may_assign steps working failure saved/> })
            }}
        </Show>
    }
}

#[component]
fn ScheduleView(id: AgentPoolId, loaded: Loaded, #[prop(into)] can_assign: Signal<bool>) -> impl IntoView {
    if loaded.tasks.is_empty() {
        return view! { <p class="empty">{format!("No schedule: {} keeps its count until someone scales it.", id.name)}</p> }.into_any();
    }
    let zone_name = loaded.zone().unwrap_or_else(browser_zone);
    let zone = NamedZone::new(&zone_name);
    let now = crate::components::time::service_now();
    let offset = zone.offset_min(now);
    // Only rules whose identity may scale the pool change it: one waiting for its role would fail.
    let active = |t: &&crate::arm::tasks::ScheduleTask| t.enabled && t.principal_id.as_ref().and_then(|p| loaded.allowed.get(p)).copied().flatten() == Some(true);
    let utc: Vec<Rule> = loaded.tasks.iter().filter(active).filter_map(|t| t.utc).collect();
    let left_out = loaded.tasks.len() - loaded.tasks.iter().filter(active).count();
    let next = schedule::next_change(&utc, now)
        .map(|(at, count)| format!("Next change: {} → {count} instance{} ({zone_name})", schedule::when_label(at, offset), if count == 1 { "" } else { "s" }))
        .or_else(|| Some("No rule can change the pool yet.".to_string()))
        .map(|n| if left_out > 0 { format!("{n} Rules not active are left out.") } else { n });
    let shift = schedule::dst_shift(&zone, now).map(|s| {
        let later = s.to_offset > s.from_offset;
        format!(
            "Clocks change in {zone_name} on {}: Azure keeps the rules in UTC, so from then on each fires {} {} in local time. Save the schedule again after that day to move them back.",
            schedule::date_label(s.at_ms, s.to_offset),
            crate::domain::queue::duration(u64::from((s.to_offset - s.from_offset).unsigned_abs()) * 60_000),
            if later { "later" } else { "earlier" }
        )
    });
    let scope = id.registry.path();
    let rows = loaded.tasks.iter().map(|t| {
        let state = match (&t.principal_id, t.principal_id.as_ref().and_then(|p| loaded.allowed.get(p)).copied().flatten(), t.enabled) {
            (_, _, false) => view! { <span class="state">"Disabled"</span> }.into_any(),
            (None, _, _) => view! { <span class="state state-failed">"No identity"</span> }.into_any(),
            (Some(_), Some(true), _) => view! { <span class="state state-succeeded">"Active"</span> }.into_any(),
            (Some(_), Some(false), _) => view! { <span class="state state-queued">"Waiting for an administrator"</span> }.into_any(),
            (Some(_), None, _) => view! { <span class="state">"Role unknown"</span> }.into_any(),
        };
        let last = loaded.last_run.get(&t.name).cloned().map(|r| {
            let href = RunId { registry: id.registry.clone(), run_id: r.run_id.clone() }.path();
            let failed = crate::domain::queue::is_finished(&r.status) && r.status != "Succeeded";
            view! {
                <span class:error=failed>
                    "Last run "<a href=href>{r.run_id.clone()}</a>": "{r.status.clone()}
                    {r.error.clone().filter(|_| failed).map(|e| format!(" · {e}"))}
                </span>
            }
        });
        let (days, time, count) = t.rule.map_or(("?".into(), "?".into(), "?".into()), |r| (r.days.label(), r.time(), r.count.to_string()));
        // Azure keeps UTC: after the clocks change, a rule written before fires an hour off.
        let drifted = t.rule.zip(t.cron.as_ref()).filter(|(r, c)| **c != r.cron(offset)).map(|(r, c)| {
            let fires = schedule::parse_cron(c).map(|u| Rule { days: u.days, at_min: (i32::from(u.at_min) + offset).rem_euclid(1440) as u16, count: r.count }.time()).unwrap_or_default();
            format!("Fires at {fires} {zone_name} since the clocks changed: save the schedule again to move it back to {}.", r.time())
        });
        view! {
            <tr>
                <th scope="row" data-label="Days">{days}</th>
                <td data-label="Time">{time}{drifted.map(|d| view! { <p class="notice small" role="note">{d}</p> })}</td>
                <td class="num" data-label="Instances">{count}</td>
                <td data-label="On Azure"><code>{t.cron.clone().unwrap_or_default()}</code>" UTC"<br/><span class="muted small">{t.name.clone()}</span></td>
                <td data-label="State">{state}<br/>{last}</td>
            </tr>
        }
    }).collect_view();
    let waiting: Vec<String> = loaded.waiting().iter().map(|p| crate::domain::cli::assign_tasks_contributor(p, &scope)).collect();
    let handover = (!waiting.is_empty()).then(|| {
        let command = waiting.join("\n");
        view! {
            <div class="notice handover" role="note">
                <p>{move || if can_assign.get() {
                    "An identity has no role on the registry yet, so its rule cannot scale the pool: saving the schedule again assigns it."
                } else {
                    "An identity needs Container Registry Tasks Contributor on the registry, which you may not assign. Hand this to an administrator; this page checks again on its own."
                }}</p>
                <CliEcho command=command/>
            </div>
        }
    });
    view! {
        <p class="schedule-next">{next}</p>
        {shift.map(|s| view! { <p class="notice" role="note">{s}</p> })}
        <table class="list cards" aria-label="Schedule rules">
            <thead><tr>
                <th scope="col">"Days"</th><th scope="col">{format!("Time ({zone_name})")}</th><th scope="col" class="num">"Instances"</th>
                <th scope="col">"On Azure"</th><th scope="col">"State"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {handover}
    }.into_any()
}
