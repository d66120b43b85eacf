//! What the live views read again, when, and in what order (issue 22): pure rules over ARM's
//! models, apart from `domain` (whose rules know nothing of the ARM client) and from `live`
//! (which runs them in the browser), so they are tested natively.

pub mod order;
pub mod registry;
