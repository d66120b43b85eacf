use leptos::prelude::*;

use crate::ctx::ctx;
use crate::arm::agent_pools::{self, AgentPool};
use crate::arm::id::{subnet_short_name, AgentPoolId};
use crate::arm::{permissions, registries};
use crate::components::activity::ActivityLink;
use crate::components::delete_pool::DeletePanel;
use crate::components::pause::PausePanel;
use crate::components::readiness::SubnetReadiness;
use crate::components::live_queue::LiveQueuePanel;
use crate::components::scale::ScalePanel;
use crate::components::scheduled_changes::ScheduledChanges;
use crate::domain::queue::PoolView;
use crate::live::queue::use_live_queue;
use crate::components::pool_tabs::{PoolHeader, Tab};
use crate::components::{error_view::ArmErrorView, loading::Loading, op_progress::OpProgress};
use crate::domain::permissions as perms;
use crate::domain::quota;
use crate::domain::tier::Tier;
use crate::domain::status::{derive, Facts, Status};
use crate::components::status::StatusBadge;
use crate::components::read_only::ReadOnlyNotice;
use crate::ops::tracker::Tracker;
use crate::ops::{Kind, OpState};
use crate::live::reach::arm_read;

/// One agent pool: what it is, a link to share (F13), and what can be done to it: scale, pause or
/// resume, delete (F6–F8), with its subnet's readiness (F10). Operations in flight show here.
#[component]
pub fn PoolPage(id: AgentPoolId) -> impl IntoView {
    let client = ctx().client;
    let tracker = expect_context::<Tracker>();
    // The pool and its siblings (for the quota) in one read: when an operation ends both are read
    // again and the pool's panels are redrawn once. Two reads would redraw them twice, and the
    // second redraw would throw away what the user began typing into the scale form after the first.
    // The registry's tags come along: a paused pool's record is one of them.
    let details = arm_read(id.clone(), |c, p| async move {
        let (pool, siblings, registry) = futures::join!(agent_pools::get(&c, &p), agent_pools::list(&c, &p.registry), registries::get(&c, &p.registry));
        pool.map(|pool| (pool, siblings.unwrap_or_default(), registry.map(|r| r.tags.unwrap_or_default())))
    });
    let registry = id.registry.clone();
    let allowed = LocalResource::new(move || {
        let (c, r) = (client.clone(), registry.clone());
        async move {
            match permissions::on_registry(&c, &r).await {
                Ok(p) => (perms::allows(&p, perms::POOL_WRITE), perms::allows(&p, perms::POOL_DELETE), Some(perms::access(&p))),
                // Unknown: let the service decide (its 403 names the permission).
                Err(_) => (true, true, None),
            }
        }
    });
    let path = id.path();
    let op = Memo::new(move |_| tracker.for_pool(&path));
    let busy = Signal::derive(move || op.get().is_some_and(|o| o.is_running()));
    let applying = Signal::derive(move || op.get().filter(|o| o.is_running() && o.kind == Kind::Update).and_then(|o| o.target_count));
    // When an operation ends, show the pool as it is now; after a delete, go back to the list.
    let registry_path = id.registry.path();
    Effect::watch(
        move || op.get().map(|o| (o.id, o.state.clone(), o.kind)),
        move |now, before, _| {
            // Only when an operation starts or ends, not on every poll.
            if before == Some(now) || now.is_none() {
                return;
            }
            details.refetch();
            if let Some((_, OpState::Succeeded, Kind::Delete)) = now {
                // In place of the pool's entry: Back must not lead to a pool that is gone.
                crate::nav::navigate(&registry_path, true);
            }
        },
        false,
    );
    let can_write = Signal::derive(move || allowed.get().is_none_or(|(w, _, _)| w));
    let access = Signal::derive(move || allowed.get().and_then(|(_, _, a)| a));
    let can_delete = Signal::derive(move || allowed.get().is_none_or(|(_, d, _)| d));
    // The live queue and the work forms live outside the pool's details, so refreshing the pool
    // (after an operation) neither restarts the queue's history nor clears a half-typed form.
    let location = Memo::new(move |_| details.get().and_then(|r| r.ok()).map(|(p, _, _)| p.location));
    let pool_found = Memo::new(move |_| location.get().is_some());
    let live = use_live_queue(id.clone(), busy, pool_found.into());
    let pool_name = id.name.clone();
    let pool_view = Signal::derive(move || match details.get() {
        Some(Ok((p, _, registry_tags))) => PoolView {
            count: p.count(),
            state: p.state().to_string(),
            paused_by: crate::domain::pause::find(registry_tags.as_ref().ok(), p.tags.as_ref(), &pool_name, p.count(), p.system_data.as_ref().and_then(|s| s.last_modified_ms())).map(|x| x.by),
        },
        _ => PoolView { count: 0, state: "Unknown".into(), paused_by: None },
    });
    // `?scale=N`: the sizing advisor's "Use this size". Taken once, by the first scale panel
    // drawn, and dropped from the address: after that the panel belongs to the user (a redraw
    // after an operation, or a reload, must not put the advisor's number back).
    let suggested = crate::nav::use_search().with_untracked(|q| {
        q.trim_start_matches('?').split('&').find_map(|p| p.strip_prefix("scale=")).and_then(|n| n.parse::<u32>().ok())
    });
    if suggested.is_some() {
        crate::nav::replace_query("");
    }
    let suggested = StoredValue::new(suggested);
    let record_note = RwSignal::new(None::<crate::components::pause::RecordNote>);
    // Made once, with the page: a panel drawn anew must not take a callback with it.
    let on_record = Callback::new(move |_| details.refetch());
    let queue_id = id.clone();
    let changes_id = id.clone();
    let pool_count = Memo::new(move |_| details.get().and_then(|r| r.ok()).map(|(p, _, _)| p.count()));
    let pid = id.clone();
    let link_id = id.clone();
    // One status (domain::status) from everything read: the pool, its queue, its pause record
    // and the operation this browser follows.
    let strip_name = id.name.clone();
    let strip = Memo::new(move |_| {
        let (p, _, registry_tags) = details.get()?.ok()?;
        let snap = live.data.get();
        let queued = snap.as_ref().map(|s| s.queued.max(0) as u32);
        let running = snap.as_ref().map(|s| crate::domain::queue::running_count(&s.runs));
        let oldest_wait = snap.as_ref().and_then(|s| crate::domain::queue::oldest_wait(&s.runs, s.at_ms as u64));
        let paused = crate::domain::pause::find(registry_tags.as_ref().ok(), p.tags.as_ref(), &strip_name, p.count(), p.system_data.as_ref().and_then(|s| s.last_modified_ms()));
        let current = op.get();
        let operation = current.as_ref().filter(|o| o.is_running()).map(|o| o.summary.clone());
        let failure = current.as_ref().and_then(|o| match &o.state {
            OpState::Failed { message, .. } => Some(message.clone()),
            _ => None,
        });
        let status = derive(&Facts {
            provisioning_state: p.state(),
            count: p.count(),
            queued,
            running,
            paused: paused.as_ref(),
            operation: operation.as_deref(),
            failure: failure.as_deref(),
        });
        Some(Strip { status, provisioning: p.state().to_string(), tier: p.tier().to_string(), count: p.count(), vcpu: p.vcpu(), queued, oldest_wait })
    });
    let missing = Memo::new(move |_| matches!(details.get(), Some(Err(e)) if crate::pages::missing::is_missing(&e)));
    // A pool that is there goes first in Home's "Recent pools".
    let recent_path = id.path();
    Effect::new(move |_| if pool_found.get() { crate::prefs::remember_pool(&recent_path) });
    let header_id = id.clone();
    let op_log = Memo::new(move |_| op.get().and_then(|o| o.correlation_id.map(|c| (o.id, c))));
    // Runs on the pool now (queued, running), for the danger zone's dialogs.
    let runs_now = Signal::derive(move || {
        live.data.get().map(|s| (s.queued.max(0) as u32, crate::domain::queue::running_count(&s.runs)))
    });
    let body = |part: Part| {
        let pid = pid.clone();
        move || match details.get() {
            Some(Err(error)) if crate::pages::missing::is_missing(&error) => (part == Part::Top).then(|| view! { <crate::pages::missing::MissingPool id=pid.clone() error/> }.into_any()),
            Some(Err(error)) => (part == Part::Top).then(|| view! { <ArmErrorView error reload=true/> }.into_any()),
            Some(Ok((p, list, registry_tags))) => {
                let others = quota::usage(list.iter().filter(|x| !x.display_name().eq_ignore_ascii_case(&pid.name)).map(|x| (x.tier(), x.count())));
                // Taken once, by the first scale panel drawn.
                let suggested = if part == Part::Top { suggested.try_update_value(|s| s.take()).flatten() } else { None };
                Some(view! { <PoolBody part id=pid.clone() pool=p registry_tags others can_write can_delete busy on_record record_note suggested runs=runs_now applying/> }.into_any())
            }
            None => (part == Part::Top).then(|| view! { <Loading what="agent pool"/> }.into_any()),
        }
    };
    view! {
        // No tabs for a pool that is not there: one message, and ways on.
        {move || (!missing.get()).then(|| view! {
            <PoolHeader id=header_id.clone() tab=Tab::Overview system_data=Signal::derive(move || details.get().and_then(|r| r.ok()).and_then(|(p, _, _)| p.system_data))/>
        })}
        {move || strip.get().map(|s| view! { <StatusStrip strip=s/> })}
        <ReadOnlyNotice access registry=id.registry.name.clone()/>
        {move || op.get().map(|op| view! { <OpProgress op/> })}
        // Keyed on the operation alone: its polls must not start the search in the log again.
        {move || op_log.get().map(|(_, correlation)| view! { <ActivityLink pool=link_id.clone() correlation/> })}
        {body(Part::Top)}
        // Only for a pool that exists: a missing one gets one message, not ARM's error twice.
        {move || pool_found.get().then(|| view! { <LiveQueuePanel id=queue_id.clone() live pool=pool_view/> })}
        {move || pool_found.get().then(|| view! { <ScheduledChanges id=changes_id.clone() count=pool_count/> })}
        {body(Part::Bottom)}
    }
}

/// The pool's overview in two parts around the live queue (which lives outside them, so a
/// refresh of the pool does not restart it): what a person came to do first (resume, scale),
/// then the facts and, last, what cannot be undone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Top,
    Bottom,
}

#[component]
#[allow(clippy::too_many_arguments)]
fn PoolBody(
    part: Part,
    id: AgentPoolId,
    pool: AgentPool,
    registry_tags: Result<std::collections::BTreeMap<String, String>, crate::arm::ArmError>,
    others: quota::Usage,
    can_write: Signal<bool>,
    can_delete: Signal<bool>,
    busy: Signal<bool>,
    on_record: Callback<()>,
    record_note: RwSignal<Option<crate::components::pause::RecordNote>>,
    suggested: Option<u32>,
    runs: Signal<Option<(u32, u32)>>,
    applying: Signal<Option<i32>>,
) -> impl IntoView {
    let state = pool.state().to_string();
    // Azure keeps no tags on agent pools: only a pool tagged before that was known has any.
    let tags = pool.tags.clone().unwrap_or_default();
    let last_modified_ms = pool.system_data.as_ref().and_then(|s| s.last_modified_ms());
    let paused = crate::domain::pause::find(registry_tags.as_ref().ok(), Some(&tags), &id.name, pool.count(), last_modified_ms).is_some();
    // Paused or at 0: the way back (Resume) comes first, above Scale.
    let banner = paused || pool.count() == 0;
    // A pool in transition (an operation started elsewhere) takes no new write; a Failed one may
    // be scaled or paused again, which is how it is retried.
    let settled = matches!(state.as_str(), "Succeeded" | "Failed" | "Canceled");
    let busy_or_unsettled = Signal::derive(move || busy.get() || !settled);
    // Built only where it is shown (a component runs when its view is made): at the top when
    // paused, in the danger zone otherwise, never both.
    let count = pool.count();
    let (pause_id, pause_tags) = (id.clone(), tags.clone());
    let pause = move || view! {
        <PausePanel id=pause_id count pool_tags=pause_tags registry_tags last_modified_ms can_write busy=busy_or_unsettled on_record note=record_note runs/>
    };
    if part == Part::Top {
        // A reader gets the notice at the top instead of forms they cannot send; the pause banner
        // (who paused, why) stays, its Resume disabled.
        return view! {
            {banner.then(pause)}
            <div class:hidden=move || !can_write.get()>
            <ScalePanel id=id.clone() tier=pool.tier().to_string() current=pool.count() others can_write busy=busy_or_unsettled suggested applying/>
            </div>
        }
        .into_any();
    }
    let tier = Tier::lookup(pool.tier());
    let size = tier.map_or_else(|| "unknown size".to_string(), |t| format!("{} vCPU, {} GB memory per instance", t.vcpu, t.memory_gb));
    let subnet = pool.properties.virtual_network_subnet_resource_id.clone();
    let tag_rows = tags.clone().into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view();
    let has_tags = !tags.is_empty();
    view! {
        <h2 class="section">"Details"</h2>
        <dl class="facts pool-facts">
            <dt>"Provisioning state"</dt><dd><span class=format!("state state-{}", state.to_ascii_lowercase())>{state.clone()}</span></dd>
            <dt>"Tier"</dt><dd>{pool.tier().to_string()} " · " {size}</dd>
            <dt>"Instances"</dt><dd>{pool.count()}</dd>
            <dt>"vCPU in use"</dt><dd>{pool.vcpu()}</dd>
            <dt>"OS"</dt><dd>{pool.properties.os.clone().unwrap_or_else(|| "Linux".into())}</dd>
            <dt>"Location"</dt><dd>{pool.location.clone()}</dd>
            <dt>"Subnet"</dt><dd>{match subnet.clone() {
                Some(s) => view! { <span title=s.clone()>{subnet_short_name(&s)}</span> }.into_any(),
                None => view! { <span>"None (Azure-managed network)"</span> }.into_any(),
            }}</dd>
        </dl>
        {subnet.map(|s| view! { <SubnetReadiness subnet=s/> })}
        {has_tags.then(|| view! {
            <h2 class="section">"Tags"</h2>
            <table class="list tags" aria-label="Tags"><tbody>{tag_rows}</tbody></table>
        })}
        <section class="panel danger-zone" aria-labelledby="danger-title" class:hidden=move || !(can_write.get() || can_delete.get())>
            <h2 id="danger-title">"Danger zone"</h2>
            {(!banner).then(pause)}
            <DeletePanel id=id.clone() can_delete busy runs/>
        </section>
    }
    .into_any()
}

/// What the status strip shows.
#[derive(Clone, Debug, PartialEq)]
struct Strip {
    status: Status,
    provisioning: String,
    tier: String,
    count: i32,
    vcpu: u32,
    queued: Option<u32>,
    oldest_wait: Option<u64>,
}

/// Under the title: the status, the size, and the queue, in one line a person reads first.
#[component]
fn StatusStrip(strip: Strip) -> impl IntoView {
    let detail = strip.status.detail();
    let queue = match (strip.queued, strip.oldest_wait) {
        (None, _) => "queue …".to_string(),
        (Some(0), _) => "nothing queued".to_string(),
        (Some(n), Some(w)) => format!("{n} queued · oldest waiting {}", crate::domain::queue::duration(w)),
        (Some(n), None) => format!("{n} queued"),
    };
    view! {
        <section class="status-strip" aria-label="Status">
            <StatusBadge status=strip.status.clone() provisioning=strip.provisioning detail_shown=true/>
            <span>{format!("{} × {}", strip.tier, strip.count)}</span>
            <span>{format!("{} vCPU", strip.vcpu)}</span>
            <span>{queue}</span>
            {detail.map(|d| view! { <p class="status-detail">{d}</p> })}
        </section>
    }
}
