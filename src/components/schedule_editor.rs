//! Editing a pool's schedule (issue 21): rules of days, a time in a named zone and a count
//! (checked against the quota as the scale form is), saved as ACR timer tasks: only the tasks
//! that change are written, removed rules' tasks and their role assignments are deleted, and
//! each new identity gets Container Registry Tasks Contributor on the registry, or, when the
//! user may not assign roles, waits for an administrator. Every step is shown with its `az`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::id::AgentPoolId;
use crate::arm::role_assignments::{self, TASKS_CONTRIBUTOR};
use crate::arm::tasks::{self, Target};
use crate::arm::ArmError;
use crate::components::cli_echo::CliEcho;
use crate::components::error_view::ArmErrorView;
use crate::ctx::ctx;
use crate::domain::cli;
use crate::domain::quota::{self, Usage};
use crate::domain::schedule::{self, Existing, Rule, Zone};
use crate::domain::tier::Tier;
use crate::live::zone::{browser_zone, known_or_utc, NamedZone, COMMON};
use crate::live::schedule::Loaded;

#[derive(Clone, Debug, PartialEq)]
struct Draft {
    key: u32,
    days: String,
    time: String,
    count: String,
}

impl Draft {
    fn of(key: u32, r: &Rule) -> Draft {
        Draft { key, days: r.days.text(), time: r.time(), count: r.count.to_string() }
    }

    fn rule(&self) -> Result<Rule, String> {
        Rule::parse(&format!("{} {} {}", self.days, self.time, self.count.trim()))
    }
}

const DAY_CHOICES: [(&str, &str); 10] = [
    ("mon-fri", "Mon–Fri"), ("sat,sun", "Sat, Sun"), ("daily", "Every day"), ("mon", "Mon"), ("tue", "Tue"),
    ("wed", "Wed"), ("thu", "Thu"), ("fri", "Fri"), ("sat", "Sat"), ("sun", "Sun"),
];

/// One step of a save, as it went.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    text: String,
    command: String,
    ok: bool,
}

#[component]
pub fn ScheduleEditor(
    id: AgentPoolId,
    loaded: Loaded,
    tier: String,
    location: String,
    current: i32,
    others: Usage,
    proposed: Option<(Vec<Rule>, Option<String>)>,
    /// Whether the user may assign roles (`None`: unknown, so the service decides).
    #[prop(into)]
    can_assign: Signal<Option<bool>>,
    /// What the last save did (the page keeps it across the editor being drawn again).
    steps: RwSignal<Vec<Step>>,
    /// A save in flight, and how the last one failed (the page's, so a redraw keeps them).
    working: RwSignal<bool>,
    failure: RwSignal<Option<ArmError>>,
    saved: Callback<()>,
) -> impl IntoView {
    let max = Tier::lookup(&tier).map_or(current.max(0) as u32, |t| quota::max_count(&t, others).max(current.max(0) as u32));
    let from_link = proposed.is_some();
    let (start_rules, start_zone) = match proposed {
        Some((rules, zone)) => (rules, zone.or_else(|| loaded.zone())),
        None => (loaded.tasks.iter().filter_map(|t| t.rule).collect(), loaded.zone()),
    };
    let next_key = StoredValue::new(start_rules.len() as u32);
    let drafts = RwSignal::new(start_rules.iter().enumerate().map(|(i, r)| Draft::of(i as u32, r)).collect::<Vec<_>>());
    // A link or a tag may name a zone the browser does not know: UTC then, as Azure keeps it.
    let zone = RwSignal::new(start_zone.map(|z| known_or_utc(&z)).unwrap_or_else(browser_zone));
    let confirm_remove = RwSignal::new(false);
    let existing: Vec<Existing> = loaded.tasks.iter().map(|t| Existing { name: t.name.clone(), cron: t.cron.clone(), zone: t.zone.clone() }).collect();
    let existing = StoredValue::new(existing);
    let principals = StoredValue::new(loaded.tasks.iter().map(|t| (t.name.clone(), t.principal_id.clone())).collect::<Vec<_>>());
    // Identities of tasks kept as they are that still wait for their role: saving assigns it.
    let waiting = StoredValue::new(loaded.waiting());
    let pool = id.name.clone();
    // Every rule read, or why one cannot be.
    let checked = Memo::new(move |_| {
        let rules: Vec<Result<Rule, String>> = drafts.with(|d| {
            d.iter()
                .map(|x| x.rule().and_then(|r| if r.count > max { Err(format!("{} instances is more than the quota allows next to the other pools (at most {max}).", r.count)) } else { Ok(r) }))
                .collect()
        });
        rules
    });
    let valid = Memo::new(move |_| {
        let rules: Vec<Rule> = checked.with(|c| c.iter().filter_map(|r| r.as_ref().ok().copied()).collect());
        let all_ok = checked.with(|c| c.iter().all(Result::is_ok));
        match (all_ok, schedule::conflicts(&rules)) {
            (true, None) => Ok(rules),
            (true, Some(c)) => Err(c),
            (false, _) => Err("Correct the rules marked below.".into()),
        }
    });
    let offset_now = move || NamedZone::new(&zone.get()).offset_min(crate::components::time::service_now());
    let plan = {
        let pool = pool.clone();
        Memo::new(move |_| valid.get().ok().map(|rules| schedule::plan(&existing.get_value(), &rules, &zone.get(), offset_now(), &pool)))
    };
    let scope = id.registry.path();
    let command = {
        let (registry, pool, scope) = (id.registry.name.clone(), id.name.clone(), scope.clone());
        Signal::derive(move || {
            let Some(p) = plan.get() else { return String::new() };
            let offset = offset_now();
            let mut lines: Vec<String> = p.delete.iter().map(|n| cli::delete_task(&registry, n)).collect();
            for r in &p.write {
                let name = r.task_name(&pool);
                lines.push(cli::create_schedule_task(&registry, &name, &r.cron(offset)));
                lines.push(cli::tag_schedule_task(&format!("{scope}/tasks/{name}"), &pool, &r.text(), &zone.get()));
                lines.push(cli::assign_tasks_contributor("<its identity's principal id>", &scope));
            }
            if lines.is_empty() {
                "# Nothing to change on Azure.".into()
            } else {
                lines.join("\n")
            }
        })
    };
    let yaml = schedule::task_yaml(&id.registry.subscription, &id.registry.resource_group, &id.registry.name, &id.name, 0).replace("--count 0", "--count N");
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        drafts.update(|d| d.push(Draft { key, days: "mon-fri".into(), time: "07:00".into(), count: "1".into() }));
    };
    let target_id = StoredValue::new(id.clone());
    let location = StoredValue::new(location);
    let run_plan = move |rules: Vec<Rule>| {
        let id = target_id.get_value();
        let zone_name = zone.get_untracked();
        let offset = offset_now();
        let plan = schedule::plan(&existing.get_value(), &rules, &zone_name, offset, &id.name);
        if working.get_untracked() {
            return;
        }
        let client = ctx().client;
        working.set(true);
        failure.set(None);
        steps.set(Vec::new());
        let push = move |text: String, command: String, ok: bool| steps.update(|s| s.push(Step { text, command, ok }));
        let principals = principals.get_value();
        let waiting = waiting.get_value();
        let may_assign = can_assign.get_untracked();
        let location = location.get_value();
        spawn_local(async move {
            let scope = id.registry.path();
            let result: Result<(), ArmError> = async {
                for name in &plan.delete {
                    if let Some(Some(p)) = principals.iter().find(|(n, _)| n == name).map(|(_, p)| p.clone()) {
                        for a in role_assignments::list_for(&client, &scope, &p).await.unwrap_or_default() {
                            let ours = a.role().eq_ignore_ascii_case(TASKS_CONTRIBUTOR) && a.properties.scope.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(&scope));
                            if let (true, Some(aid)) = (ours, a.id.clone()) {
                                let command = cli::delete_role_assignment(&aid);
                                let left = format!("The role of {name}'s identity stays until an administrator removes it: you may not remove roles.");
                                if may_assign == Some(false) {
                                    push(left, command, false);
                                    continue;
                                }
                                match role_assignments::delete(&client, &aid).await {
                                    Ok(()) => push(format!("Removed the role of {name}'s identity"), command, true),
                                    Err(e) if e.status == 403 => push(left, command, false),
                                    Err(e) => return Err(e),
                                }
                            }
                        }
                    }
                    tasks::delete(&client, &id.registry, name).await?;
                    push(format!("Deleted task {name}"), cli::delete_task(&id.registry.name, name), true);
                }
                let target = Target { subscription: &id.registry.subscription, resource_group: &id.registry.resource_group, registry: &id.registry.name, location: &location, pool: &id.name };
                let mut identities: Vec<(String, String)> = Vec::new();
                for rule in &plan.write {
                    let name = rule.task_name(&id.name);
                    let task = tasks::scaling_task(&target, rule, &zone_name, offset);
                    let made = tasks::create(&client, &id.registry, &name, &task).await?;
                    push(format!("Wrote task {name} ({} → {} at {} {zone_name})", rule.days.label(), rule.count, rule.time()), format!("{}\n{}", cli::create_schedule_task(&id.registry.name, &name, &rule.cron(offset)), cli::tag_schedule_task(&format!("{scope}/tasks/{name}"), &id.name, &rule.text(), &zone_name)), true);
                    match made.extra.get("identity").and_then(|i| i.get("principalId")).and_then(|p| p.as_str()) {
                        Some(p) => identities.push((name, p.to_string())),
                        None => push(format!("{name} has no identity yet: save again in a minute"), String::new(), false),
                    }
                }
                for name in &plan.unchanged {
                    if let Some(Some(p)) = principals.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, p)| p.clone()) {
                        if waiting.contains(&p) {
                            identities.push((name.clone(), p));
                        }
                    }
                }
                for (name, principal) in identities {
                    let has = role_assignments::list_for(&client, &scope, &principal).await.map(|l| l.iter().any(|a| a.lets_scale(&scope))).unwrap_or(false);
                    if has {
                        continue;
                    }
                    let body = role_assignments::tasks_contributor(&id.registry.subscription, &principal);
                    let command = cli::assign_tasks_contributor(&principal, &scope);
                    let waits = format!("{name} waits for an administrator: you may not assign roles. Hand over this command.");
                    if may_assign == Some(false) {
                        push(waits, command, false);
                        continue;
                    }
                    match role_assignments::create(&client, &scope, &role_assignments::assignment_name(&scope, &principal, TASKS_CONTRIBUTOR), &body).await {
                        Ok(_) => push(format!("Gave {name}'s identity Container Registry Tasks Contributor on {}", id.registry.name), command, true),
                        Err(e) if e.status == 403 => push(waits, command, false),
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
            .await;
            working.set(false);
            confirm_remove.set(false);
            match result {
                Ok(()) => saved.run(()),
                // The rules typed stay (the editor is not drawn again from a half-done schedule):
                // saving them again writes what is missing (a PUT again is the same task, a
                // DELETE of one gone is a 204).
                Err(e) => {
                    push(format!("Stopped by {} (below): the steps above are done, saving again finishes the rest.", e.code), String::new(), false);
                    failure.set(Some(e));
                }
            }
        });
    };
    let save = move |_| {
        if let Ok(rules) = valid.get_untracked() {
            run_plan(rules);
        }
    };
    let remove = move |_| {
        if confirm_remove.get_untracked() {
            run_plan(Vec::new());
        } else {
            confirm_remove.set(true);
        }
    };
    let has_schedule = !loaded.tasks.is_empty();
    view! {
        <section class="panel" aria-labelledby="schedule-edit-title">
            <h2 id="schedule-edit-title">{if has_schedule { "Change the schedule" } else { "Make a schedule" }}</h2>
            {from_link.then(|| view! { <p class="notice" role="note">"Filled in from the sizing advisor's proposal: nothing is written until you save."</p> })}
            <div class="field">
                <label for="schedule-zone">"Time zone"</label>
                <select id="schedule-zone" on:change=move |ev| zone.set(event_target_value(&ev)) prop:value=move || zone.get()>
                    {move || {
                        let mut names: Vec<String> = vec![browser_zone()];
                        names.extend(COMMON.iter().map(|z| z.to_string()));
                        let chosen = zone.get();
                        if !names.contains(&chosen) {
                            names.push(chosen.clone());
                        }
                        names.dedup();
                        names.into_iter().map(|z| view! { <option value=z.clone() selected=z == chosen>{z.clone()}</option> }).collect_view()
                    }}
                </select>
            </div>
            <table class="list schedule-rules cards" aria-label="Rules to save">
                <thead><tr><th scope="col">"Days"</th><th scope="col">{move || format!("Time ({})", zone.get())}</th><th scope="col">"Instances"</th><th scope="col">"As Azure runs it"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                <tbody>
                    <For each=move || drafts.get() key=|d| d.key let:d>
                        {
                            let key = d.key;
                            let set = move |f: &dyn Fn(&mut Draft)| drafts.update(|all| if let Some(x) = all.iter_mut().find(|x| x.key == key) { f(x) });
                            let row = move || drafts.with(|all| all.iter().position(|x| x.key == key));
                            let problem = move || row().and_then(|i| checked.with(|c| c.get(i).and_then(|r| r.as_ref().err().cloned())));
                            let utc = move || row().and_then(|i| checked.with(|c| c.get(i).and_then(|r| r.as_ref().ok().map(|r| r.cron(offset_now())))));
                            let days_now = d.days.clone();
                            let label = format!("rule-{key}");
                            view! {
                                <tr>
                                    <td data-label="Days">
                                        <label class="visually-hidden" for=format!("{label}-days")>"Days"</label>
                                        <select id=format!("{label}-days") on:change=move |ev| { let v = event_target_value(&ev); set(&|x| x.days = v.clone()) }>
                                            {DAY_CHOICES.iter().map(|(v, l)| view! { <option value=*v selected=*v == days_now>{*l}</option> }).collect_view()}
                                            {(!DAY_CHOICES.iter().any(|(v, _)| *v == d.days)).then(|| view! { <option value=d.days.clone() selected=true>{schedule::Days::parse(&d.days).map(|x| x.label()).unwrap_or_else(|_| d.days.clone())}</option> })}
                                        </select>
                                    </td>
                                    <td data-label="Time">
                                        <label class="visually-hidden" for=format!("{label}-time")>"Time"</label>
                                        <input id=format!("{label}-time") type="time" value=d.time.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|x| x.time = v.clone()) }/>
                                    </td>
                                    <td data-label="Instances">
                                        <label class="visually-hidden" for=format!("{label}-count")>"Instances"</label>
                                        <input id=format!("{label}-count") type="number" min="0" max=max step="1" value=d.count.clone() aria-invalid=move || problem().is_some().to_string()
                                            on:input=move |ev| { let v = event_target_value(&ev); set(&|x| x.count = v.clone()) }/>
                                    </td>
                                    <td data-label="As Azure runs it">
                                        {move || utc().map(|c| view! { <code>{c}</code>" UTC" })}
                                        {move || problem().map(|p| view! { <p class="error small" role="alert">{p}</p> })}
                                    </td>
                                    <td data-label="">
                                        <button type="button" on:click=move |_| drafts.update(|all| all.retain(|x| x.key != key))>"Remove"<span class="visually-hidden">" this rule"</span></button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <p class="muted small">{format!("0 to {max} instances within the default quota. A rule sets the count at its time; it holds until the next rule.")}</p>
            <button type="button" on:click=add>"Add a rule"</button>
            {move || valid.get().err().filter(|_| !drafts.with(Vec::is_empty)).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <CliEcho command/>
            <details class="task-file">
                <summary>"The file each task runs"</summary>
                <pre><code>{yaml}</code></pre>
                <p class="muted small">"ACR Tasks' az image alias runs the Azure CLI as the task's managed identity; N is the rule's count."</p>
            </details>
            {move || failure.get().map(|error| view! { <ArmErrorView error/> })}
            <ol class="steps" aria-live="polite">
                {move || steps.get().into_iter().map(|s| view! {
                    <li class:error=!s.ok>{s.text}{(!s.command.is_empty()).then(|| view! { <pre><code>{s.command.clone()}</code></pre> })}</li>
                }).collect_view()}
            </ol>
            <div class="actions">
                <button type="button" class="primary" on:click=save disabled=move || working.get() || valid.get().is_err() || drafts.with(Vec::is_empty)>
                    {move || if working.get() { "Saving…" } else { "Save schedule" }}
                </button>
                {has_schedule.then(|| view! {
                    <button type="button" class="danger" on:click=remove disabled=move || working.get()>
                        {move || if confirm_remove.get() { "Confirm: delete its tasks and roles" } else { "Remove schedule" }}
                    </button>
                })}
            </div>
        </section>
    }
}
