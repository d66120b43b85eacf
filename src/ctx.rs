//! What every page and component needs once the app has booted: the session, the ARM client and
//! the configuration. Provided by the shell (`app`), read from anywhere below it; kept apart from
//! the shell so nothing imports upward into it.

use std::rc::Rc;

use leptos::prelude::*;

use crate::arm::client::ArmClient;
use crate::auth::Session;
use crate::config::Config;

#[derive(Clone)]
pub struct Ctx {
    pub session: Rc<Session>,
    pub client: ArmClient,
    pub config: Rc<Config>,
}

/// The app context (kept in the reactive arena, since `Rc` is not `Send`).
pub fn ctx() -> Ctx {
    expect_context::<StoredValue<Ctx, LocalStorage>>().get_value()
}

/// Makes `ctx` available to everything rendered below the caller.
pub fn provide(ctx: Ctx) {
    provide_context(StoredValue::new_local(ctx));
}
