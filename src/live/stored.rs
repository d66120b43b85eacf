//! What the browser keeps of the last fleet seen, for a repeat visit that paints at once (issue
//! 22): the table's rows (names, counts, states; never a token), in IndexedDB, one entry per user
//! and cloud, so that another user of the same browser never reads them. Everything is removed
//! at sign-out. IndexedDB is asynchronous and big enough for thousands of rows, where
//! localStorage blocks the page and holds a few megabytes. A browser without it (a private
//! window may refuse) simply has no repeat paint.

use js_sys::Promise;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

// A few lines of JavaScript: IndexedDB's request-and-event API wrapped in promises, shipped as a
// module file beside the app's own (the Content-Security-Policy allows only our origin's scripts).
#[wasm_bindgen(inline_js = r#"
const DB = 'pool-portal', STORE = 'views';
function open() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}
function run(mode, work) {
  return open().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = work(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(req.result); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
  }));
}
export function idb_get(key) { return run('readonly', (s) => s.get(key)); }
export function idb_put(key, value) { return run('readwrite', (s) => s.put(value, key)); }
export function idb_clear() { return run('readwrite', (s) => s.clear()); }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn idb_get(key: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn idb_put(key: &str, value: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn idb_clear() -> Result<Promise, JsValue>;
}

thread_local! {
    /// Set once sign-out has begun: nothing more is kept (a pass ending meanwhile would write
    /// the rows back after they were removed).
    static SIGNING_OUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A view's data as kept: when it was read (ms since the epoch), and what.
#[derive(Serialize, Deserialize)]
pub struct Kept<T> {
    pub at_ms: f64,
    pub data: T,
}

/// The key of `view` for the signed-in user in this cloud; `None` when no one is signed in.
pub fn key(view: &str) -> Option<String> {
    let c = crate::ctx::ctx();
    let user = c.session.user.as_ref().filter(|u| !u.id.is_empty())?;
    Some(format!("{view}|{}|{}", user.id, c.client.endpoint()))
}

/// What was kept under `key`, if anything readable.
pub async fn load<T: DeserializeOwned>(key: &str) -> Option<Kept<T>> {
    let value = JsFuture::from(idb_get(key).ok()?).await.ok()?;
    serde_json::from_str(&value.as_string()?).ok()
}

/// Keeps `data` under `key` (best effort: a full or refused store only loses the repeat paint).
pub async fn save<T: Serialize>(key: &str, data: &T) {
    if SIGNING_OUT.with(std::cell::Cell::get) {
        return;
    }
    let Ok(json) = serde_json::to_string(&Kept { at_ms: js_sys::Date::now(), data }) else { return };
    if let Ok(p) = idb_put(key, &json) {
        let _ = JsFuture::from(p).await;
    }
}

/// Removes everything kept, and keeps nothing from now on (sign-out). Waits at most two
/// seconds: a store that does not answer (another tab holding it open) must not stop the
/// sign-out; the next user's key differs anyway.
pub async fn clear() {
    SIGNING_OUT.with(|s| s.set(true));
    if let Ok(p) = idb_clear() {
        let cleared = JsFuture::from(p);
        let timeout = gloo_timers::future::TimeoutFuture::new(2_000);
        futures::pin_mut!(cleared);
        let _ = futures::future::select(cleared, timeout).await;
    }
}
