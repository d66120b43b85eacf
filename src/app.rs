//! Boot (config → sign-in library → session) and the shell: header, account menu, and the page
//! for the current URL. Every URL is an ARM resource id (`route::Route`).

use std::rc::Rc;

use leptos::prelude::*;

use crate::arm::client::{ArmClient, TokenFn};
use crate::arm::id::ResourceId;
use crate::auth::Session;
use crate::components::account_menu::AccountMenu;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::connection_banner::ConnectionBanner;
use crate::config::Config;
use crate::ctx::{ctx, Ctx};
use crate::live::reach::Reach;
use crate::ops::tracker::Tracker;
use crate::pages;
use crate::route::Route;

#[derive(Clone)]
enum Boot {
    /// config.json missing or invalid: what to fix.
    Setup(Vec<String>),
    /// msal could not start or the sign-in failed.
    AuthFailed(String),
    Ready(Ctx),
}

async fn load_config() -> Result<Config, Vec<String>> {
    let response = gloo_net::http::Request::get("/config.json")
        .send()
        .await
        .map_err(|e| vec![format!("config.json could not be loaded: {e}.")])?;
    if !response.ok() {
        return Err(vec![format!("config.json could not be loaded (HTTP {}).", response.status())]);
    }
    let text = response.text().await.map_err(|e| vec![format!("config.json could not be read: {e}.")])?;
    Config::parse(&text)
}

async fn boot(reach: Reach) -> Boot {
    let config = match load_config().await {
        Ok(c) => c,
        Err(problems) => return Boot::Setup(problems),
    };
    let session = match Session::start(&config).await {
        Ok(s) => Rc::new(s),
        Err(e) => return Boot::AuthFailed(e),
    };
    // When the session is known, on the page's timeline: what the benchmarks measure first paints
    // from (a repeat visit's kept rows, say).
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("pool-portal:session");
    }
    let for_tokens = session.clone();
    let token: TokenFn = Rc::new(move |force| {
        let s = for_tokens.clone();
        Box::pin(async move { s.token(force).await })
    });
    let client = ArmClient::new(&config.arm_endpoint, token).with_observer(Rc::new(move |e| reach.observe(e)));
    Boot::Ready(Ctx { client, session, config: Rc::new(config) })
}

pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let reach = Reach::new();
    provide_context(reach);
    let boot = LocalResource::new(move || boot(reach));
    // Not a <Suspense>: that would put the splash back over the whole app whenever any page
    // below it waits for a resource (a slow ARM), and unmount what the user was typing.
    move || match boot.get() {
        None => view! { <pages::splash::Splash message="Starting Pool Portal…"/> }.into_any(),
        Some(Boot::Setup(problems)) => view! { <pages::setup::SetupPage problems/> }.into_any(),
        Some(Boot::AuthFailed(message)) => view! { <pages::splash::AuthFailed message/> }.into_any(),
        Some(Boot::Ready(ctx)) => {
            let tracker = Tracker::load();
            tracker.resume(&ctx.client);
            provide_context(tracker);
            crate::ctx::provide(ctx);
            crate::live::directory::Directory::provide();
            crate::live::regions::RegionBook::provide();
            crate::nav::provide();
            crate::components::time::provide_zone();
            crate::components::breadcrumbs::provide_run_pool();
            crate::components::switcher::provide_known_pools();
            view! { <Shell/> }.into_any()
        }
    }
}

#[component]
fn Shell() -> impl IntoView {
    let Ctx { session, config, .. } = ctx();
    let path = crate::nav::use_path();
    let route = Memo::new(move |_| Route::from_path(&path.get()));
    // Each move of the address bar (even to a path that parses to the same page) is an arrival.
    Effect::new(move |_| {
        path.track();
        route.with_untracked(|r| crate::nav::arrived(&r.title()));
    });
    let signed_in = session.signed_in();
    let cloud = config.cloud_name.clone();
    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <header class="top">
            <a class="brand" href="/">"Pool Portal"</a>
            <span class="cloud" title="Cloud from config.json">{cloud}</span>
            <nav class="top-links" aria-label="Sections">
                <a href=crate::route::FLEET aria-current=move || (route.get() == Route::Fleet).then_some("page")>"All agent pools"</a>
            </nav>
            {signed_in.then(|| view! { <crate::components::switcher::Switcher/> <crate::components::ops_tray::OpsTray/> })}
            <AccountMenu/>
        </header>
        {signed_in.then(|| view! { <ConnectionBanner/> })}
        <main id="main" tabindex="-1">
            // One route for everything: the page comes from parsing the path as a resource id.
            {current_page(route, signed_in)}
        </main>
    }
}

fn current_page(route: Memo<Route>, signed_in: bool) -> impl IntoView {
    move || {
        let r = route.get();
        if signed_in {
            view! { <Breadcrumbs route=r.clone()/> {page_for(r)} }.into_any()
        } else {
            view! { <pages::signin::SignIn route=r/> }.into_any()
        }
    }
}

fn page_for(route: Route) -> AnyView {
    match route {
        Route::Home => view! { <pages::home::Home/> }.into_any(),
        Route::Fleet => view! { <pages::fleet::FleetPage/> }.into_any(),
        Route::Invalid(reason) => view! { <pages::not_found::NotFound reason/> }.into_any(),
        Route::Resource(ResourceId::Subscription(subscription)) => {
            view! { <pages::subscription::SubscriptionPage subscription/> }.into_any()
        }
        Route::Resource(ResourceId::Registry(id)) => view! { <pages::registry::RegistryPage id/> }.into_any(),
        Route::Resource(ResourceId::AgentPool(id)) => view! { <pages::pool::PoolPage id/> }.into_any(),
        Route::Resource(ResourceId::Run(id)) => view! { <pages::run::RunPage id/> }.into_any(),
        Route::CreatePool(registry) => view! { <pages::create_pool::CreatePoolPage registry/> }.into_any(),
        Route::Insights(id) => view! { <pages::insights::InsightsPage id/> }.into_any(),
        Route::PoolRuns(id) => view! { <pages::pool_runs::PoolRunsPage id/> }.into_any(),
        Route::PoolSchedule(id) => view! { <pages::pool_schedule::PoolSchedulePage id/> }.into_any(),
        Route::PoolActivity(id) => view! { <pages::activity::ActivityPage source=crate::live::activity::Source::Pool(id)/> }.into_any(),
        Route::RegistryActivity(id) => view! { <pages::activity::ActivityPage source=crate::live::activity::Source::Registry(id)/> }.into_any(),
    }
}
