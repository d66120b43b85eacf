//! Find anything (issue 20): Ctrl-K (⌘K) or "/" opens a switcher over subscriptions, registries and
//! pools, from what this session already knows plus one Resource Graph query; "?" lists the
//! keyboard shortcuts. Both are native modal dialogs, usable from the keyboard alone.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::arm::id::{subscription_path, ResourceId};
use crate::components::dialog::Modal;
use crate::domain::search::{find, Item, Kind};

/// Pools seen this session (their id paths): the registry pages and the fleet add what they list.
#[derive(Clone, Copy)]
pub struct KnownPools(pub RwSignal<BTreeSet<String>>);

pub fn provide_known_pools() {
    provide_context(KnownPools(RwSignal::new(BTreeSet::new())));
}

/// Adds pools a page has listed.
pub fn learn_pools(paths: impl IntoIterator<Item = String>) {
    if let Some(KnownPools(known)) = use_context::<KnownPools>() {
        let new: Vec<String> = paths.into_iter().filter(|p| known.with_untracked(|k| !k.contains(p))).collect();
        if !new.is_empty() {
            known.update(|k| k.extend(new));
        }
    }
}

/// Whether a key press is typing into a field (where "/" and "?" are characters, not commands).
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|e| {
        let tag = e.tag_name().to_ascii_lowercase();
        tag == "input" || tag == "textarea" || tag == "select" || e.has_attribute("contenteditable")
    })
}

#[component]
pub fn Switcher() -> impl IntoView {
    let open = RwSignal::new(false);
    let help = RwSignal::new(false);
    // Resource Graph is asked once a page load, on the first open, not on every open.
    let registries = RwSignal::new(None::<Result<Vec<crate::arm::graph::GraphRegistry>, crate::arm::ArmError>>);
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.is_composing() {
            return;
        }
        let command = (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k");
        let bare = !(ev.ctrl_key() || ev.meta_key() || ev.alt_key()) && !typing(&ev);
        if command || (bare && ev.key() == "/") {
            ev.prevent_default();
            help.set(false);
            if !open.get_untracked() {
                open.set(true);
            }
        } else if bare && ev.key() == "?" {
            ev.prevent_default();
            open.set(false);
            if !help.get_untracked() {
                help.set(true);
            }
        }
    });
    on_cleanup(move || listener.remove());
    view! {
        <button type="button" class="find" on:click=move |_| open.set(true) aria-keyshortcuts="Control+K /">
            "Find" <kbd class="small">"Ctrl K"</kbd>
        </button>
        <Modal open title="Go to" id="switcher">
            <Finder open registries/>
        </Modal>
        <Modal open=help title="Keyboard shortcuts" id="shortcuts">
            <dl class="facts shortcuts">
                <dt><kbd>"Ctrl K"</kbd>" or "<kbd>"/"</kbd></dt><dd>"Go to a subscription, registry or pool by name"</dd>
                <dt><kbd>"↑"</kbd>" "<kbd>"↓"</kbd>" "<kbd>"Enter"</kbd></dt><dd>"Choose in the list, and open"</dd>
                <dt><kbd>"?"</kbd></dt><dd>"This list"</dd>
                <dt><kbd>"Esc"</kbd></dt><dd>"Close a dialog or menu"</dd>
            </dl>
        </Modal>
    }
}

/// The search box and its list (drawn only while the dialog is open).
#[component]
fn Finder(open: RwSignal<bool>, registries: RwSignal<Option<Result<Vec<crate::arm::graph::GraphRegistry>, crate::arm::ArmError>>>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let directory = crate::live::directory::use_directory();
    let known = use_context::<KnownPools>().map(|k| k.0);
    // One Resource Graph query for every registry the user can see (on the first open).
    if registries.with_untracked(Option::is_none) {
        let client = crate::ctx::ctx().client;
        leptos::task::spawn_local(async move {
            let found = crate::arm::graph::registries(&client).await;
            let _ = registries.try_set(Some(found));
        });
    }
    let items = Memo::new(move |_| {
        let mut items: Vec<Item> = directory
            .all()
            .into_iter()
            .map(|(id, name)| Item { kind: Kind::Subscription, name, context: id.clone(), path: subscription_path(&id) })
            .collect();
        if let Some(Ok(list)) = registries.get() {
            items.extend(list.iter().filter_map(|r| match ResourceId::parse(&r.id) {
                Ok(ResourceId::Registry(id)) => Some(Item { kind: Kind::Registry, name: r.name.clone(), context: format!("{} · {}", r.resource_group, r.location), path: id.path() }),
                _ => None,
            }));
        }
        let mut pools: Vec<String> = crate::prefs::recent_pools();
        if let Some(k) = known {
            pools.extend(k.get());
        }
        items.extend(pools.iter().filter_map(|p| match ResourceId::parse(p) {
            Ok(ResourceId::AgentPool(id)) => Some(Item { kind: Kind::Pool, name: id.name.clone(), context: format!("in {}", id.registry.name), path: id.path() }),
            _ => None,
        }));
        items
    });
    let hits = Memo::new(move |_| items.with(|all| find(all, &query.get(), 12).into_iter().cloned().collect::<Vec<Item>>()));
    // The option chosen, kept within the list as it changes (registries arriving after an arrow).
    let chosen = Memo::new(move |_| hits.with(|h| (!h.is_empty()).then(|| active.get().min(h.len() - 1))));
    let go = move |path: String| {
        open.set(false);
        crate::nav::navigate(&path, false);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = hits.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                active.set((chosen.get_untracked().unwrap_or(n - 1) + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.set((chosen.get_untracked().unwrap_or(0) + n - 1) % n);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(hit) = chosen.get_untracked().and_then(|i| hits.with_untracked(|h| h.get(i).cloned())) {
                    go(hit.path);
                }
            }
            _ => {}
        }
    };
    let option_id = |i: usize| format!("switcher-option-{i}");
    view! {
        <label for="switcher-input" class="visually-hidden">"Name of a subscription, registry or pool"</label>
        <input id="switcher-input" type="text" autofocus autocomplete="off" spellcheck="false" placeholder="Name of a subscription, registry or pool"
            role="combobox" aria-expanded=move || (!hits.with(Vec::is_empty)).to_string() aria-controls="switcher-list" aria-autocomplete="list"
            aria-activedescendant=move || chosen.get().map(option_id)
            prop:value=move || query.get()
            on:input=move |ev| { query.set(event_target_value(&ev)); active.set(0); }
            on:keydown=on_key/>
        <ul id="switcher-list" role="listbox" aria-label="Matches" class="switcher-list">
            {move || hits.get().into_iter().enumerate().map(|(i, hit)| {
                let path = hit.path.clone();
                view! {
                    <li id=option_id(i) role="option" aria-selected=move || (chosen.get() == Some(i)).to_string()
                        class:active=move || chosen.get() == Some(i)
                        on:click=move |_| go(path.clone())>
                        <span class="switcher-name">{hit.name.clone()}</span>
                        <span class="muted small">{format!("{} · {}", hit.kind.word(), hit.context)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="muted small" role="status">{move || {
            let n = hits.with(Vec::len);
            let reading = registries.with(Option::is_none);
            match (n, reading) {
                (0, true) => "Looking for registries…".to_string(),
                (0, false) => "Nothing by that name that this browser knows. Pools show once their registry's page or the fleet has listed them.".to_string(),
                (n, _) => format!("{n} match{}: ↑ ↓ to choose, Enter to open.", if n == 1 { "" } else { "es" }),
            }
        }}</p>
    }
}
