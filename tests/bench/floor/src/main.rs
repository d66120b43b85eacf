//! One signal, one resource read from ARM-shaped JSON, a <Suspense> and a list of links.
use leptos::prelude::*;

#[derive(serde::Deserialize, Clone)]
struct Subscription {
    id: String,
    #[serde(rename = "displayName")]
    name: String,
}

#[derive(serde::Deserialize, Clone)]
struct List {
    value: Vec<Subscription>,
}

async fn load() -> Result<List, String> {
    let response = gloo_net::http::Request::get("/subscriptions").send().await.map_err(|e| e.to_string())?;
    response.json::<List>().await.map_err(|e| e.to_string())
}

#[component]
fn App() -> impl IntoView {
    let (clicks, set_clicks) = signal(0);
    let subscriptions = LocalResource::new(load);
    view! {
        <button on:click=move |_| set_clicks.update(|n| *n += 1)>{clicks}</button>
        <Suspense fallback=|| "Loading">
            {move || subscriptions.get().map(|list| match list {
                Ok(list) => view! {
                    <ul>{list.value.into_iter().map(|s| view! { <li><a href=s.id>{s.name}</a></li> }).collect_view()}</ul>
                }.into_any(),
                Err(error) => view! { <p>{error}</p> }.into_any(),
            })}
        </Suspense>
    }
}

fn main() {
    leptos::mount::mount_to_body(App)
}
