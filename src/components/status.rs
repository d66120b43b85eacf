//! A pool's status as one badge (`domain::status`), the same in every list and on the pool's
//! page, with ARM's `provisioningState` as small text beside it.

use leptos::prelude::*;

use crate::domain::status::Status;

/// `provisioning`: ARM's word, shown only when it says more than the badge (not "Succeeded").
/// `detail_shown`: the page writes the detail out beside it; otherwise it is on hover and, for
/// screen readers and keyboards (a hover is neither), in hidden text.
#[component]
pub fn StatusBadge(status: Status, #[prop(optional, into)] provisioning: Option<String>, #[prop(optional)] detail_shown: bool) -> impl IntoView {
    let secondary = provisioning.filter(|p| !p.eq_ignore_ascii_case("Succeeded") && !p.eq_ignore_ascii_case(status.label()));
    let hidden = status.detail().filter(|_| !detail_shown).map(|d| view! { <span class="visually-hidden">{format!(": {d}")}</span> });
    view! {
        <span class=status.class() title=status.detail().unwrap_or_default()>{status.text()}{hidden}</span>
        {secondary.map(|p| view! { <span class="muted small provisioning">{format!(" · provisioning {p}")}</span> })}
    }
}
