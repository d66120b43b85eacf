//! `POST …/scheduleRun`: a quick build or run (DockerBuildRequest, FileTaskRunRequest,
//! EncodedTaskRunRequest), optionally on an agent pool, or a run of an existing task
//! (TaskRunRequest, which takes its pool from the task and may not name one).

use axum::response::IntoResponse;
use axum::Json;

use crate::arm::pipeline::access::{self, Access, RegistryRef};
use crate::arm::pipeline::body::Body;
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::container_registry::runs;
use crate::arm::pipeline::versions;
use crate::store::{same, ImageRef, Run, State};

pub const ACTION: &str = "Microsoft.ContainerRegistry/registries/scheduleRun/action";

fn missing(path: &str) -> ArmError {
    ArmError::bad_field("InvalidRequestContent", path, format!("The request content was invalid: the required property '{path}' is missing."))
}

/// The os as sent: recorded runs echo `linux` as `linux`.
fn platform_os(body: &Body) -> Result<String, ArmError> {
    body.object("platform")?.ok_or_else(|| missing("platform"))?;
    let os = body.required_string("platform.os")?;
    match os.to_ascii_lowercase().as_str() {
        "linux" | "windows" => Ok(os.to_string()),
        _ => Err(ArmError::bad_field("InvalidParameter", "platform.os", format!("The os '{os}' is invalid: use Linux or Windows."))),
    }
}

/// Images a sample task file pushes. The emulator reads no repository, so the files public
/// recordings run are known by name: `build-push-hello-world.yaml` of Azure-Samples/acr-tasks
/// pushes `hello-world:{{.Run.ID}}`.
fn sample_file_images(source: Option<&str>, file: &str) -> Vec<String> {
    let acr_tasks = source.is_some_and(|s| s.to_ascii_lowercase().contains("azure-samples/acr-tasks"));
    if acr_tasks && file.eq_ignore_ascii_case("build-push-hello-world.yaml") {
        vec!["hello-world:{{.Run.ID}}".into()]
    } else {
        Vec::new()
    }
}

fn check_timeout(body: &Body) -> Result<(), ArmError> {
    match body.int("timeout")? {
        Some(t) if !(300..=28800).contains(&t) => Err(ArmError::bad_field("InvalidParameter", "timeout", format!("The timeout {t} is invalid: it must be between 300 and 28800 seconds."))),
        _ => Ok(()),
    }
}

/// `web:{{.Run.ID}}` → `web:ca12`; a bare repository gets the run id as tag.
fn image(registry: &str, name: &str, run_id: &str, n: u64) -> ImageRef {
    let name = name.replace("{{.Run.ID}}", run_id).replace("{{.Run.Registry}}", &format!("{registry}.azurecr.io"));
    let (repository, tag) = name.split_once(':').map_or((name.clone(), run_id.to_string()), |(r, t)| (r.to_string(), t.to_string()));
    ImageRef { registry: format!("{registry}.azurecr.io"), repository, tag, digest: format!("sha256:{:064x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15)) }
}

/// What a validated request turns into.
struct Planned {
    run_type: &'static str,
    pool: Option<String>,
    task: Option<String>,
    os: String,
    images: Vec<String>,
    source: Option<String>,
    docker_file: Option<String>,
    archive: bool,
}

fn plan(state: &State, r: &RegistryRef, body: &Body) -> Result<Planned, ArmError> {
    let kind = body.required_string("type")?;
    let pool = body.string("agentPoolName")?.filter(|p| !p.is_empty()).map(String::from);
    let archive = body.bool("isArchiveEnabled")?.unwrap_or(false);
    let source = body.string("sourceLocation")?.map(String::from);
    let strings = |path: &str| -> Result<Vec<String>, ArmError> {
        Ok(body.array(path)?.map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default())
    };
    let planned = match kind {
        "DockerBuildRequest" => Planned {
            run_type: "QuickBuild",
            os: platform_os(body)?,
            docker_file: Some(body.string("dockerFilePath")?.filter(|s| !s.is_empty()).ok_or_else(|| missing("dockerFilePath"))?.to_string()),
            images: strings("imageNames")?,
            pool, task: None, source, archive,
        },
        "FileTaskRunRequest" => Planned {
            run_type: "QuickRun",
            os: platform_os(body)?,
            docker_file: Some(body.string("taskFilePath")?.filter(|s| !s.is_empty()).ok_or_else(|| missing("taskFilePath"))?.to_string()),
            images: sample_file_images(source.as_deref(), body.string("taskFilePath")?.unwrap_or("")),
            pool, task: None, source, archive,
        },
        "EncodedTaskRunRequest" => {
            use base64::Engine;
            let content = body.string("encodedTaskContent")?.filter(|s| !s.is_empty()).ok_or_else(|| missing("encodedTaskContent"))?;
            if base64::engine::general_purpose::STANDARD.decode(content).is_err() {
                return Err(ArmError::bad_field("InvalidParameter", "encodedTaskContent", "encodedTaskContent must be base64."));
            }
            Planned { run_type: "QuickRun", os: platform_os(body)?, docker_file: None, images: Vec::new(), pool, task: None, source, archive }
        }
        "TaskRunRequest" => {
            if pool.is_some() {
                // The service refuses this: a task run uses the task's own agent pool.
                return Err(ArmError::bad_field(
                    "AgentPoolNotAllowedForTaskRun",
                    "agentPoolName",
                    "agentPoolName cannot be specified for a TaskRunRequest: the run uses the agent pool configured on the task. Update the task to change it.",
                ));
            }
            let task_id = body.required_string("taskId")?;
            // The example passes a name; a full resource id works too.
            let task_name = task_id.rsplit('/').next().unwrap_or(task_id);
            let task = state.tasks_of(r.key()).find(|t| same(&t.name, task_name)).ok_or_else(|| {
                ArmError::bad_field("TaskNotFound", "taskId", format!("The task '{task_name}' was not found in registry '{}'.", r.name))
            })?;
            let props = &task.properties;
            let step = |k: &str| props.get("step").and_then(|s| s.get(k)).and_then(|v| v.as_str()).map(String::from);
            let file = body.string("overrideTaskStepProperties.file")?.map(String::from).or_else(|| step("dockerFilePath")).or_else(|| step("taskFilePath"));
            Planned {
                run_type: "QuickRun",
                pool: task.agent_pool_name().map(String::from),
                task: Some(task.name.clone()),
                os: props.get("platform").and_then(|p| p.get("os")).and_then(|v| v.as_str()).unwrap_or("Linux").to_string(),
                images: props.get("step").and_then(|s| s.get("imageNames")).and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default(),
                source: step("contextPath"),
                docker_file: file,
                archive,
            }
        }
        other => {
            return Err(ArmError::bad_field(
                "InvalidRunRequestType",
                "type",
                format!("The run request type '{other}' is invalid: use DockerBuildRequest, FileTaskRunRequest, TaskRunRequest or EncodedTaskRunRequest."),
            ))
        }
    };
    check_timeout(body)?;
    if let Some(name) = &planned.pool {
        if !state.pool_index(r.key(), name).is_some() {
            return Err(ArmError::bad_field("AgentPoolNotFound", "agentPoolName", format!("The agent pool '{name}' was not found in registry '{}'.", r.name)));
        }
        if planned.os.eq_ignore_ascii_case("Windows") {
            return Err(ArmError::bad_field("OsTypeNotSupported", "platform.os", "Agent pools run Linux only; a Windows run cannot use one."));
        }
    }
    Ok(planned)
}

pub fn schedule(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let emu = call.emu;
    let mut state = emu.state();
    let registry = access::registry(call, &state, r, ACTION, Access::Write)?.clone();
    let body = Body::parse(&call.body)?;
    let planned = plan(&state, r, &body)?;
    let now = emu.clock.now_ms();
    state.run_counter += 1;
    let n = state.run_counter;
    let run_id = format!("ca{n}");
    // A build whose Dockerfile or image name says "fail" fails: a way for tests to get a failure.
    let will_fail = planned.docker_file.as_deref().is_some_and(|f| f.to_ascii_lowercase().contains("fail"))
        || planned.images.iter().any(|i| i.to_ascii_lowercase().contains("fail"));
    let run = Run {
        subscription: registry.subscription.clone(),
        resource_group: registry.resource_group.clone(),
        registry: registry.name.clone(),
        run_id: run_id.clone(),
        status: "Queued".into(),
        run_type: planned.run_type.into(),
        agent_pool_name: planned.pool,
        task_name: planned.task,
        create_ms: now,
        start_ms: None,
        finish_ms: None,
        last_updated_ms: now,
        duration_ms: emu.settings.run_ms + (n % 3) * emu.settings.run_ms / 4,
        will_fail,
        output_images: planned.images.iter().map(|i| image(&registry.name, i, &run_id, n)).collect(),
        platform_os: planned.os,
        is_archive_enabled: planned.archive,
        source_location: planned.source,
        docker_file: planned.docker_file,
        error_message: None,
        cpu: body.int("agentConfiguration.cpu")?.map(|c| c.clamp(1, 64) as u32),
        scheduled_by: Some(crate::store::Stamp::of(&call.caller.who(), now)),
        system_data: None,
        timer: None,
        script: None,
    };
    // Answered as queued, as recorded: the run starts a moment later (`sim::QUEUE_MS`).
    let answer = runs::queued_json(&run);
    state.runs.push(run);
    crate::sim::advance(&mut state, now);
    Ok(Json(answer).into_response())
}
