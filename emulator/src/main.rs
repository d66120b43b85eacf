//! Pool Portal's stand-in for Azure: one process, separate HTTPS origins for the portal, ARM and the
//! sign-in authority (as on Azure, so CORS and token audiences are exercised for real), plus a plain
//! HTTP admin port on loopback for tests.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;

use pool_portal_emulator::{admin, arm, authority, portal, tls, Emulator, Origins, Settings};

#[derive(Parser, Debug)]
#[command(name = "emulator", about = "ARM + sign-in emulator for Pool Portal")]
struct Args {
    /// The built portal (Trunk's output) to serve on the portal origin.
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Keep the certificate authority, TLS and signing keys here (and, later, state). Without it,
    /// fresh keys are made on every start.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Address to listen on. Loopback only by default: this is a test double, not a server.
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
    /// Port of the plain-HTTP admin endpoint for tests (0 = any free port).
    #[arg(long, default_value_t = 8446)]
    admin_port: u16,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime: u64,
    /// Items per page in ARM list responses (smaller values exercise nextLink paging).
    #[arg(long, default_value_t = 100)]
    page_size: usize,
}

fn bind(host: IpAddr, port: u16) -> std::io::Result<TcpListener> {
    let listener = TcpListener::bind(SocketAddr::new(host, port))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let portal_l = bind(args.host, args.portal_port)?;
    let arm_l = bind(args.host, args.arm_port)?;
    let login_l = bind(args.host, args.login_port)?;
    let admin_l = bind(args.host, args.admin_port)?;
    let https = |l: &TcpListener| -> std::io::Result<String> {
        Ok(format!("https://{}", l.local_addr()?))
    };
    let origins = Origins {
        portal: https(&portal_l)?,
        arm: https(&arm_l)?,
        login: https(&login_l)?,
        admin: format!("http://{}", admin_l.local_addr()?),
    };

    if let Some(dir) = &args.data_dir {
        std::fs::create_dir_all(dir)?;
    }
    let tls_config = tls::server_config(args.data_dir.as_deref())?;
    let emulator = Arc::new(Emulator::new(
        origins.clone(),
        Settings {
            dist: args.dist.clone(),
            token_lifetime_secs: args.token_lifetime,
            page_size: args.page_size.max(1),
        },
        args.data_dir.as_deref(),
    )?);

    let rustls_config = axum_server::tls_rustls::RustlsConfig::from_config(tls_config);
    let serve_tls = |listener: TcpListener, app: axum::Router| {
        let config = rustls_config.clone();
        tokio::spawn(async move {
            let server = axum_server::from_tcp_rustls(listener, config).expect("listener");
            if let Err(e) = server.serve(app.into_make_service()).await {
                eprintln!("listener stopped: {e}");
            }
        })
    };
    serve_tls(portal_l, portal::router(emulator.clone()));
    serve_tls(arm_l, arm::router(emulator.clone()));
    serve_tls(login_l, authority::router(emulator.clone()));
    let admin_app = admin::router(emulator.clone());
    tokio::spawn(async move {
        let listener = tokio::net::TcpListener::from_std(admin_l).expect("admin listener");
        axum::serve(listener, admin_app).await.expect("admin server");
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
    println!("  Admin:    {}/  (request log, for tests)", o.admin);
    if let Some(dir) = data_dir {
        println!("  CA certificate (trust it to skip browser warnings): {}", dir.join("ca.pem").display());
    }
    println!("Demo users (pick one on the sign-in page):");
    for user in authority::users::USERS {
        println!("  {:<22} {}", user.name, user.summary);
    }
    let sp = &authority::users::SERVICE_PRINCIPAL;
    println!(
        "Service principal (client credentials): client_id={} client_secret={}",
        sp.client_id, sp.secret
    );
    // One machine-readable line for scripts and tests that start us on free ports.
    println!("READY {}", serde_json::to_string(o).expect("origins serialise"));
}
