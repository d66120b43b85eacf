use leptos::prelude::*;

use crate::domain::quota::{Usage, DEFAULT_ISOLATED_VCPU, DEFAULT_STANDARD_VCPU};

/// vCPU used against the registry's *default* quota (ARM has no quota API for pools; a support
/// ticket may have raised it, so this informs and never blocks).
#[component]
pub fn QuotaMeter(usage: Usage) -> impl IntoView {
    let row = |label: &'static str, used: u32, limit: u32| {
        let over = used > limit;
        view! {
            <div class="quota-row" class:over=over>
                <span class="quota-label">{label}</span>
                <meter min="0" max=limit.max(1) value=used aria-label=format!("{label}: {used} of {limit} vCPU")></meter>
                <span class="quota-value">{format!("{used} of {limit} vCPU")}</span>
            </div>
        }
    };
    view! {
        <section class="quota" aria-labelledby="quota-title">
            <h2 id="quota-title">"vCPU quota " <span class="muted">"(default per registry)"</span></h2>
            {row("Standard pools", usage.standard, DEFAULT_STANDARD_VCPU)}
            {row("Isolated pools", usage.isolated, DEFAULT_ISOLATED_VCPU)}
            <p class="muted small">"Isolated quota is 0 unless raised by a support request."</p>
        </section>
    }
}
