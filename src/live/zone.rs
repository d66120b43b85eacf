//! Named time zones in the browser, through `Intl` (no time-zone database in the wasm): the
//! offset of a zone at any instant, daylight saving included, and the browser's own zone.

use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::schedule::{DAY_MS, HOUR_MS, MIN_MS};
use crate::domain::time::days_from_civil;

/// Zones offered besides the browser's own: UTC and a few per region (a select, not free text,
/// so no zone can be misspelt).
pub const COMMON: [&str; 16] = [
    "UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Stockholm", "America/New_York", "America/Chicago",
    "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai",
    "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
];

/// The browser's zone (`Europe/London`), or UTC if it says none.
pub fn browser_zone() -> String {
    let options = Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
    Reflect::get(&options, &"timeZone".into()).ok().and_then(|z| z.as_string()).unwrap_or_else(|| "UTC".into())
}

/// The zone name to use for `wanted` (a tag or a link may carry any text): the name itself when
/// the browser knows it, else UTC, the zone the cron runs in anyway.
pub fn known_or_utc(wanted: &str) -> String {
    if NamedZone::try_new(wanted).is_some() {
        wanted.to_string()
    } else {
        "UTC".to_string()
    }
}

/// A zone by its IANA name.
pub struct NamedZone {
    format: Intl::DateTimeFormat,
}

impl NamedZone {
    /// The zone, or UTC when the browser does not know the name (never throws: a misspelt
    /// zone in a task's tag must not take the page down).
    pub fn new(name: &str) -> NamedZone {
        NamedZone::try_new(name).or_else(|| NamedZone::try_new("UTC")).expect("every browser knows UTC")
    }

    /// The zone, or None when `Intl` throws a RangeError for the name.
    pub fn try_new(name: &str) -> Option<NamedZone> {
        let options = Object::new();
        let set = |k: &str, v: &str| {
            let _ = Reflect::set(&options, &k.into(), &v.into());
        };
        set("timeZone", name);
        set("hourCycle", "h23");
        for k in ["year", "month", "day", "hour", "minute", "second"] {
            set(k, "numeric");
        }
        // Reflect.construct rather than `Intl::DateTimeFormat::new`, whose binding cannot catch.
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let constructor: js_sys::Function = Reflect::get(&intl, &"DateTimeFormat".into()).ok()?.dyn_into().ok()?;
        let args = Array::of2(&Array::of1(&"en-US".into()), &options);
        let format = Reflect::construct(&constructor, &args).ok()?;
        Some(NamedZone { format: format.unchecked_into() })
    }
}

impl crate::domain::schedule::Zone for NamedZone {
    fn offset_min(&self, utc_ms: u64) -> i32 {
        let whole = utc_ms / 1000 * 1000;
        let date = js_sys::Date::new(&JsValue::from_f64(whole as f64));
        let parts = self.format.format_to_parts(&date);
        let mut v = [0i64; 6];
        for part in parts.iter() {
            let kind = Reflect::get(&part, &"type".into()).ok().and_then(|t| t.as_string()).unwrap_or_default();
            let value = Reflect::get(&part, &"value".into()).ok().and_then(|t| t.as_string()).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
            let i = match kind.as_str() {
                "year" => 0,
                "month" => 1,
                "day" => 2,
                "hour" => 3,
                "minute" => 4,
                "second" => 5,
                _ => continue,
            };
            v[i] = value;
        }
        let local = days_from_civil(v[0], v[1] as u32, v[2] as u32) * DAY_MS as i64 + v[3] * HOUR_MS as i64 + v[4] * MIN_MS as i64 + v[5] * 1000;
        ((local - whole as i64) / MIN_MS as i64) as i32
    }
}
