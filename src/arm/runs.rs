//! Runs (Microsoft.ContainerRegistry 2019-06-01-preview): listed by pool for the live queue,
//! scheduled on a pool, read, cancelled; their logs reached by SAS link.

use serde::{Deserialize, Serialize};

use super::Extra;
use crate::domain::queue::{describe, trigger, RunView};

pub const API_VERSION: &str = "2019-06-01-preview";

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub properties: RunProperties,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Queued | Started | Running | Succeeded | Failed | Canceled | Error | Timeout
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_pool_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_images: Option<Vec<ImageDescriptor>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_error_message: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageDescriptor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl ImageDescriptor {
    /// `registry/repository:tag`.
    pub fn reference(&self) -> String {
        let reg = self.registry.as_deref().map(|r| format!("{r}/")).unwrap_or_default();
        let tag = self.tag.as_deref().map(|t| format!(":{t}")).unwrap_or_default();
        format!("{reg}{}{tag}", self.repository.as_deref().unwrap_or(""))
    }
}

/// `{logLink, logArtifactLink}`: SAS links to blob storage.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_artifact_link: Option<String>,
}

impl Run {
    pub fn run_id(&self) -> &str {
        self.properties.run_id.as_deref().or(self.name.as_deref()).unwrap_or("")
    }

    pub fn status(&self) -> &str {
        self.properties.status.as_deref().unwrap_or("")
    }

    pub fn view(&self) -> RunView {
        let t = |s: &Option<String>| s.as_deref().and_then(parse_rfc3339_ms);
        RunView {
            run_id: self.run_id().to_string(),
            status: self.status().to_string(),
            // A run without a readable creation time sorts after every other (and shows no age).
            create_ms: t(&self.properties.create_time).unwrap_or(u64::MAX),
            start_ms: t(&self.properties.start_time),
            finish_ms: t(&self.properties.finish_time),
            what: describe(self.properties.task.as_deref(), &self.images(), self.properties.run_type.as_deref()).to_string(),
            trigger: trigger(self.has("sourceTrigger"), self.has("timerTrigger"), self.has("imageUpdateTrigger")).to_string(),
        }
    }

    /// `registry/repository:tag` of each image it pushed.
    pub fn images(&self) -> Vec<String> {
        self.properties.output_images.as_deref().unwrap_or_default().iter().map(ImageDescriptor::reference).collect()
    }

    /// Whether a property is there (and not null).
    fn has(&self, key: &str) -> bool {
        self.properties.extra.get(key).is_some_and(|v| !v.is_null())
    }
}

/// A quick build (DockerBuildRequest) or a run of a task (TaskRunRequest). A task run carries no
/// `agentPoolName`: the service refuses one and uses the task's pool.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum RunRequest {
    #[serde(rename_all = "camelCase")]
    DockerBuildRequest {
        source_location: String,
        docker_file_path: String,
        image_names: Vec<String>,
        is_push_enabled: bool,
        platform: Platform,
        agent_pool_name: String,
    },
    #[serde(rename_all = "camelCase")]
    TaskRunRequest { task_id: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Platform {
    pub os: String,
}

impl Platform {
    pub fn linux() -> Platform {
        Platform { os: "Linux".into() }
    }
}

/// `$filter` for a pool's runs, as the CLI writes its filters (`TaskName eq 'x'`).
pub fn pool_filter(pool: &str) -> String {
    format!("AgentPoolName eq '{}'", pool.replace('\'', "''"))
}

/// `$filter` for the runs of any of `tasks` (the spec allows `or`): a schedule's runs.
pub fn tasks_filter(tasks: &[String]) -> String {
    tasks.iter().map(|t| format!("TaskName eq '{}'", t.replace('\'', "''"))).collect::<Vec<_>>().join(" or ")
}

/// `createTime ge …` and the pool: a pool's runs queued since `since_ms`.
pub fn history_filter(pool: &str, since_ms: u64) -> String {
    format!("{} and CreateTime ge {}", pool_filter(pool), format_rfc3339_ms(since_ms))
}

pub use crate::domain::time::format_rfc3339_ms;

pub use crate::domain::time::parse_rfc3339_ms;

#[cfg(target_arch = "wasm32")]
mod calls {
    use gloo_net::http::Method;

    use super::*;
    use crate::arm::client::ArmClient;
    use crate::arm::id::{RegistryId, RunId};
    use crate::arm::pager::Page;
    use crate::arm::ArmError;

    /// The newest `top` runs of a pool that are not queued (one page: enough for a live view).
    /// Queued runs are read on their own, all of them: left in, a long queue would push the
    /// running runs out of the page, and the pool would look as if nothing ran.
    pub async fn list_for_pool(client: &ArmClient, registry: &RegistryId, pool: &str, top: u32) -> Result<Vec<Run>, ArmError> {
        let filter: String = url_encode(&format!("{} and Status ne 'Queued'", pool_filter(pool)));
        let page: Page<Run> = client.get(&format!("{}/runs?api-version={API_VERSION}&$filter={filter}&$top={top}", registry.path())).await?;
        Ok(page.value)
    }

    /// The newest `top` runs of a task (a schedule rule's: what its timer did).
    pub async fn list_for_task(client: &ArmClient, registry: &RegistryId, task: &str, top: u32) -> Result<Vec<Run>, ArmError> {
        let filter: String = url_encode(&format!("TaskName eq '{}'", task.replace('\'', "''")));
        let page: Page<Run> = client.get(&format!("{}/runs?api-version={API_VERSION}&$filter={filter}&$top={top}", registry.path())).await?;
        Ok(page.value)
    }

    /// The newest `top` runs of any of `tasks`, in one request.
    pub async fn list_for_tasks(client: &ArmClient, registry: &RegistryId, tasks: &[String], top: u32) -> Result<Vec<Run>, ArmError> {
        let filter: String = url_encode(&tasks_filter(tasks));
        let page: Page<Run> = client.get(&format!("{}/runs?api-version={API_VERSION}&$filter={filter}&$top={top}", registry.path())).await?;
        Ok(page.value)
    }

    /// The first page of a pool's runs, newest first (its `nextLink` leads on).
    pub async fn first_page_for_pool(client: &ArmClient, registry: &RegistryId, pool: &str) -> Result<Page<Run>, ArmError> {
        let filter: String = url_encode(&pool_filter(pool));
        client.get(&format!("{}/runs?api-version={API_VERSION}&$filter={filter}", registry.path())).await
    }

    /// The page a `nextLink` names.
    pub async fn next_page(client: &ArmClient, next_link: &str) -> Result<Page<Run>, ArmError> {
        client.get_url(next_link).await
    }

    /// A pool's runs queued since `since_ms`, newest first, page by page as they arrive (until
    /// `on_page` says stop). Returns the number of pages.
    pub async fn list_since(client: &ArmClient, registry: &RegistryId, pool: &str, since_ms: u64, on_page: impl FnMut(Vec<Run>) -> bool) -> Result<usize, ArmError> {
        let filter = url_encode(&history_filter(pool, since_ms));
        client.list_pages(&format!("{}/runs?api-version={API_VERSION}&$filter={filter}", registry.path()), on_page).await
    }

    /// Every queued run of a pool, over as many pages as it takes.
    pub async fn list_queued_for_pool(client: &ArmClient, registry: &RegistryId, pool: &str) -> Result<Vec<Run>, ArmError> {
        let filter = url_encode(&format!("{} and Status eq 'Queued'", pool_filter(pool)));
        client.list_all(&format!("{}/runs?api-version={API_VERSION}&$filter={filter}", registry.path())).await
    }

    /// Queued and running runs of a whole registry: one request for every pool's queue and
    /// what it runs (the pools' status).
    pub async fn list_active(client: &ArmClient, registry: &RegistryId) -> Result<Vec<Run>, ArmError> {
        let filter = url_encode("Status eq 'Queued' or Status eq 'Started' or Status eq 'Running'");
        client.list_all(&format!("{}/runs?api-version={API_VERSION}&$filter={filter}", registry.path())).await
    }

    pub async fn get(client: &ArmClient, id: &RunId) -> Result<Run, ArmError> {
        client.get(&format!("{}?api-version={API_VERSION}", id.path())).await
    }

    /// Not idempotent in the service's eyes: a lost answer is not retried into a second run.
    pub async fn schedule(client: &ArmClient, registry: &RegistryId, request: &RunRequest) -> Result<Run, ArmError> {
        client.write(Method::POST, &format!("{}/scheduleRun?api-version={API_VERSION}", registry.path()), request, false).await?.json()
    }

    /// Not repeated blindly: a lost answer to a cancel that worked would come back 409.
    pub async fn cancel(client: &ArmClient, id: &RunId) -> Result<(), ArmError> {
        client.call(Method::POST, &format!("{}/cancel?api-version={API_VERSION}", id.path()), false).await.map(|_| ())
    }

    pub async fn log_link(client: &ArmClient, id: &RunId) -> Result<LogLink, ArmError> {
        client.call(Method::POST, &format!("{}/listLogSasUrl?api-version={API_VERSION}", id.path()), true).await?.json()
    }

    fn url_encode(s: &str) -> String {
        js_sys::encode_uri_component(s).as_string().unwrap_or_default()
    }
}

#[cfg(target_arch = "wasm32")]
pub use calls::*;


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_parse_to_epoch_milliseconds() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339_ms("2023-11-14T22:13:20.123Z"), Some(1_700_000_000_123));
        assert_eq!(parse_rfc3339_ms("2023-11-14T23:13:20.1+01:00"), Some(1_700_000_000_100));
        assert_eq!(parse_rfc3339_ms("2018-01-25T05:13:51.6180000Z"), Some(1_516_857_231_618));
        assert_eq!(parse_rfc3339_ms("2021-06-15T21:40:12.8506835+00:00"), Some(1_623_793_212_850));
        assert_eq!(parse_rfc3339_ms("yesterday"), None);
        assert_eq!(parse_rfc3339_ms("2023-11-14T22:13:20.123é+0"), None, "no panic on a non-ASCII offset");
        assert_eq!(parse_rfc3339_ms("2023-13-14T22:13:20Z"), None);
        assert_eq!(parse_rfc3339_ms("2023-11-14T22:13:20+0100"), None);
    }

    #[test]
    fn requests_serialise_as_the_service_expects() {
        let quick = RunRequest::DockerBuildRequest {
            source_location: "https://github.com/x/y.git".into(),
            docker_file_path: "Dockerfile".into(),
            image_names: vec!["web:{{.Run.ID}}".into()],
            is_push_enabled: true,
            platform: Platform::linux(),
            agent_pool_name: "build-s2".into(),
        };
        let v = serde_json::to_value(&quick).unwrap();
        assert_eq!(v["type"], "DockerBuildRequest");
        assert_eq!(v["agentPoolName"], "build-s2");
        assert_eq!(v["dockerFilePath"], "Dockerfile");
        let task = serde_json::to_value(RunRequest::TaskRunRequest { task_id: "nightly".into() }).unwrap();
        assert_eq!(task, serde_json::json!({"type": "TaskRunRequest", "taskId": "nightly"}));
        assert!(task.get("agentPoolName").is_none(), "a task run never names a pool");
    }

    #[test]
    fn times_format_as_arm_writes_them_and_read_back() {
        assert_eq!(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_rfc3339_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(format_rfc3339_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        for ms in [0u64, 951_782_400_000, 1_795_392_000_999, 4_102_444_800_000] {
            assert_eq!(parse_rfc3339_ms(&format_rfc3339_ms(ms)), Some(ms));
        }
        assert_eq!(history_filter("build-s2", 0), "AgentPoolName eq 'build-s2' and CreateTime ge 1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn pool_filters_quote_like_odata() {
        assert_eq!(pool_filter("build-s2"), "AgentPoolName eq 'build-s2'");
        assert_eq!(pool_filter("o'brien"), "AgentPoolName eq 'o''brien'");
        assert_eq!(tasks_filter(&["a".into(), "b'c".into()]), "TaskName eq 'a' or TaskName eq 'b''c'");
    }
}
