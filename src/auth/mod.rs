//! Sign-in with msal-browser: `msal` has the bindings only, `session` the policy (redirect flow,
//! silent renewal, sign-in again on `interaction_required`, sign-out).

pub mod msal;
pub mod session;

pub use session::Session;
