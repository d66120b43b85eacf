//! The resource switcher's matching (issue 20): subscriptions, registries and pools, found by any
//! part of their name, best matches first, so a few keystrokes reach anything.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Pool,
    Registry,
    Subscription,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Pool => "Agent pool",
            Kind::Registry => "Registry",
            Kind::Subscription => "Subscription",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub name: String,
    /// Where it is: "in contosobuilds", a subscription's id.
    pub context: String,
    /// Its page.
    pub path: String,
}

/// How well `query` names `item` (lower is better), or `None`: the name starting with it first,
/// then a word of it (after `-`), then anywhere in the name, then in its context.
fn score(item: &Item, query: &str) -> Option<u8> {
    let name = item.name.to_lowercase();
    if name.starts_with(query) {
        Some(0)
    } else if name.split(['-', '_', ' ', '.']).any(|w| w.starts_with(query)) {
        Some(1)
    } else if name.contains(query) {
        Some(2)
    } else if item.context.to_lowercase().contains(query) {
        Some(3)
    } else {
        None
    }
}

/// At most `limit` items for `query` (trimmed, any case), best first; ties by kind (pools first:
/// what people open most), then name. An empty query lists what there is, in that order.
pub fn find<'a>(items: &'a [Item], query: &str, limit: usize) -> Vec<&'a Item> {
    let q = query.trim().to_lowercase();
    let mut hits: Vec<(u8, &Item)> = items.iter().filter_map(|i| if q.is_empty() { Some((0, i)) } else { score(i, &q).map(|s| (s, i)) }).collect();
    hits.sort_by(|(a, x), (b, y)| a.cmp(b).then(x.kind.cmp(&y.kind)).then(x.name.to_lowercase().cmp(&y.name.to_lowercase())));
    let mut seen = std::collections::BTreeSet::new();
    hits.into_iter().map(|(_, i)| i).filter(|i| seen.insert(i.path.to_lowercase())).take(limit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: Kind, name: &str) -> Item {
        Item { kind, name: name.into(), context: if kind == Kind::Pool { "in contosobuilds".into() } else { String::new() }, path: format!("/{name}") }
    }

    #[test]
    fn the_best_match_comes_first_and_pools_lead_ties() {
        let items = [item(Kind::Registry, "contosobuilds"), item(Kind::Pool, "build-s2"), item(Kind::Pool, "nightly-s1"), item(Kind::Subscription, "Contoso Platform"), item(Kind::Pool, "s1-builds")];
        let names = |q: &str| find(&items, q, 10).iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("build"), ["build-s2", "s1-builds", "contosobuilds", "nightly-s1"], "start, then a word, then anywhere, then where it is");
        assert_eq!(names("S1"), ["s1-builds", "nightly-s1"]);
        assert_eq!(names("contoso"), ["contosobuilds", "Contoso Platform", "build-s2", "nightly-s1", "s1-builds"], "a pool's registry counts, after names");
        assert_eq!(names("zzz"), Vec::<String>::new());
        assert_eq!(find(&items, "", 2).len(), 2);
        assert_eq!(find(&items, "  ", 10)[0].kind, Kind::Pool);
    }

    #[test]
    fn the_same_page_is_listed_once() {
        let items = [item(Kind::Pool, "build-s2"), item(Kind::Pool, "build-s2")];
        assert_eq!(find(&items, "b", 10).len(), 1);
    }
}
