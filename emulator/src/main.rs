//! Pool Portal's stand-in for Azure: one process, separate HTTPS origins for the portal, ARM and the
//! sign-in authority (as on Azure, so CORS and token audiences are exercised for real), plus a plain
//! HTTP admin port on loopback for tests.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;

use pool_portal_emulator::server::{start, Options};
use pool_portal_emulator::faults::FaultConfig;
use pool_portal_emulator::{authority, Emulator, Settings};

#[derive(Parser, Debug)]
#[command(name = "emulator", about = "ARM + sign-in emulator for Pool Portal")]
struct Args {
    /// The built portal (Trunk's output) to serve on the portal origin.
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Keep the certificate authority, TLS and signing keys here. Without it, fresh keys are made
    /// on every start.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Address to listen on. Loopback by default: this is a test double, not a server.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port of the portal origin (0 = any free port).
    #[arg(long, default_value_t = 8443)]
    portal_port: u16,
    /// Port of the ARM origin (0 = any free port).
    #[arg(long, default_value_t = 8444)]
    arm_port: u16,
    /// Port of the sign-in authority origin (0 = any free port).
    #[arg(long, default_value_t = 8445)]
    login_port: u16,
    /// Port of the plain-HTTP admin endpoint for tests (0 = any free port). Always on loopback,
    /// whatever --host says.
    #[arg(long, default_value_t = 8446)]
    admin_port: u16,
    /// Port of the log origin, where listLogSasUrl links point (0 = any free port).
    #[arg(long, default_value_t = 8447)]
    blob_port: u16,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime: u64,
    /// Items per page in ARM list responses (small values exercise nextLink paging).
    #[arg(long, default_value_t = 100)]
    page_size: usize,
    /// Seed hostile strings (markup, script, javascript: URLs, ANSI escapes) into a pool, a task
    /// and a run of contosobuilds, for testing that the portal shows them as text.
    #[arg(long)]
    hostile_demo: bool,
    /// Tasks' timer triggers do not fire: the demo's scheduled scaling stays still, for tests that
    /// need its counts to stay put whatever the hour (timers fire by default, as on Azure).
    #[arg(long)]
    no_timers: bool,
    /// Simulated seconds a pool create, update or delete takes.
    #[arg(long, default_value_t = 20.0)]
    lro_seconds: f64,
    /// Simulated seconds a run takes once it has an agent (varied a little per run).
    #[arg(long, default_value_t = 45.0)]
    run_seconds: f64,
    /// Simulated seconds per real second (tests speed time up).
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    #[command(flatten)]
    faults: FaultArgs,
}

/// Fault switches at start (the admin port can change them later: PUT /faults).
#[derive(clap::Args, Debug)]
struct FaultArgs {
    /// Real milliseconds added to every ARM response.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Answer the next N ARM requests with 429 and Retry-After.
    #[arg(long, default_value_t = 0)]
    throttle: u32,
    /// The Retry-After (seconds) of injected 429s.
    #[arg(long, default_value_t = 2)]
    retry_after: u32,
    /// Answer the next N ARM requests with a server error.
    #[arg(long, default_value_t = 0)]
    server_errors: u32,
    /// Status of injected server errors: 500 or 503.
    #[arg(long, default_value_t = 503)]
    server_error_status: u16,
    /// Drop the connection of the next N ARM requests without answering.
    #[arg(long, default_value_t = 0)]
    drop_connections: u32,
    /// Make the next N pool operations end Failed.
    #[arg(long, default_value_t = 0)]
    fail_operations: u32,
    /// Refuse the next N ARM requests as if the token had expired.
    #[arg(long, default_value_t = 0)]
    expire_tokens: u32,
    /// Do not expose Location, Azure-AsyncOperation and Retry-After to browsers (CORS).
    #[arg(long)]
    withhold_lro_headers: bool,
    /// Answer this api-version as if the cloud lacked it (repeatable), e.g. 2025-03-01-preview.
    #[arg(long)]
    refuse_api_version: Vec<String>,
    /// Serve logs without CORS headers, as a storage account without CORS rules.
    #[arg(long)]
    refuse_log_cors: bool,
    /// Only requests whose "METHOD /path?query" contains this get the counted faults.
    #[arg(long, default_value = "")]
    fault_match: String,
    /// ARM's read throttling: a bucket of this many reads per subscription and principal
    /// (Azure's: 250), refilled at --read-refill a second; 0 (the default) leaves it off.
    #[arg(long, default_value_t = 0)]
    read_limit: u32,
    /// Reads a second back in the bucket (Azure's: 25).
    #[arg(long, default_value_t = 25)]
    read_refill: u32,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if !args.host.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach the emulator can sign in as any demo user \
             (Owner included) without a password. This is a test double; keep it on loopback. The \
             admin port stays on loopback.",
            args.host
        );
    }
    let emulator = start(Options {
        host: args.host,
        portal_port: args.portal_port,
        arm_port: args.arm_port,
        login_port: args.login_port,
        blob_port: args.blob_port,
        admin_port: args.admin_port,
        data_dir: args.data_dir.clone(),
        settings: Settings {
            dist: args.dist,
            token_lifetime_secs: args.token_lifetime,
            page_size: args.page_size.max(1),
            lro_ms: (args.lro_seconds.max(0.0) * 1000.0) as u64,
            run_ms: (args.run_seconds.max(0.1) * 1000.0) as u64,
            speed: args.speed,
            hostile: args.hostile_demo,
            timers: !args.no_timers,
        },
    })
    .await?;
    let f = &args.faults;
    emulator.faults.set(FaultConfig {
        latency_ms: f.latency_ms,
        throttle: f.throttle,
        retry_after_secs: f.retry_after,
        server_errors: f.server_errors,
        server_error_status: f.server_error_status,
        drop_connections: f.drop_connections,
        fail_operations: f.fail_operations,
        expire_tokens: f.expire_tokens,
        withhold_lro_headers: f.withhold_lro_headers,
        refuse_log_cors: f.refuse_log_cors,
        matching: f.fault_match.clone(),
        deny_actions: Vec::new(),
        refuse_api_versions: f.refuse_api_version.clone(),
        read_bucket: f.read_limit,
        read_refill_per_sec: f.read_refill,
    });
    print_banner(&emulator, args.data_dir.as_deref());
    tokio::signal::ctrl_c().await?;
    Ok(())
}

fn print_banner(emulator: &Emulator, data_dir: Option<&std::path::Path>) {
    let o = &emulator.origins;
    println!("Pool Portal emulator is up.");
    println!("  Portal:   {}/", o.portal);
    println!("  ARM:      {}/", o.arm);
    println!("  Sign-in:  {}/{}", o.login, authority::users::TENANT_ID);
    println!("  Logs:     {}/  (run logs by SAS link)", o.blob);
    println!("  Admin:    {}/  (request log, for tests)", o.admin);
    if let Some(dir) = data_dir {
        println!("  State:    {} (kept across restarts)", pool_portal_emulator::store::persist::state_file(dir).display());
        println!("  CA certificate (trust it to skip browser warnings): {}", dir.join("ca.pem").display());
    }
    println!("Demo users (pick one on the sign-in page):");
    for user in authority::users::USERS {
        println!("  {:<16} {:<22} {}", user.name, user.username, user.summary);
    }
    let sp = &authority::users::SERVICE_PRINCIPAL;
    println!("Service principal (client credentials): client_id={} client_secret={}", sp.client_id, sp.secret);
    println!("ARM token audience: {}  (scope {}/.default)", Emulator::ARM_RESOURCE, Emulator::ARM_RESOURCE);
    // One machine-readable line for scripts and tests that start us on free ports.
    println!("READY {}", serde_json::to_string(o).expect("origins serialise"));
}
