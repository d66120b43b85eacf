//! Saves text as a file the browser downloads (the fleet's CSV, a run's log).

use wasm_bindgen::JsCast;

/// A byte-order mark first when `bom`, so spreadsheet programs read a CSV as UTF-8; the object
/// URL is let go once the download has started.
pub fn download_text(file_name: &str, mime: &str, text: &str, bom: bool) {
    let body = if bom { format!("\u{feff}{text}") } else { text.to_string() };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = link {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}
