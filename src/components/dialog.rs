//! A modal dialog for what cannot be undone (issue 20): the browser's own `<dialog>`, opened with
//! `showModal()`, so the page behind is inert, focus stays inside, and Escape cancels. No crate,
//! no focus-trap script: the platform does it.

use leptos::prelude::*;

/// `open`: shows the dialog while true; Escape, the close button or Cancel set it false.
#[component]
pub fn Modal(open: RwSignal<bool>, #[prop(into)] title: String, #[prop(into)] id: String, children: ChildrenFn) -> impl IntoView {
    let node = NodeRef::<leptos::html::Dialog>::new();
    // Drawn anew only when it opens or closes: setting `open` to true again must not wipe
    // what is being typed inside.
    let shown = Memo::new(move |_| open.get());
    Effect::new(move |_| {
        let Some(dialog) = node.get() else { return };
        if shown.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        } else if dialog.open() {
            dialog.close();
        }
    });
    let (title_id, labelled_by) = (format!("{id}-title"), format!("{id}-title"));
    view! {
        <dialog node_ref=node class="modal" id=id aria-labelledby=labelled_by on:close=move |_| open.set(false)>
            <div class="modal-head">
                <h2 id=title_id>{title}</h2>
                <button type="button" class="modal-close" aria-label="Close" on:click=move |_| open.set(false)>"×"</button>
            </div>
            // Drawn only while open: a form inside starts empty each time.
            {move || shown.get().then(|| children())}
        </dialog>
    }
}
