//! Bindings to the parts of msal-browser 5.x we use. The UMD build (served from our own origin)
//! defines the global `msal`.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = msal)]
    pub type PublicClientApplication;

    /// Throws if `msal` did not load or the configuration is rejected.
    #[wasm_bindgen(constructor, js_namespace = msal, catch)]
    pub fn new(configuration: &JsValue) -> Result<PublicClientApplication, JsValue>;

    #[wasm_bindgen(method)]
    pub fn initialize(this: &PublicClientApplication) -> Promise;

    /// Resolves with an `AuthenticationResult` when the page is the end of a sign-in redirect.
    #[wasm_bindgen(method, js_name = handleRedirectPromise)]
    pub fn handle_redirect_promise(this: &PublicClientApplication) -> Promise;

    #[wasm_bindgen(method, js_name = loginRedirect)]
    pub fn login_redirect(this: &PublicClientApplication, request: &JsValue) -> Promise;

    #[wasm_bindgen(method, js_name = acquireTokenSilent)]
    pub fn acquire_token_silent(this: &PublicClientApplication, request: &JsValue) -> Promise;

    #[wasm_bindgen(method, js_name = acquireTokenRedirect)]
    pub fn acquire_token_redirect(this: &PublicClientApplication, request: &JsValue) -> Promise;

    #[wasm_bindgen(method, js_name = logoutRedirect)]
    pub fn logout_redirect(this: &PublicClientApplication, request: &JsValue) -> Promise;

    #[wasm_bindgen(method, js_name = getAllAccounts)]
    pub fn get_all_accounts(this: &PublicClientApplication) -> Array;

    #[wasm_bindgen(method, js_name = getActiveAccount)]
    pub fn get_active_account(this: &PublicClientApplication) -> JsValue;

    #[wasm_bindgen(method, js_name = setActiveAccount)]
    pub fn set_active_account(this: &PublicClientApplication, account: &JsValue);
}

/// A string property of a JS object, if it has one.
pub fn string_field(obj: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(obj, &JsValue::from_str(name)).ok().and_then(|v| v.as_string())
}

/// Builds a JS object from JSON (msal's options are plain data).
pub fn js_object(value: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// Sets a property that must stay a live JS object (an account), not a JSON copy.
pub fn with_field(obj: JsValue, name: &str, value: &JsValue) -> JsValue {
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(name), value);
    obj
}
