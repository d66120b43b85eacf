//! A pool's status as one badge (`domain::status`), the same in every list and on the pool's
//! page, with ARM's `provisioningState` as small text beside it.

use leptos::prelude::*;

use crate::domain::status::Status;

/// `provisioning`: ARM's word, shown only when it says more than the badge (not "Succeeded").
#[component]
pub fn StatusBadge(status: Status, #[prop(optional, into)] provisioning: Option<String>) -> impl IntoView {
    let secondary = provisioning.filter(|p| !p.eq_ignore_ascii_case("Succeeded") && !p.eq_ignore_ascii_case(status.label()));
    view! {
        <span class=status.class() title=status.detail().unwrap_or_default()>{status.text()}</span>
        {secondary.map(|p| view! { <span class="muted small provisioning">{format!(" · provisioning {p}")}</span> })}
    }
}
