//! In what order a fan-out reads (issue 22): what is on screen first, then the rest, each read
//! started only when its subscription's window has room. A read is never parked at the gate:
//! one that waited there would still go after the tab was hidden or the rows scrolled away, and
//! would take the place of one on screen. Pure: the gate is asked through a function.

use std::collections::BTreeMap;

use crate::arm::concurrency::{subscription_of_path, Wait};

/// Reads still to start, by subscription (lower-cased), each by its key (a registry's path,
/// lower-cased): the keys of one subscription are taken in order.
#[derive(Debug)]
pub struct ReadOrder<T> {
    by_subscription: BTreeMap<String, BTreeMap<String, T>>,
    len: usize,
    /// The subscription the last read was taken from: the next is taken from the one after it,
    /// round the list, so no subscription is always last (a pass cut short by a hidden tab
    /// would otherwise leave the same ones unread each time).
    last: Option<String>,
}

/// What to do next.
#[derive(Debug, PartialEq)]
pub enum Next<T> {
    /// Start this read.
    Start(String, T),
    /// Every subscription left is full: wait for a read to end.
    Full,
    /// Every subscription left is waiting out a 429; the soonest may go in this many ms.
    After(f64),
    /// Nothing left.
    Done,
}

impl<T> ReadOrder<T> {
    pub fn new(items: impl IntoIterator<Item = (String, T)>) -> Self {
        let mut by_subscription: BTreeMap<String, BTreeMap<String, T>> = BTreeMap::new();
        let mut len = 0;
        for (key, item) in items {
            if by_subscription.entry(subscription_of_path(&key)).or_default().insert(key, item).is_none() {
                len += 1;
            }
        }
        ReadOrder { by_subscription, len, last: None }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The next read to start: the first of `seen` (keys on screen, top first) still to read
    /// that its subscription has room for, else the first key of the next subscription (round
    /// the list) with room. `room` is the gate's answer for a subscription and a read (a read
    /// may be more than one request).
    pub fn next(&mut self, seen: &[String], room: impl Fn(&str, &T) -> Result<(), Wait>) -> Next<T> {
        if self.len == 0 {
            return Next::Done;
        }
        let mut soonest: Option<f64> = None;
        let mut all_paused = true;
        let mut may = |sub: &str, item: &T| match room(sub, item) {
            Ok(()) => true,
            Err(Wait::For(ms)) => {
                soonest = Some(soonest.map_or(ms, |s: f64| s.min(ms)));
                false
            }
            Err(Wait::Slot) => {
                all_paused = false;
                false
            }
        };
        let on_screen = seen.iter().find_map(|key| {
            let sub = subscription_of_path(key);
            let item = self.by_subscription.get(&sub)?.get(key)?;
            may(&sub, item).then(|| (sub, key.clone()))
        });
        let chosen = on_screen.or_else(|| {
            let after = self.last.clone().unwrap_or_default();
            let (later, earlier): (Vec<_>, Vec<_>) = self.by_subscription.iter().partition(|(sub, _)| **sub > after);
            later.into_iter().chain(earlier).find_map(|(sub, keys)| {
                let (key, item) = keys.iter().next()?;
                may(sub, item).then(|| (sub.clone(), key.clone()))
            })
        });
        let Some((sub, key)) = chosen else {
            return match soonest {
                // All left wait out a 429: wait for the soonest. Some full: a read ending comes first.
                Some(ms) if all_paused => Next::After(ms),
                _ => Next::Full,
            };
        };
        let keys = self.by_subscription.get_mut(&sub).expect("chosen from here");
        let item = keys.remove(&key).expect("chosen from here");
        if keys.is_empty() {
            self.by_subscription.remove(&sub);
        }
        self.len -= 1;
        self.last = Some(sub);
        Next::Start(key, item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(sub: &str, reg: &str) -> String {
        format!("/subscriptions/{sub}/resourcegroups/g/providers/microsoft.containerregistry/registries/{reg}")
    }

    fn started<T>(n: Next<T>) -> String {
        match n {
            Next::Start(k, _) => k.rsplit('/').next().unwrap().to_string(),
            _ => panic!("nothing started"),
        }
    }

    #[test]
    fn on_screen_first_then_the_rest_taking_the_subscriptions_in_turn() {
        let mut order = ReadOrder::new(["a1", "a2", "a3", "b1", "b2", "c1"].map(|r| (key(&r[..1], r), ())));
        let seen = vec![key("b", "b2"), key("zz", "gone")];
        let open = |_: &str, _: &()| Ok(());
        let taken: Vec<String> = (0..6).map(|_| started(order.next(&seen, open))).collect();
        assert_eq!(taken, ["b2", "c1", "a1", "b1", "a2", "a3"], "b2 on screen, then c, a, b, a… in turn");
        assert_eq!(order.next(&seen, open), Next::Done);
    }

    #[test]
    fn a_read_that_does_not_fit_its_window_waits() {
        // The gate is asked for the read itself: one of two requests may not fit where one does.
        let mut order = ReadOrder::new([(key("a", "a1"), 2u32), (key("a", "a2"), 1)]);
        let one_left = |_: &str, n: &u32| if *n <= 1 { Ok(()) } else { Err(Wait::Slot) };
        assert_eq!(order.next(&[], one_left), Next::Full, "a1 needs two: the first of a waits its turn");
        assert_eq!(order.len(), 2);
    }

    #[test]
    fn a_full_subscription_is_passed_over_and_a_paused_one_waited_for() {
        let mut order = ReadOrder::new(["a1", "a2", "b1"].map(|r| (key(&r[..1], r), ())));
        let seen = vec![key("a", "a2")];
        // a is full: its row on screen waits, b goes.
        let a_full = |s: &str, _: &()| if s == "a" { Err(Wait::Slot) } else { Ok(()) };
        assert_eq!(started(order.next(&seen, a_full)), "b1");
        assert_eq!(order.next(&seen, a_full), Next::Full);
        // a waits out a 429: nothing else to do, so wait for it.
        let a_paused = |s: &str, _: &()| if s == "a" { Err(Wait::For(700.0)) } else { Ok(()) };
        assert_eq!(order.next(&seen, a_paused), Next::After(700.0));
        assert_eq!(order.len(), 2);
        assert_eq!(started(order.next(&seen, |_, _| Ok(()))), "a2");
    }

    #[test]
    fn paused_and_full_together_wait_for_a_read_to_end() {
        let mut order = ReadOrder::new(["a1", "b1"].map(|r| (key(&r[..1], r), ())));
        let gate = |s: &str, _: &()| if s == "a" { Err(Wait::For(5_000.0)) } else { Err(Wait::Slot) };
        assert_eq!(order.next(&[], gate), Next::Full);
    }

}
