//! What every ARM request passes through, whichever provider serves it: the bearer token, the
//! call and its body, RBAC, api-versions, paging, the rate limit, ARM's error shape, `systemData`.

pub mod access;
pub mod auth;
pub mod body;
pub mod call;
pub mod error;
pub mod paging;
pub mod ratelimit;
pub mod system_data;
pub mod versions;
