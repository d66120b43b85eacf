//! One read-only notice at the top of a page, for a user who may read but not change (issue 20):
//! the role they have, the role needed, and whom to ask, said once instead of under every form.

use leptos::prelude::*;

use crate::domain::permissions::{read_only_notice, Access};

#[component]
pub fn ReadOnlyNotice(#[prop(into)] access: Signal<Option<Access>>, registry: String) -> impl IntoView {
    move || {
        let text = read_only_notice(access.get()?, &registry)?;
        Some(view! { <p class="notice read-only" role="note">{text}</p> })
    }
}
