//! "Created by … · Last changed by … · 5 min ago", from the pool's own `systemData`: no Activity
//! Log read, so it shows for anyone who can read the pool (a Reader without the log's read
//! included). The Activity tab stays the history.

use leptos::prelude::*;

use crate::arm::agent_pools;
use crate::arm::id::AgentPoolId;
use crate::arm::system_data::SystemData;
use crate::components::copy_link::PrincipalName;
use crate::components::time::Time;
use crate::live::reach::arm_read;

/// From the pool the page has read already.
#[component]
pub fn Provenance(system_data: Signal<Option<SystemData>>) -> impl IntoView {
    // Kept in the arena: the view closure must be Send.
    let client = StoredValue::new_local(crate::ctx::ctx().client);
    move || {
        let data = system_data.get()?;
        // The service's time, known once the pool was read; "ago" moves on while the page is open.
        let server_now = client.with_value(|c| c.server_now_ms());
        let now = crate::components::activity::ticking_now(server_now.unwrap_or_else(js_sys::Date::now) as u64);
        let created = data.created_by().map(|who| view! { "Created by " <PrincipalName who/> });
        let changed = data.last_modified_by().zip(data.last_modified_ms()).map(|(who, at)| {
            view! {
                "Last changed by " <PrincipalName who/> " · "
                <Time at_ms=at now/>
            }
        });
        let sep = (created.is_some() && changed.is_some()).then_some(" · ");
        Some(view! { <p class="last-changed muted">{created}{sep}{changed}</p> })
    }
}

/// For a page that does not read the pool otherwise (its Activity tab): one read, again when
/// `changed` moves (an operation of this tab on the pool started or ended).
#[component]
pub fn ProvenanceRead(id: AgentPoolId, changed: Memo<Option<(u64, bool)>>) -> impl IntoView {
    let pool = arm_read(id, |c, p| async move { agent_pools::get(&c, &p).await });
    Effect::watch(move || changed.get(), move |_, _, _| pool.refetch(), false);
    let system_data = Signal::derive(move || pool.get().and_then(|r| r.ok()).and_then(|p| p.system_data));
    view! { <Provenance system_data/> }
}
