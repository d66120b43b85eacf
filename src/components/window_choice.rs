//! The "Window" radio group of the insights and activity views: one radio per span, the current
//! one checked, a change handed to the view (which keeps it in the URL).

use leptos::prelude::*;

use crate::domain::time::Span;

#[component]
pub fn WindowChoice(
    /// The radio group's name, unique on the page.
    name: &'static str,
    spans: &'static [Span],
    #[prop(into)] current: Signal<Span>,
    on_choose: Callback<Span>,
) -> impl IntoView {
    let choice = move |s: Span| {
        view! {
            <label class="inline">
                <input type="radio" name=name value=s.key() prop:checked=move || current.get() == s on:change=move |_| on_choose.run(s)/>
                {format!(" {}", s.label())}
            </label>
        }
    };
    view! {
        <fieldset class="window-choice">
            <legend>"Window"</legend>
            {spans.iter().copied().map(choice).collect_view()}
        </fieldset>
    }
}
