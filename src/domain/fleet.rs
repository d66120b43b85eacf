//! The fleet (issue 11): every agent pool the user can see, one row each. Which rows show and in
//! what order is a `View`, kept in the URL's query (`/pools?status=Failed&tier=S2`) so a link shows
//! a colleague the same rows; totals, facet counts and the CSV are computed from the rows shown.

/// One pool of the fleet as the table shows it; kept as it is in the browser's store for a
/// repeat visit (`live::stored`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub subscription_id: String,
    /// The subscription's display name, or its id while that is not known.
    pub subscription: String,
    pub registry: String,
    pub pool: String,
    /// The pool's page (its resource id).
    pub path: String,
    pub tier: String,
    pub instances: i32,
    pub vcpu: u32,
    /// The status word (`domain::status`): what the filter, facet and sort use.
    pub status: String,
    /// The status with its numbers: "Waiting (2 queued, 0 instances)".
    pub status_text: String,
    /// ARM's `provisioningState`, kept as secondary text.
    pub provisioning_state: String,
    /// Runs waiting for the pool (`None`: the registry's runs could not be read, or not yet).
    pub queued: Option<u32>,
    /// The registry's runs are not read yet (the pool is known from Resource Graph): "…", not "?".
    pub unread: bool,
    /// How long the oldest of them has waited.
    pub oldest_wait_ms: Option<u64>,
    /// Rules of the pool's schedule (issue 21; 0: none; `None`: the tasks could not be read).
    pub schedule_rules: Option<usize>,
    /// The schedule's next change: when (UTC ms) and to how many instances.
    pub next_change: Option<(u64, u32)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Subscription,
    Registry,
    Pool,
    Tier,
    Instances,
    Vcpu,
    State,
    Queued,
    OldestWait,
    Schedule,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Subscription,
        Column::Registry,
        Column::Pool,
        Column::Tier,
        Column::Instances,
        Column::Vcpu,
        Column::State,
        Column::Queued,
        Column::OldestWait,
        Column::Schedule,
    ];

    /// Its name in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Column::Subscription => "subscription",
            Column::Registry => "registry",
            Column::Pool => "pool",
            Column::Tier => "tier",
            Column::Instances => "instances",
            Column::Vcpu => "vcpu",
            Column::State => "status",
            Column::Queued => "queued",
            Column::OldestWait => "wait",
            Column::Schedule => "schedule",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Column::Subscription => "Subscription",
            Column::Registry => "Registry",
            Column::Pool => "Pool",
            Column::Tier => "Tier",
            Column::Instances => "Instances",
            Column::Vcpu => "vCPU",
            Column::State => "Status",
            Column::Queued => "Queued",
            Column::OldestWait => "Oldest wait",
            Column::Schedule => "Schedule",
        }
    }

    pub fn numeric(self) -> bool {
        matches!(self, Column::Instances | Column::Vcpu | Column::Queued | Column::OldestWait)
    }

    fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// Which rows, in which order: what the URL says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// Pool name contains (any case).
    pub text: String,
    /// Subscription id.
    pub subscription: Option<String>,
    pub registry: Option<String>,
    pub tier: Option<String>,
    pub state: Option<String>,
    /// Only pools with runs waiting.
    pub queued: bool,
    /// Only pools with a schedule.
    pub scheduled: bool,
    pub sort: Column,
    pub ascending: bool,
}

impl Default for View {
    fn default() -> Self {
        View { text: String::new(), subscription: None, registry: None, tier: None, state: None, queued: false, scheduled: false, sort: Column::Subscription, ascending: true }
    }
}

/// `%`-decodes a query value (and `+` as a space, as forms write it). Invalid escapes stay as
/// they are; invalid UTF-8 is replaced.
/// A query-string value decoded (`+` is a space).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `%`-encodes everything but unreserved characters.
/// A query-string value encoded (unreserved characters kept).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl View {
    /// From `location.search` (with or without its `?`). Unknown keys are ignored; a bad sort
    /// falls back to the default.
    pub fn from_query(query: &str) -> View {
        let mut v = View::default();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, val) = pair.split_once('=').unwrap_or((pair, ""));
            let val = decode(val);
            let some = |x: String| if x.is_empty() { None } else { Some(x) };
            match decode(k).as_str() {
                "q" => v.text = val,
                "subscription" => v.subscription = some(val),
                "registry" => v.registry = some(val),
                "tier" => v.tier = some(val),
                // `state` is what links said before the status was derived.
                "status" | "state" => v.state = some(val),
                "queued" => v.queued = val == "1" || val == "true",
                "scheduled" => v.scheduled = val == "1" || val == "true",
                "sort" => v.sort = Column::from_key(&val).unwrap_or(v.sort),
                "dir" => v.ascending = val != "desc",
                _ => {}
            }
        }
        v
    }

    /// The query that gives this view back (`?` included when not empty), shortest form: defaults
    /// are left out.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        let mut add = |k: &str, v: &str| parts.push(format!("{k}={}", encode(v)));
        if !self.text.is_empty() {
            add("q", &self.text);
        }
        for (k, v) in [("subscription", &self.subscription), ("registry", &self.registry), ("tier", &self.tier), ("status", &self.state)] {
            if let Some(v) = v {
                add(k, v);
            }
        }
        if self.queued {
            add("queued", "1");
        }
        if self.scheduled {
            add("scheduled", "1");
        }
        let default = View::default();
        if self.sort != default.sort || self.ascending != default.ascending {
            add("sort", self.sort.key());
            add("dir", if self.ascending { "asc" } else { "desc" });
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    pub fn matches(&self, r: &Row) -> bool {
        (self.text.is_empty() || r.pool.to_lowercase().contains(&self.text.to_lowercase())) && self.matches_but_text(r)
    }

    /// Every filter but the name's (which `order` tests with the text lower-cased once).
    fn matches_but_text(&self, r: &Row) -> bool {
        let eq = |want: &Option<String>, have: &str| want.as_ref().is_none_or(|w| w.eq_ignore_ascii_case(have));
        eq(&self.subscription, &r.subscription_id)
            && eq(&self.registry, &r.registry)
            && eq(&self.tier, &r.tier)
            && eq(&self.state, &r.status)
            && (!self.queued || r.queued.unwrap_or(0) > 0)
            && (!self.scheduled || r.schedule_rules.unwrap_or(0) > 0)
    }

    /// The rows this view shows, in its order (ties broken by subscription, registry, pool, so
    /// the order never depends on when answers arrived).
    pub fn apply<'a>(&self, rows: &'a [Row]) -> Vec<&'a Row> {
        self.order(rows).into_iter().map(|i| &rows[i]).collect()
    }

    /// The rows the view shows, in its order, as indices into `rows`: what a table that draws
    /// only the rows on screen keeps between scrolls.
    /// Each row's sort key is made once (lower-cased text), not at every comparison: at
    /// thousands of rows that is most of a filter change's time.
    pub fn order(&self, rows: &[Row]) -> Vec<usize> {
        let needle = self.text.to_lowercase();
        let mut keyed: Vec<(Key, (String, String, String), usize)> = (0..rows.len())
            .filter(|&i| self.matches_but_text(&rows[i]) && (needle.is_empty() || rows[i].pool.to_lowercase().contains(&needle)))
            .map(|i| (key(&rows[i], self.sort), natural(&rows[i]), i))
            .collect();
        keyed.sort_by(|a, b| {
            let by = a.0.cmp(&b.0);
            let by = if self.ascending { by } else { by.reverse() };
            by.then_with(|| a.1.cmp(&b.1))
        });
        keyed.into_iter().map(|(_, _, i)| i).collect()
    }

    /// The same view with one column's sort: the other way if it was already sorted by it.
    pub fn sorted_by(&self, column: Column) -> View {
        let ascending = if self.sort == column { !self.ascending } else { !column.numeric() };
        View { sort: column, ascending, ..self.clone() }
    }
}

fn natural(r: &Row) -> (String, String, String) {
    (r.subscription.to_lowercase(), r.registry.to_lowercase(), r.pool.to_lowercase())
}

/// What a column sorts by.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Text(String),
    Number(i64),
    Unsigned(u64),
}

fn key(r: &Row, column: Column) -> Key {
    match column {
        Column::Subscription => Key::Text(r.subscription.to_lowercase()),
        Column::Registry => Key::Text(r.registry.to_lowercase()),
        Column::Pool => Key::Text(r.pool.to_lowercase()),
        Column::Tier => Key::Text(r.tier.to_lowercase()),
        Column::Instances => Key::Number(i64::from(r.instances)),
        Column::Vcpu => Key::Number(i64::from(r.vcpu)),
        Column::State => Key::Text(r.status.to_lowercase()),
        // Unknown counts sort below zero.
        Column::Queued => Key::Number(r.queued.map(i64::from).unwrap_or(-1)),
        // No wait sorts below any (as `None < Some` did).
        Column::OldestWait => Key::Number(r.oldest_wait_ms.map_or(-1, |w| w.min(i64::MAX as u64) as i64)),
        // The soonest change first; pools without a schedule after every one that has.
        Column::Schedule => Key::Unsigned(r.next_change.map(|(at, _)| at).unwrap_or(u64::MAX)),
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub pools: usize,
    pub instances: i64,
    pub vcpu: u64,
    /// Runs waiting, over the pools whose queue is known.
    pub queued: u64,
    /// Registries of these rows whose runs are not read yet (their queues count 0 meanwhile).
    pub unread_registries: usize,
}

pub fn totals(rows: &[&Row]) -> Totals {
    let mut unread: Vec<(&str, &str)> = rows.iter().filter(|r| r.unread).map(|r| (r.subscription_id.as_str(), r.registry.as_str())).collect();
    unread.sort_unstable();
    unread.dedup();
    let sum = rows.iter().fold(Totals::default(), |t, r| Totals {
        pools: t.pools + 1,
        instances: t.instances + i64::from(r.instances.max(0)),
        vcpu: t.vcpu + u64::from(r.vcpu),
        queued: t.queued + u64::from(r.queued.unwrap_or(0)),
        unread_registries: 0,
    });
    Totals { unread_registries: unread.len(), ..sum }
}

/// A facet's choices: each value with its number of rows (ordered by value), counted over the
/// rows the *other* filters leave, so a choice says what picking it would show.
pub fn facet(rows: &[Row], view: &View, column: Column) -> Vec<(String, String, usize)> {
    let mut without = view.clone();
    match column {
        Column::Subscription => without.subscription = None,
        Column::Registry => without.registry = None,
        Column::Tier => without.tier = None,
        Column::State => without.state = None,
        _ => {}
    }
    // Counted by value without case, each value and label borrowed from its first row: at
    // thousands of rows and hundreds of registries, this runs for every facet at every filter
    // change (a list searched row by row took most of one).
    let needle = without.text.to_lowercase();
    let mut counts: std::collections::BTreeMap<String, (&str, &str, usize)> = std::collections::BTreeMap::new();
    for r in rows.iter().filter(|r| without.matches_but_text(r) && (needle.is_empty() || r.pool.to_lowercase().contains(&needle))) {
        // (value in the URL, label shown)
        let (value, label) = match column {
            Column::Subscription => (r.subscription_id.as_str(), r.subscription.as_str()),
            Column::Registry => (r.registry.as_str(), r.registry.as_str()),
            Column::Tier => (r.tier.as_str(), r.tier.as_str()),
            Column::State => (r.status.as_str(), r.status.as_str()),
            _ => continue,
        };
        counts.entry(value.to_ascii_lowercase()).or_insert((value, label, 0)).2 += 1;
    }
    let mut out: Vec<(String, String, usize)> = counts.into_values().map(|(v, l, n)| (v.to_string(), l.to_string(), n)).collect();
    out.sort_by_cached_key(|(_, label, _)| label.to_lowercase());
    out
}

/// A pool's queue as one runs list of its registry tells it: how many wait, since when the oldest
/// (its creation time, ms), and how many run now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolQueue {
    pub queued: u32,
    pub oldest_created_ms: Option<u64>,
    pub running: u32,
}

/// Queued and running runs by pool (lower-cased name), from `(pool, status, created ms)` of a
/// registry's runs.
pub fn pool_queues<'a>(runs: impl IntoIterator<Item = (Option<&'a str>, &'a str, u64)>) -> std::collections::BTreeMap<String, PoolQueue> {
    let mut out = std::collections::BTreeMap::<String, PoolQueue>::new();
    for (pool, status, created) in runs {
        let Some(pool) = pool else { continue };
        match status {
            "Queued" => {
                let q = out.entry(pool.to_ascii_lowercase()).or_default();
                q.queued += 1;
                if created != u64::MAX {
                    q.oldest_created_ms = Some(q.oldest_created_ms.map_or(created, |o| o.min(created)));
                }
            }
            s if crate::domain::queue::is_running(s) => out.entry(pool.to_ascii_lowercase()).or_default().running += 1,
            _ => {}
        }
    }
    out
}

/// `1 min 5 s`, `42 s`: a wait as the queue view writes it.
pub fn wait_text(ms: Option<u64>) -> String {
    match ms {
        None => "—".into(),
        Some(ms) => crate::domain::queue::duration(ms),
    }
}

/// One CSV field (RFC 4180), made safe for spreadsheets: a value that starts like a formula gets
/// a leading `'` so it is never evaluated.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The rows shown, as CSV (header first, CRLF line ends).
pub fn csv(rows: &[&Row]) -> String {
    let mut out = String::from("Subscription,Subscription id,Registry,Pool,Tier,Instances,vCPU,Status,Provisioning state,Queued,Oldest wait (s),Schedule rules,Next change (UTC),Next count,Pool id\r\n");
    for r in rows {
        let cells = [
            field(&r.subscription),
            field(&r.subscription_id),
            field(&r.registry),
            field(&r.pool),
            field(&r.tier),
            r.instances.to_string(),
            r.vcpu.to_string(),
            field(&r.status_text),
            field(&r.provisioning_state),
            r.queued.map_or_else(String::new, |q| q.to_string()),
            r.oldest_wait_ms.map_or_else(String::new, |ms| (ms / 1000).to_string()),
            r.schedule_rules.map_or_else(String::new, |n| n.to_string()),
            r.next_change.map_or_else(String::new, |(at, _)| crate::domain::time::format_rfc3339_ms(at)),
            r.next_change.map_or_else(String::new, |(_, n)| n.to_string()),
            field(&r.path),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(sub: &str, registry: &str, pool: &str, tier: &str, instances: i32, state: &str, queued: Option<u32>) -> Row {
        Row {
            subscription_id: format!("id-{sub}"),
            subscription: sub.into(),
            registry: registry.into(),
            pool: pool.into(),
            path: format!("/subscriptions/id-{sub}/x/{registry}/agentPools/{pool}"),
            tier: tier.into(),
            instances,
            vcpu: instances as u32 * 2,
            status: state.into(),
            status_text: state.into(),
            provisioning_state: if state == "Failed" { "Failed" } else { "Succeeded" }.into(),
            queued,
            unread: false,
            oldest_wait_ms: queued.filter(|q| *q > 0).map(|q| u64::from(q) * 60_000),
            schedule_rules: Some(0),
            next_change: None,
        }
    }

    fn fleet() -> Vec<Row> {
        vec![
            row("Contoso", "builds", "build-s2", "S2", 2, "Running", Some(1)),
            row("Contoso", "builds", "nightly-s1", "S1", 0, "Waiting", Some(2)),
            row("Contoso", "builds", "vnet-s3", "S3", 0, "Failed", Some(0)),
            row("Fabrikam", "research", "train-s1", "S1", 1, "Idle", None),
        ]
    }

    fn pools(rows: &[&Row]) -> Vec<String> {
        rows.iter().map(|r| r.pool.clone()).collect()
    }

    #[test]
    fn a_link_gives_the_same_view_back() {
        let v = View { text: "nightly build".into(), state: Some("Failed".into()), tier: Some("S2".into()), queued: true, sort: Column::Queued, ascending: false, ..View::default() };
        let q = v.to_query();
        assert_eq!(q, "?q=nightly%20build&tier=S2&status=Failed&queued=1&sort=queued&dir=desc");
        assert_eq!(View::from_query(&q), v);
        assert_eq!(View::from_query("?state=Failed&tier=S2"), View { state: Some("Failed".into()), tier: Some("S2".into()), ..View::default() });
        assert_eq!(View::default().to_query(), "");
        assert_eq!(View::from_query("q=a+b%2Cc&sort=nonsense&zz=1").text, "a b,c");
        assert_eq!(View::from_query("q=%E2%9C%93%zz").text, "✓%zz", "UTF-8 decoded, a bad escape kept");
    }

    #[test]
    fn filters_narrow_and_sorting_orders_with_a_stable_tiebreak() {
        let rows = fleet();
        assert_eq!(pools(&View::default().apply(&rows)), ["build-s2", "nightly-s1", "vnet-s3", "train-s1"]);
        assert_eq!(pools(&View::from_query("state=failed").apply(&rows)), ["vnet-s3"], "values match without case");
        assert_eq!(pools(&View::from_query("q=S1").apply(&rows)), ["nightly-s1", "train-s1"]);
        assert_eq!(pools(&View::from_query("queued=1").apply(&rows)), ["build-s2", "nightly-s1"]);
        assert_eq!(pools(&View::from_query("subscription=id-Fabrikam").apply(&rows)), ["train-s1"]);
        assert_eq!(pools(&View::from_query("sort=queued&dir=desc").apply(&rows)), ["nightly-s1", "build-s2", "vnet-s3", "train-s1"], "unknown queues last");
        assert_eq!(pools(&View::from_query("sort=instances&dir=asc").apply(&rows)), ["nightly-s1", "vnet-s3", "train-s1", "build-s2"]);
        let v = View::default().sorted_by(Column::Queued);
        assert!(!v.ascending, "numbers start with the largest");
        assert!(v.sorted_by(Column::Queued).ascending, "a second click turns the order");
    }

    #[test]
    fn totals_and_facets_count_what_is_shown() {
        let rows = fleet();
        let shown = View::default().apply(&rows);
        assert_eq!(totals(&shown), Totals { pools: 4, instances: 3, vcpu: 6, queued: 3, unread_registries: 0 });
        // Rows whose runs are not read yet, of two registries: two registries counted.
        let mut unread = fleet();
        for r in unread.iter_mut().filter(|r| r.pool != "build-s2") {
            (r.unread, r.queued) = (true, None);
        }
        let t = totals(&View::default().apply(&unread));
        assert_eq!((t.unread_registries, t.queued), (2, 1), "only what was read is summed");
        let view = View::from_query("tier=S1");
        // The tier facet ignores the tier filter itself; the state facet honours it.
        assert_eq!(facet(&rows, &view, Column::Tier).iter().map(|(v, _, n)| (v.as_str(), *n)).collect::<Vec<_>>(), [("S1", 2), ("S2", 1), ("S3", 1)]);
        assert_eq!(facet(&rows, &view, Column::State).iter().map(|(v, _, n)| (v.as_str(), *n)).collect::<Vec<_>>(), [("Idle", 1), ("Waiting", 1)]);
        assert_eq!(facet(&rows, &View::default(), Column::Subscription)[1], ("id-Fabrikam".into(), "Fabrikam".into(), 1));
    }

    #[test]
    fn queues_count_waiting_runs_by_pool_and_keep_the_oldest() {
        let q = pool_queues([(Some("Build-S2"), "Queued", 300), (Some("build-s2"), "Queued", 100), (Some("build-s2"), "Running", 50), (None, "Queued", 10), (Some("x"), "Queued", u64::MAX)]);
        assert_eq!(q["build-s2"], PoolQueue { queued: 2, oldest_created_ms: Some(100), running: 1 });
        assert_eq!(q["x"], PoolQueue { queued: 1, oldest_created_ms: None, running: 0 }, "a run without a time counts, without an age");
        assert_eq!(q.len(), 2);
    }

    #[test]
    fn scheduled_pools_filter_sort_by_their_next_change_and_export_it() {
        let mut rows = fleet();
        rows[1].schedule_rules = Some(2);
        rows[1].next_change = Some((1_796_000_000_000, 0));
        rows[3].schedule_rules = Some(1);
        rows[3].next_change = Some((1_795_990_000_000, 3));
        rows[2].schedule_rules = None;
        let v = View::from_query("scheduled=1");
        assert_eq!(v.to_query(), "?scheduled=1");
        assert_eq!(pools(&v.apply(&rows)), ["nightly-s1", "train-s1"], "unknown and none are left out");
        assert_eq!(pools(&View::from_query("sort=schedule&dir=asc").apply(&rows)), ["train-s1", "nightly-s1", "build-s2", "vnet-s3"], "soonest first, none last");
        let csv = csv(&View::from_query("scheduled=1&sort=schedule").apply(&rows));
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].contains(",Schedule rules,Next change (UTC),Next count,"));
        assert!(lines[1].contains(",train-s1,") && lines[1].contains(",1,2026-11-29T22:06:40.000Z,3,"), "{}", lines[1]);
    }

    #[test]
    fn the_csv_holds_the_rows_shown_and_is_safe_to_open() {
        let mut rows = fleet();
        rows[0].subscription = "=HYPERLINK(\"http://x\")".into();
        rows[1].registry = "a,b".into();
        let shown = View::from_query("subscription=id-Contoso").apply(&rows);
        let csv = csv(&shown);
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 1 + 3);
        assert!(lines[1].starts_with("\"'=HYPERLINK(\"\"http://x\"\")\",id-Contoso,builds,build-s2,S2,2,4,Running,Succeeded,1,60,"), "{}", lines[1]);
        assert!(lines[2].contains(",\"a,b\",nightly-s1,"));
        assert!(csv.ends_with("\r\n"));
    }
}
