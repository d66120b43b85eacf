use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::agent_pools::{self, AgentPoolPropertiesUpdateParameters, AgentPoolUpdateParameters};
use crate::arm::id::AgentPoolId;
use crate::arm::registries;
use crate::arm::ArmError;
use crate::components::cli_echo::CliEcho;
use crate::components::error_view::ArmErrorView;
use crate::components::dialog::Modal;
use crate::domain::cli;
use crate::ctx::{ctx, Ctx};
use crate::domain::activity::{count_before_zero, Span};
use crate::domain::pause::{self, Kept, Paused};
use crate::domain::permissions as perms;
use crate::live::activity::{use_activity, Source};
use crate::ops::tracker::Tracker;
use crate::ops::Kind;

/// What became of a pause record the panel tried to write or remove. Kept by the pool's page:
/// the record is written once the scale is accepted, and by then the panel may have been drawn
/// anew from the pool as it is now.
#[derive(Clone)]
pub enum RecordNote {
    NotKept(ArmError),
    NotRemoved(String),
}

/// Pause / resume (SPEC F7): pause scales to 0, then records the count, who, when and why as one
/// tag on the registry (Azure keeps no tags on agent pools); resume restores the count and
/// removes the record. Without the right to write the tag the pool is still paused, and the
/// panel says the reason was not kept; Resume then offers the count from the Activity Log.
#[component]
pub fn PausePanel(
    id: AgentPoolId,
    count: i32,
    /// The pool's own tags: where earlier portal versions kept the record.
    pool_tags: BTreeMap<String, String>,
    /// The registry's tags, or why they could not be read.
    registry_tags: Result<BTreeMap<String, String>, ArmError>,
    /// When the pool was last changed (its `systemData`): a record older than that is stale.
    last_modified_ms: Option<u64>,
    #[prop(into)] can_write: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    /// Called when the record changed (read the registry again).
    on_record: Callback<()>,
    note: RwSignal<Option<RecordNote>>,
    /// Runs (queued, running) on the pool now, for the dialog's impact.
    #[prop(into)]
    runs: Signal<Option<(u32, u32)>>,
) -> impl IntoView {
    let Ctx { client, session, .. } = ctx();
    // Kept in the arena: handlers live inside <Show>, whose children must be Send.
    let client = StoredValue::new_local(client);
    let tracker = expect_context::<Tracker>();
    let registry_error = registry_tags.as_ref().err().map(|e| e.code.clone());
    let registry_tags = registry_tags.ok();
    let paused = pause::find(registry_tags.as_ref(), Some(&pool_tags), &id.name, count, last_modified_ms);
    // Paused (or at 0) shows at the top of the page as a banner with Resume; a running pool's
    // Pause sits in the danger zone, behind a dialog.
    let banner = paused.is_some() || count == 0;
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let error = RwSignal::new(None::<ArmError>);
    let sending = RwSignal::new(false);
    let problems = Memo::new(move |_| pause::reason_problems(&reason.get()));
    // The sign-in name: what Azure's own systemData calls a person.
    let who = session.user.as_ref().map_or_else(|| "someone".to_string(), |u| if u.username.is_empty() { u.name.clone() } else { u.username.clone() });
    let disabled = move || !can_write.get() || busy.get() || sending.get();
    let why = move || if !can_write.get() { perms::needs(perms::POOL_WRITE) } else { String::new() };

    // Scales the pool to `to`; once ARM accepted it, `then` writes or removes the record.
    let scale = move |id: AgentPoolId, to: i32, clear_pool_tags: Option<BTreeMap<String, String>>, summary: String, then: Option<(&'static str, String, String)>| {
        let client = client.get_value();
        let body = AgentPoolUpdateParameters { properties: Some(AgentPoolPropertiesUpdateParameters { count: Some(to) }), tags: clear_pool_tags };
        sending.set(true);
        error.set(None);
        let _ = note.try_set(None);
        spawn_local(async move {
            let result = agent_pools::update(&client, &id, &body).await;
            match tracker.after_write(&client, &id, Kind::Update, summary, Some(to), result) {
                Ok(_) => {
                    let _ = open.try_set(false);
                    if let Some((operation, name, value)) = then {
                        // The page may have been left, or drawn anew: nothing here may panic then.
                        match registries::patch_tag(&client, &id.registry, operation, &name, &value).await {
                            // A delete whose value no longer matched leaves the tag: say so.
                            Ok(tags) if operation == "Delete" && tags.keys().any(|k| k.eq_ignore_ascii_case(&name)) => {
                                let _ = note.try_set(Some(RecordNote::NotRemoved("it changed since the page read it".into())));
                                on_record.try_run(());
                            }
                            Ok(_) => {
                                on_record.try_run(());
                            }
                            Err(e) if operation == "Merge" => {
                                let _ = note.try_set(Some(RecordNote::NotKept(e)));
                            }
                            Err(e) => {
                                let _ = note.try_set(Some(RecordNote::NotRemoved(e.code)));
                            }
                        }
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = sending.try_set(false);
        });
    };

    let body = match paused {
        Some(Paused { count: back, by, reason: why_paused, at, kept }) => {
            let id = id.clone();
            let record = registry_tags.as_ref().and_then(|t| t.iter().find(|(k, _)| k.eq_ignore_ascii_case(&pause::record_tag(&id.name))).map(|(k, v)| (k.clone(), v.clone())));
            let resume = move |_| {
                // An old record in the pool's own tags goes with the resume; a registry record after it.
                let clear = (kept == Kept::PoolTags).then(|| pause::resume_tags(&pool_tags));
                let remove = record.clone().map(|(name, value)| ("Delete", name, value));
                scale(id.clone(), back, clear, format!("Resume to {back}"), remove);
            };
            // The record's time is written by whoever paused: one the portal cannot read is left out.
            let since = crate::domain::time::parse_rfc3339_ms(&at).map(|at_ms| view! { "paused " <crate::components::time::Time at_ms/> "; " });
            view! {
                <p class="paused" role="note"><strong>{format!("Paused by {by}")}</strong>{format!(": {why_paused}")}
                    <span class="muted small">" (" {since} {format!("was {back} instance{})", if back == 1 { "" } else { "s" })}</span></p>
                <button type="button" class="primary" on:click=resume disabled=disabled aria-describedby="pause-why">{format!("Resume ({back} instance{})", if back == 1 { "" } else { "s" })}</button>
            }
            .into_any()
        }
        // At 0 without a record: the Activity Log may still know what it had.
        None if count == 0 => view! { <ResumeFromLog id=id.clone() disabled=Signal::derive(disabled) scale=Callback::new(move |(id, n): (AgentPoolId, i32)| scale(id, n, None, format!("Resume to {n}"), None))/> }.into_any(),
        None => {
            let id = id.clone();
            let dialog_title = format!("Pause {}?", id.name);
            let record_tag = pause::record_tag(&id.name);
            // What the form does, for a script: the scale, then the record on the registry.
            let (registry_name, pool_name, registry_path, tag) = (id.registry.name.clone(), id.name.clone(), id.registry.path(), record_tag.clone());
            let cli_who = who.clone();
            let cli_command = Signal::derive(move || {
                let value = pause::encode(count, &cli_who, "<now>", &reason.get());
                format!("{}\n{}", cli::scale_pool(&registry_name, &pool_name, 0), cli::merge_tag(&registry_path, &tag, &value))
            });
            let confirm = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                touched.set(true);
                if !problems.get_untracked().is_empty() {
                    return;
                }
                // The service's time, as the pool's systemData is: the record is compared with it.
                let at = crate::domain::time::format_rfc3339_ms(client.with_value(|c| c.server_now_ms()).unwrap_or_else(js_sys::Date::now) as u64);
                let value = pause::encode(count, &who, &at, &reason.get_untracked());
                scale(id.clone(), 0, None, format!("Pause ({count} → 0)"), Some(("Merge", pause::record_tag(&id.name), value)));
            };
            let open_dialog = move |_| {
                touched.set(false);
                error.set(None);
                open.set(true);
            };
            view! {
                <div class="danger-row">
                    <div>
                        <h3 id="pause-title">"Pause this pool"</h3>
                        <p class="muted">{format!("Scales it to 0 and remembers its {count} instance{} so it can be resumed.", if count == 1 { "" } else { "s" })}</p>
                    </div>
                    <button type="button" class="danger" on:click=open_dialog disabled=disabled aria-haspopup="dialog" aria-describedby="pause-why">"Pause…"</button>
                </div>
                <Modal open title=dialog_title id="pause-dialog">
                    <form class="pause-form" on:submit=confirm.clone()>
                        <p class="impact" role="note">{move || crate::domain::impact::pause(runs.get(), count)}</p>
                        <label for="pause-reason">"Why? (shown to everyone who opens the pool)"</label>
                        <textarea id="pause-reason" autofocus rows="2" maxlength="200" prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                            aria-invalid=move || (touched.get() && !problems.get().is_empty()).to_string()
                            aria-describedby="pause-problems pause-where"></textarea>
                        <ul id="pause-problems" class="problems" aria-live="polite">
                            {move || touched.get().then(|| problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view())}
                        </ul>
                        <p id="pause-where" class="muted small">
                            {format!("Kept as the tag {record_tag} on the registry (Azure keeps no tags on agent pools); writing it needs ")}
                            <code>"Microsoft.Resources/tags/write"</code>"."
                        </p>
                        <CliEcho command=cli_command/>
                        {move || error.get().map(|error| view! { <ArmErrorView error/> })}
                        <div class="modal-actions">
                            <button type="submit" class="danger solid" disabled=disabled>"Pause pool"</button>
                            <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                        </div>
                    </form>
                </Modal>
            }
            .into_any()
        }
    };
    view! {
        <section class=if banner { "pause-banner" } else { "pause-zone" } aria-label=if banner { "Paused" } else { "Pause" }>
            {body}
            {move || (banner || !open.get()).then(|| error.get().map(|error| view! { <ArmErrorView error/> }))}
            {registry_error.map(|code| view! { <p class="muted small">{format!("The registry could not be read ({code}): a pause record kept on it is not known here.")}</p> })}
            {move || note.get().map(|n| match n {
                RecordNote::NotKept(e) => {
                    // Name the permission only when it is what was missing.
                    let why = if e.code == "AuthorizationFailed" { " Keeping it needs Microsoft.Resources/tags/write on the registry." } else { "" };
                    view! {
                        <p class="notice" role="alert" title=e.message.clone()>{format!(
                            "Paused, but the reason was not kept: the registry's tag could not be written ({}).{why} Resume will offer the count from the Activity Log.",
                            e.code
                        )}</p>
                    }.into_any()
                }
                RecordNote::NotRemoved(why) => view! {
                    <p class="notice" role="alert">{format!("Resumed, but its pause record could not be removed from the registry's tags ({why}).")}</p>
                }.into_any(),
            })}
            <p id="pause-why" class="muted small">{why}</p>
        </section>
    }
}

/// A pool at 0 with no pause record: the count before its last scale to 0, from the Activity
/// Log of the last 30 days, offered as Resume.
#[component]
fn ResumeFromLog(id: AgentPoolId, disabled: Signal<bool>, scale: Callback<(AgentPoolId, i32)>) -> impl IntoView {
    let log = use_activity(Source::Pool(id.clone()), Signal::stored(Span::Month));
    let before = Memo::new(move |_| log.complete.get().then(|| log.changes.with(|c| count_before_zero(c))).flatten());
    move || {
        let id = id.clone();
        if let Some(e) = log.error.get() {
            return view! { <p class="muted">{format!("The pool has no instances and no pause record; the Activity Log could not be read ({}) for the count it had. Scale it up to resume.", e.code)}</p> }.into_any();
        }
        match before.get() {
            Some(n) => {
                let n = n.clamp(1, i64::from(i32::MAX)) as i32;
                view! {
                    <p class="muted">{format!("The pool has no instances and no pause record. Before its last scale to 0 (Activity Log) it had {n}.")}</p>
                    <button type="button" class="primary" on:click=move |_| scale.run((id.clone(), n)) disabled=move || disabled.get() aria-describedby="pause-why">
                        {format!("Resume ({n} instance{})", if n == 1 { "" } else { "s" })}
                    </button>
                }
                .into_any()
            }
            None => view! { <p class="muted">"The pool has no instances: nothing to pause. (No scale to 0 in the last 30 days to resume from.)"</p> }.into_any(),
        }
    }
}
