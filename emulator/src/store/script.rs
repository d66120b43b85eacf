//! What a scheduled-scaling run's steps print, as ACR's runner stamps its own lines and as the
//! Azure CLI prints `az login --identity` and `az acr agentpool update`: shared by the runs the
//! simulation plays (`sim::cli`) and the demo's past week of them.

use serde_json::{json, Value};

use crate::authority::users::TENANT_ID;
use crate::store::{pool_id, AgentPool};

/// A run's log lines, each with when it shows (ms after the run started).
pub struct Log {
    pub start: u64,
    pub lines: Vec<(u64, String)>,
}

impl Log {
    pub fn new(start: u64) -> Log {
        let mut log = Log { start, lines: Vec::new() };
        log.at(0, "Alias support enabled for version >= 1.1.0, please see https://aka.ms/acr/tasks/task-aliases for more information.");
        log.step(0, 0);
        log
    }

    /// A line of the runner's, stamped.
    pub fn at(&mut self, after_ms: u64, text: impl Into<String>) {
        let t = time::OffsetDateTime::from_unix_timestamp(((self.start + after_ms) / 1000) as i64).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let f = time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
        self.lines.push((after_ms, format!("{} {}", t.format(&f).unwrap_or_default(), text.into())));
    }

    /// A step begins.
    pub fn step(&mut self, after_ms: u64, n: u8) {
        self.at(after_ms, format!("Executing step ID: acb_step_{n}. Timeout(sec): 600, Working directory: '', Network: 'acb_default_network'"));
        self.at(after_ms, format!("Launching container with name: acb_step_{n}"));
    }

    /// Output of a step, unstamped.
    pub fn print(&mut self, after_ms: u64, text: &str) {
        for line in text.lines() {
            self.lines.push((after_ms, line.to_string()));
        }
    }

    /// `az login --identity` worked: the subscriptions (id, name) it sees, then step 1 begins.
    pub fn logged_in(&mut self, subscriptions: &[(String, String)]) {
        let accounts: Vec<Value> = subscriptions
            .iter()
            .enumerate()
            .map(|(n, (id, name))| json!({
                "environmentName": "AzureCloud", "homeTenantId": TENANT_ID, "id": id, "isDefault": n == 0, "managedByTenants": [],
                "name": name, "state": "Enabled", "tenantId": TENANT_ID,
                "user": { "assignedIdentityInfo": "MSI", "name": "systemAssignedIdentity", "type": "servicePrincipal" }
            }))
            .collect();
        self.print(0, &serde_json::to_string_pretty(&accounts).unwrap_or_default());
        self.at(0, "Successfully executed container: acb_step_0");
        self.step(0, 1);
    }

    /// The update ended at `after_ms`: the CLI prints the pool.
    pub fn scaled(&mut self, after_ms: u64, pool: &AgentPool, count: i32) {
        let mut shown = json!({
            "count": count, "id": pool_id(pool), "location": pool.location, "name": pool.name, "os": pool.os,
            "provisioningState": "Succeeded", "resourceGroup": pool.resource_group, "tier": pool.tier,
            "type": "Microsoft.ContainerRegistry/registries/agentPools",
            "virtualNetworkSubnetResourceId": pool.subnet,
        });
        if let Some(sd) = &pool.system_data {
            shown["systemData"] = json!({ "createdBy": sd.created.by, "createdByType": sd.created.by_type, "lastModifiedBy": sd.last_modified.by, "lastModifiedByType": sd.last_modified.by_type });
        }
        self.print(after_ms, &serde_json::to_string_pretty(&shown).unwrap_or_default());
        self.at(after_ms, "Successfully executed container: acb_step_1");
    }
}

/// An ARM error as the CLI prints it.
pub fn arm_error(code: &str, message: &str) -> String {
    format!("ERROR: ({code}) {message}\nCode: {code}\nMessage: {message}")
}
