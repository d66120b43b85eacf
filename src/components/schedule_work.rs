use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ctx::ctx;
use crate::arm::id::{AgentPoolId, RunId};
use crate::arm::runs::{self, Platform, RunRequest};
use crate::arm::tasks::{self, Task};
use crate::arm::ArmError;
use crate::components::{cli_echo::CliEcho, error_view::ArmErrorView};
use crate::domain::{cli, names, permissions as perms};
use crate::live::reach::arm_read;

const SAMPLE_SOURCE: &str = "https://github.com/Azure-Samples/acr-build-helloworld-node.git";

/// Image names from a comma- or space-separated field.
fn images(text: &str) -> Vec<String> {
    text.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// Schedule work on a pool (SPEC F11): a quick build, a run of a task bound to the pool, a new
/// task bound to it. New runs show in the live queue at once (`on_scheduled`).
#[component]
pub fn ScheduleWork(id: AgentPoolId, location: String, #[prop(into)] can_run: Signal<bool>, on_scheduled: Callback<()>) -> impl IntoView {
    let client = StoredValue::new_local(ctx().client);
    let (reg, pool) = (id.registry.clone(), id.name.clone());
    let tasks = arm_read(id.registry.clone(), |c, r| async move { tasks::list(&c, &r).await });
    let pool_name = pool.clone();
    let bound = Memo::new(move |_| match tasks.get() {
        Some(Ok(list)) => Some(Ok(list.into_iter().filter(|t| t.properties.agent_pool_name.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(&pool_name))).collect::<Vec<Task>>())),
        Some(Err(e)) => Some(Err(e)),
        None => None,
    });
    let last_run = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ArmError>);
    let sending = RwSignal::new(false);
    let schedule = {
        let registry = id.registry.clone();
        move |request: RunRequest| {
            let (client, registry) = (client.get_value(), registry.clone());
            sending.set(true);
            error.set(None);
            spawn_local(async move {
                match runs::schedule(&client, &registry, &request).await {
                    Ok(run) => {
                        last_run.set(Some(run.run_id().to_string()));
                        on_scheduled.run(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                sending.set(false);
            });
        }
    };

    // Quick build.
    let source = RwSignal::new(SAMPLE_SOURCE.to_string());
    let docker_file = RwSignal::new("Dockerfile".to_string());
    let image_text = RwSignal::new("helloworld:{{.Run.ID}}".to_string());
    let build_problems = Memo::new(move |_| {
        let mut p = Vec::new();
        if !names::is_source_url(&source.get()) {
            p.push("The source must be an https:// URL of a Git repository or archive.".to_string());
        }
        if docker_file.get().trim().is_empty() {
            p.push("Give the Dockerfile's path.".into());
        }
        p.extend(images(&image_text.get()).iter().filter_map(|i| names::image_name_problems(i)));
        p
    });
    let (r1, p1) = (reg.name.clone(), pool.clone());
    let build_cli = Signal::derive(move || cli::quick_build(&r1, &p1, &images(&image_text.get()), &docker_file.get(), &source.get()));
    let build_pool = pool.clone();
    let build_schedule = schedule.clone();
    let queue_build = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !build_problems.get_untracked().is_empty() {
            return;
        }
        build_schedule(RunRequest::DockerBuildRequest {
            source_location: source.get_untracked(),
            docker_file_path: docker_file.get_untracked(),
            image_names: images(&image_text.get_untracked()),
            is_push_enabled: true,
            platform: Platform::linux(),
            agent_pool_name: build_pool.clone(),
        });
    };

    // New task.
    let task_name = RwSignal::new(String::new());
    let task_image = RwSignal::new("helloworld:{{.Run.ID}}".to_string());
    let task_error = RwSignal::new(None::<ArmError>);
    let task_problems = Memo::new(move |_| {
        let name = task_name.get();
        let mut p = names::task_name_problems(&name);
        // A PUT would replace it (and move it to this pool): say so instead.
        if let Some(Ok(all)) = tasks.get() {
            if all.iter().any(|t| t.display_name().eq_ignore_ascii_case(&name)) {
                p.push(format!("A task named '{name}' already exists in this registry."));
            }
        }
        p.extend(names::image_name_problems(&task_image.get()));
        if !names::is_source_url(&source.get()) {
            p.push("The source (above) must be an https:// URL.".into());
        }
        p
    });
    let (r2, p2) = (reg.name.clone(), pool.clone());
    let task_cli = Signal::derive(move || cli::create_task(&r2, &task_name.get(), &p2, &task_image.get(), &docker_file.get(), &source.get()));
    let create_task = {
        let (registry, pool, location) = (id.registry.clone(), pool.clone(), location.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !task_problems.get_untracked().is_empty() {
                return;
            }
            let (client, registry) = (client.get_value(), registry.clone());
            let name = task_name.get_untracked();
            let body = tasks::docker_task(&location, &pool, &source.get_untracked(), &docker_file.get_untracked(), vec![task_image.get_untracked()]);
            task_error.set(None);
            spawn_local(async move {
                match tasks::create(&client, &registry, &name, &body).await {
                    Ok(_) => {
                        task_name.set(String::new());
                        tasks.refetch();
                    }
                    Err(e) => task_error.set(Some(e)),
                }
            });
        }
    };

    let registry_for_links = id.registry.clone();
    let registry_for_ids = id.registry.clone();
    let reg_for_runs = reg.name.clone();
    let run_schedule = schedule.clone();
    let task_rows = move || match bound.get() {
        None => view! { <p class="loading">"Loading tasks…"</p> }.into_any(),
        Some(Err(error)) => view! { <ArmErrorView error reload=true/> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p class="empty">"No task is bound to this pool yet."</p> }.into_any(),
        Some(Ok(list)) => {
            let rows = list
                .into_iter()
                .map(|t| {
                    let name = t.display_name().to_string();
                    let run = run_schedule.clone();
                    // The spec's taskId is the task's resource id.
                    let n = t.id.clone().unwrap_or_else(|| format!("{}/tasks/{name}", registry_for_ids.path()));
                    let command = cli::run_task(&reg_for_runs, &name);
                    view! {
                        <li class="task">
                            <div><strong>{name.clone()}</strong><br/><span class="muted small">{t.describe_step()}</span><br/><code class="small">{command}</code></div>
                            <button type="button" on:click=move |_| run(RunRequest::TaskRunRequest { task_id: n.clone() }) disabled=move || !can_run.get() || sending.get()
                                aria-label=format!("Run task {name}")>"Run"</button>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="tasks">{rows}</ul> }.into_any()
        }
    };
    let why = move || if can_run.get() { String::new() } else { perms::needs(perms::SCHEDULE_RUN) };
    view! {
        <section class="panel work" aria-labelledby="work-title">
            <h2 id="work-title">"Run work on this pool"</h2>
            <form class="quick-build" on:submit=queue_build>
                <h3>"Quick build"</h3>
                <label for="build-source">"Source (Git repository or archive URL)"</label>
                <input id="build-source" type="text" spellcheck="false" prop:value=move || source.get() on:input=move |ev| source.set(event_target_value(&ev))/>
                <label for="build-file">"Dockerfile"</label>
                <input id="build-file" type="text" spellcheck="false" prop:value=move || docker_file.get() on:input=move |ev| docker_file.set(event_target_value(&ev))/>
                <label for="build-images">"Image tags (comma-separated)"</label>
                <input id="build-images" type="text" spellcheck="false" prop:value=move || image_text.get() on:input=move |ev| image_text.set(event_target_value(&ev))/>
                <ul class="problems" aria-live="polite">{move || build_problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                <CliEcho command=build_cli/>
                <button type="submit" class="primary" disabled=move || !can_run.get() || sending.get() || !build_problems.get().is_empty() aria-describedby="work-why">
                    {move || if sending.get() { "Queueing…" } else { "Queue build" }}
                </button>
            </form>
            {move || last_run.get().map(|run_id| {
                let href = RunId { registry: registry_for_links.clone(), run_id: run_id.clone() }.path();
                view! { <p class="op op-succeeded" role="status">"Queued run " <a href=href>{run_id}</a> "."</p> }
            })}
            {move || error.get().map(|error| view! { <ArmErrorView error/> })}
            <h3>"Tasks bound to this pool"</h3>
            <p class="muted small">"A task run uses the task's own pool: the request names no pool."</p>
            {task_rows}
            <form class="new-task" on:submit=create_task>
                <h3>"New task on this pool"</h3>
                <label for="task-name">"Task name"</label>
                <input id="task-name" type="text" spellcheck="false" prop:value=move || task_name.get() on:input=move |ev| task_name.set(event_target_value(&ev))/>
                <label for="task-image">"Image tag"</label>
                <input id="task-image" type="text" spellcheck="false" prop:value=move || task_image.get() on:input=move |ev| task_image.set(event_target_value(&ev))/>
                <p class="muted small">"Builds the quick build's source and Dockerfile (above)."</p>
                <ul class="problems" aria-live="polite">{move || (!task_name.get().is_empty()).then(|| task_problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view())}</ul>
                <CliEcho command=task_cli/>
                <button type="submit" disabled=move || !can_run.get() || !task_problems.get().is_empty() aria-describedby="work-why">"Create task"</button>
                {move || task_error.get().map(|error| view! { <ArmErrorView error/> })}
            </form>
            <p id="work-why" class="muted small">{why}</p>
        </section>
    }
}
