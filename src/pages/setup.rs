use leptos::prelude::*;

/// Shown instead of a blank screen when config.json is missing or wrong (SPEC F2).
#[component]
pub fn SetupPage(problems: Vec<String>) -> impl IntoView {
    let items = problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view();
    view! {
        <main class="setup" id="main">
            <h1>"Pool Portal needs setting up"</h1>
            <section class="error" role="alert">
                <h2>"config.json has problems"</h2>
                <ul>{items}</ul>
            </section>
            <h2>"What config.json looks like"</h2>
            <p>"Serve it next to index.html. For Azure (AzureCloud or AzureUSGovernment):"</p>
            <pre><code>{r#"{
  "clientId": "<Application (client) ID of your app registration>",
  "tenant": "<tenant id, domain, or organizations>",
  "cloud": "AzureCloud"
}"#}</code></pre>
            <p>"For another authority and ARM endpoint (such as the emulator), use "<code>"\"cloud\": \"Custom\""</code>
               " with " <code>"authority"</code>", "<code>"armEndpoint"</code>" and "<code>"armResource"</code>". See docs/deploy-azure.md in the project."</p>
        </main>
    }
}
