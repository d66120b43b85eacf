//! A run's log (issue 20): numbered lines, each a link (`#L42`) to share, error lines marked, find
//! in the log, and download. Lines are added as the log grows: the view never jumps to the top.

use leptos::prelude::*;

use crate::domain::log_lines::{is_error, line_of_fragment, matching};

#[component]
pub fn LogView(#[prop(into)] text: Signal<Option<String>>, run_id: String) -> impl IntoView {
    let lines = Memo::new(move |_| text.with(|t| t.as_deref().unwrap_or("").lines().map(str::to_string).collect::<Vec<String>>()));
    let query = RwSignal::new(String::new());
    let found = Memo::new(move |_| lines.with(|l| matching(&l.iter().map(String::as_str).collect::<Vec<_>>(), &query.get())));
    let current = RwSignal::new(0usize);
    let errors = Memo::new(move |_| lines.with(|l| l.iter().filter(|x| is_error(x)).count()));
    let scroll_to = |n: usize| {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("L{n}"))) {
            el.scroll_into_view();
        }
    };
    // A link to a line (`#L42`): once the log holds that line, show it and mark it. The browser's
    // own `:target` cannot: the line did not exist when the page's fragment was read.
    let fragment = || web_sys::window().and_then(|w| w.location().hash().ok()).and_then(|h| line_of_fragment(&h));
    let target = RwSignal::new(fragment());
    let listener = window_event_listener(leptos::ev::hashchange, move |_| target.set(fragment()));
    on_cleanup(move || listener.remove());
    let shown_target = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        if let Some(n) = target.get() {
            if shown_target.get_untracked() != Some(n) && lines.with(|l| l.len() >= n) {
                shown_target.set(Some(n));
                scroll_to(n);
            }
        }
    });
    let step = move |forward: bool| {
        let hits = found.get_untracked();
        if hits.is_empty() {
            return;
        }
        let i = current.get_untracked();
        let next = if forward { (i + 1) % hits.len() } else { (i + hits.len() - 1) % hits.len() };
        current.set(next);
        scroll_to(hits[next]);
    };
    let first_error = move |_| {
        if let Some(n) = lines.with_untracked(|l| l.iter().position(|x| is_error(x))) {
            scroll_to(n + 1);
        }
    };
    let download = move |_| {
        let body = text.get_untracked().unwrap_or_default();
        crate::components::download::download_text(&format!("run-{run_id}.log"), "text/plain;charset=utf-8", &body, false);
    };
    // Rows keyed by (line, length): the log only grows, so a poll adds rows for new lines and
    // redraws only the last one if it grew; no line's text is copied to compare keys.
    let numbered = move || lines.with(|l| l.iter().map(String::len).enumerate().collect::<Vec<(usize, usize)>>());
    view! {
        <div class="log-tools">
            <label for="log-find" class="visually-hidden">"Find in log"</label>
            <input id="log-find" type="search" placeholder="Find in log" autocomplete="off" prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); current.set(0); if let Some(n) = found.get_untracked().first() { scroll_to(*n) } }
                on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); step(!ev.shift_key()) }/>
            <button type="button" on:click=move |_| step(false) disabled=move || found.with(Vec::is_empty)>"Previous"</button>
            <button type="button" on:click=move |_| step(true) disabled=move || found.with(Vec::is_empty)>"Next"</button>
            <span class="muted small" role="status">{move || {
                let n = found.with(Vec::len);
                if query.with(|q| q.trim().is_empty()) { String::new() } else if n == 0 { "No match".into() } else { format!("{} of {n}", current.get().min(n - 1) + 1) }
            }}</span>
            {move || (errors.get() > 0).then(|| view! {
                <button type="button" class="link-button" on:click=first_error>{move || format!("{} error line{}", errors.get(), if errors.get() == 1 { "" } else { "s" })}</button>
            })}
            <button type="button" on:click=download disabled=move || text.with(Option::is_none)>"Download"</button>
        </div>
        // A region, not a live log: a running build must not be read aloud line by line. The line
        // links are for pointing and copying, not Tab stops (a long log would hold thousands).
        <div class="log-text" role="region" aria-label="Run log" tabindex="0">
            <For each=numbered key=|entry: &(usize, usize)| *entry let:entry>
                {
                    let n = entry.0 + 1;
                    let line = lines.with_untracked(|l| l.get(entry.0).cloned().unwrap_or_default());
                    let error = is_error(&line);
                    // One closure for a row's classes, not one per class.
                    let classes = move || {
                        let (hit, now) = found.with(|f| (f.binary_search(&n).is_ok(), f.get(current.get()) == Some(&n)));
                        let mut c = String::from("log-line");
                        for (on, name) in [(error, " error"), (hit, " match"), (now, " current"), (target.get() == Some(n), " targeted")] {
                            if on {
                                c.push_str(name);
                            }
                        }
                        c
                    };
                    view! {
                        <div class=classes id=format!("L{n}")>
                            <a class="ln" href=format!("#L{n}") tabindex="-1" aria-label=format!("Line {n}")>{n}</a>
                            <span class="lt">{line}</span>
                        </div>
                    }
                }
            </For>
        </div>
    }
}
