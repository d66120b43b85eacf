//! The emulator as a library, so integration tests can start it in-process.

pub mod admin;
pub mod arm;
pub mod authority;
pub mod blob;
pub mod clock;
pub mod faults;
pub mod ids;
pub mod log;
pub mod portal;
pub mod server;
pub mod sim;
pub mod store;
pub mod tls;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

/// The public URLs of the listeners, without trailing slash.
#[derive(Clone, Debug, Serialize)]
pub struct Origins {
    pub portal: String,
    pub arm: String,
    pub login: String,
    /// Where run logs are served, like a storage account's blob endpoint (SAS links, no bearer).
    pub blob: String,
    pub admin: String,
}

impl Origins {
    /// `host:port` of the sign-in authority, as msal's `knownAuthorities` wants it.
    pub fn login_host(&self) -> &str {
        self.login.trim_start_matches("https://")
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub dist: PathBuf,
    pub token_lifetime_secs: u64,
    pub page_size: usize,
    /// Simulated milliseconds a pool create/update/delete takes.
    pub lro_ms: u64,
    /// Simulated milliseconds a run takes once started (varied a little per run).
    pub run_ms: u64,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Seed hostile strings too (`store::demo::hostile`).
    pub hostile: bool,
    /// Whether tasks' timer triggers fire.
    pub timers: bool,
}

impl Settings {
    pub fn new(dist: PathBuf) -> Settings {
        Settings { dist, token_lifetime_secs: 3600, page_size: 100, lro_ms: 20_000, run_ms: 45_000, speed: 1.0, hostile: false, timers: true }
    }
}

/// Everything the listeners share.
pub struct Emulator {
    pub origins: Origins,
    pub settings: Settings,
    pub keys: authority::keys::SigningKeys,
    pub grants: authority::grants::Grants,
    pub store: Mutex<store::State>,
    pub clock: clock::Clock,
    pub faults: faults::Faults,
    pub rate: arm::pipeline::ratelimit::RateLimit,
    pub log: log::RequestLog,
    /// Where state is saved after every change, if anywhere.
    pub data_dir: Option<PathBuf>,
    /// Signs log links (the SAS `sig`), fresh each start.
    pub sas_key: String,
}

impl Emulator {
    pub fn new(
        origins: Origins,
        settings: Settings,
        data_dir: Option<&Path>,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        let saved = match data_dir {
            Some(dir) => store::persist::load(dir)?,
            None => None,
        };
        let clock = clock::Clock::new(settings.speed, saved.as_ref().map_or(0, |s| s.saved_at_ms));
        let mut state = saved.unwrap_or_else(|| store::demo::seed(clock.now_ms(), settings.hostile));
        state.sim = store::SimSettings { lro_ms: settings.lro_ms, run_ms: settings.run_ms };
        state.timers_off = !settings.timers;
        Ok(Emulator {
            keys: authority::keys::SigningKeys::load_or_create(data_dir)?,
            grants: authority::grants::Grants::default(),
            store: Mutex::new(state),
            clock,
            faults: faults::Faults::default(),
            rate: arm::pipeline::ratelimit::RateLimit::default(),
            log: log::RequestLog::default(),
            data_dir: data_dir.map(Path::to_path_buf),
            sas_key: random_token(32),
            origins,
            settings,
        })
    }

    /// The state brought up to the current simulated time.
    pub fn current(&self) -> std::sync::MutexGuard<'_, store::State> {
        let mut state = self.state();
        sim::advance(&mut state, self.clock.now_ms());
        state
    }

    /// Saves the state after a change, when a data dir was given.
    pub fn persist(&self, state: &mut store::State) {
        if let Some(dir) = &self.data_dir {
            state.saved_at_ms = self.clock.now_ms();
            if let Err(e) = store::persist::save(dir, state) {
                eprintln!("could not save state: {e}");
            }
        }
    }

    /// The store. A handler that panicked must not take every later request down with it, so a
    /// poisoned lock is recovered (state changes are made whole before any call that could panic).
    pub fn state(&self) -> std::sync::MutexGuard<'_, store::State> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The audience of ARM access tokens, like `https://management.core.windows.net/` on Azure.
    /// Deliberately not the ARM endpoint's URL: the portal must keep the two apart, as on Azure.
    pub const ARM_RESOURCE: &'static str = "https://management.pool-portal.test/";

    /// The issuer of every token we sign (Entra's v2.0 issuer shape).
    pub fn issuer(&self) -> String {
        format!("{}/{}/v2.0", self.origins.login, authority::users::TENANT_ID)
    }
}

/// Writes a private key readable by its owner only.
pub fn write_private(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents)
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escape_neutralises_markup() {
        assert_eq!(
            html_escape(r#"<img src=x onerror="alert('1')">&"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn guids_have_the_v4_shape() {
        let g = new_guid();
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
        assert_ne!(g, new_guid());
    }
}

pub use ids::{new_guid, now_secs, random_token};
