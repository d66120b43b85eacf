//! Starting the listeners, for `main` and for in-process tests.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use crate::{admin, arm, authority, blob, portal, tls, Emulator, Origins, Settings};

#[derive(Clone, Debug)]
pub struct Options {
    pub host: IpAddr,
    pub portal_port: u16,
    pub arm_port: u16,
    pub login_port: u16,
    pub blob_port: u16,
    pub admin_port: u16,
    pub data_dir: Option<PathBuf>,
    pub settings: Settings,
}

impl Options {
    /// Loopback, free ports, no data dir: what tests want.
    pub fn ephemeral(dist: PathBuf) -> Options {
        Options {
            host: IpAddr::from([127, 0, 0, 1]),
            portal_port: 0,
            arm_port: 0,
            login_port: 0,
            blob_port: 0,
            admin_port: 0,
            data_dir: None,
            settings: Settings::new(dist),
        }
    }
}

/// Loopback of the same family as `host`.
pub fn admin_host(host: IpAddr) -> IpAddr {
    match host {
        IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
    }
}

fn bind(host: IpAddr, port: u16) -> std::io::Result<TcpListener> {
    let listener = TcpListener::bind(SocketAddr::new(host, port))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Binds every listener, then serves them on the current tokio runtime.
pub async fn start(options: Options) -> Result<Arc<Emulator>, Box<dyn std::error::Error>> {
    let portal_l = bind(options.host, options.portal_port)?;
    let arm_l = bind(options.host, options.arm_port)?;
    let login_l = bind(options.host, options.login_port)?;
    let blob_l = bind(options.host, options.blob_port)?;
    // The admin port resets, revokes, seeds and injects faults without authentication: it stays on
    // loopback whatever `host` says, so sharing the emulator on a network never shares it.
    let admin_l = bind(admin_host(options.host), options.admin_port)?;
    // Listening on every address (`0.0.0.0`) is no address to name: the origins, which the
    // certificate covers, stay on loopback (colleagues come in through a tunnel).
    let https = |l: &TcpListener| -> std::io::Result<String> {
        let mut addr = l.local_addr()?;
        if addr.ip().is_unspecified() {
            addr.set_ip(admin_host(addr.ip()));
        }
        Ok(format!("https://{addr}"))
    };
    let origins = Origins {
        portal: https(&portal_l)?,
        arm: https(&arm_l)?,
        login: https(&login_l)?,
        blob: https(&blob_l)?,
        admin: format!("http://{}", admin_l.local_addr()?),
    };
    let data_dir = options.data_dir.as_deref();
    if let Some(dir) = data_dir {
        std::fs::create_dir_all(dir)?;
    }
    let tls_config = axum_server::tls_rustls::RustlsConfig::from_config(tls::server_config(data_dir)?);
    let emulator = Arc::new(Emulator::new(origins, options.settings, data_dir)?);

    for (listener, app) in [
        (portal_l, portal::router(emulator.clone())),
        (login_l, authority::router(emulator.clone())),
        (blob_l, blob::router(emulator.clone())),
    ] {
        let server = axum_server::from_tcp_rustls(listener, tls_config.clone())?;
        tokio::spawn(async move {
            if let Err(e) = server.serve(app.into_make_service()).await {
                eprintln!("listener stopped: {e}");
            }
        });
    }
    // ARM goes through a service that can drop a request unanswered (a fault switch): when the
    // service fails, hyper closes an HTTP/1.1 connection, and resets the request's stream on
    // HTTP/2 (the connection and its other requests go on, as a browser meets it at a front
    // door); either way the client gets no answer. A router never fails.
    let arm_app = arm::router(emulator.clone());
    let for_faults = emulator.clone();
    let arm_service = tower::service_fn(move |request: axum::http::Request<hyper::body::Incoming>| {
        let request = request.map(axum::body::Body::new);
        let app = arm_app.clone();
        let emu = for_faults.clone();
        async move {
            let peek = format!("{} {}", request.method(), request.uri().path_and_query().map_or("/", |p| p.as_str()));
            if emu.faults.take_drop(&peek) {
                emu.log.push(crate::log::Entry::dropped(&request));
                return Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "fault: connection dropped"));
            }
            tower::ServiceExt::oneshot(app, request).await.map_err(|never| match never {})
        }
    });
    let server = axum_server::from_tcp_rustls(arm_l, tls_config.clone())?;
    tokio::spawn(async move {
        if let Err(e) = server.serve(tower::make::Shared::new(arm_service)).await {
            eprintln!("ARM listener stopped: {e}");
        }
    });
    let admin_app = admin::router(emulator.clone());
    let admin_listener = tokio::net::TcpListener::from_std(admin_l)?;
    tokio::spawn(async move {
        if let Err(e) = axum::serve(admin_listener, admin_app).await {
            eprintln!("admin listener stopped: {e}");
        }
    });
    Ok(emulator)
}
