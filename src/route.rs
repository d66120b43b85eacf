//! Which page a URL path shows. Every page's URL is the ARM id of what it shows (SPEC F13).

use crate::arm::id::{IdError, ResourceId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Resource(ResourceId),
    /// A path that is not a resource id we know, with the reason.
    Invalid(String),
}

impl Route {
    pub fn from_path(path: &str) -> Route {
        if path.is_empty() || path == "/" || path == "/index.html" {
            return Route::Home;
        }
        match ResourceId::parse(path) {
            Ok(id) => Route::Resource(id),
            Err(e @ (IdError::Shape | IdError::Name { .. })) => Route::Invalid(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_home_and_ids_are_resources() {
        assert_eq!(Route::from_path("/"), Route::Home);
        assert!(matches!(Route::from_path("/subscriptions/abc"), Route::Resource(ResourceId::Subscription(_))));
    }

    #[test]
    fn anything_else_is_invalid_with_a_reason() {
        let Route::Invalid(reason) = Route::from_path("/nope") else { panic!() };
        assert!(reason.contains("not the id"), "{reason}");
    }
}
