//! Test-only admin endpoint, plain HTTP on its own loopback port: never reachable from the portal's
//! origins, so nothing the browser does can flip a switch here.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use crate::{log::Entry, Emulator, Origins};

#[derive(Deserialize)]
struct After {
    #[serde(default)]
    after: u64,
}

async fn requests(State(emulator): State<Arc<Emulator>>, Query(q): Query<After>) -> Json<Vec<Entry>> {
    Json(emulator.log.since(q.after))
}

async fn origins(State(emulator): State<Arc<Emulator>>) -> Json<Origins> {
    Json(emulator.origins.clone())
}

pub fn router(emulator: Arc<Emulator>) -> Router {
    Router::new()
        .route("/requests", get(requests))
        .route("/origins", get(origins))
        .with_state(emulator)
}
