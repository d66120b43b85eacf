//! The generic resources list's `$filter`, as Microsoft.Resources documents it (NOTES.md §9.1):
//! `eq`/`ne` on location, resourceType, name, resourceGroup, identity, identity/principalId and
//! plan's fields, joined by `and`; `substringof(value, name|resourceGroup)`, several joined by
//! `or` (in parentheses when `and` follows); a tag filter on its own: `tagName eq` (with
//! `tagValue eq`) or `startswith(tagName, …)`. Anything else is ARM's 400.

use crate::arm::pipeline::error::ArmError;

/// Fields that `eq`/`ne` compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Location,
    ResourceType,
    Name,
    ResourceGroup,
    Identity,
    IdentityPrincipalId,
    Plan(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clause {
    Compare { field: Field, equal: bool, value: String },
    /// `substringof(needle, field)`, any of them (`or`).
    Contains(Vec<(String, Field)>),
    TagName(String),
    TagValue(String),
    TagNamePrefix(String),
}

/// What a resource offers to a filter.
pub trait Filterable {
    /// The value of a field (`None` when the resource has none: no identity, no plan).
    fn field(&self, field: Field) -> Option<&str>;
    fn tags(&self) -> &[(String, String)];
}

/// A parsed `$filter`: clauses that must all hold.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Filter(pub Vec<Clause>);

impl Filter {
    /// Whether the filter names tags: ARM then leaves the resources' tags out of the answer.
    pub fn by_tag(&self) -> bool {
        self.0.iter().any(|c| matches!(c, Clause::TagName(_) | Clause::TagValue(_) | Clause::TagNamePrefix(_)))
    }

    pub fn matches(&self, r: &impl Filterable) -> bool {
        let tag_name = self.0.iter().find_map(|c| if let Clause::TagName(n) = c { Some(n) } else { None });
        let lower = |s: &str| s.to_lowercase();
        self.0.iter().all(|c| match c {
            Clause::Compare { field, equal, value } => r.field(*field).is_some_and(|v| lower(v) == lower(value)) == *equal,
            Clause::Contains(any) => any.iter().any(|(needle, f)| r.field(*f).is_some_and(|v| lower(v).contains(&lower(needle)))),
            Clause::TagName(n) => r.tags().iter().any(|(k, _)| k.eq_ignore_ascii_case(n)),
            // Tag names are case-insensitive, their values are not.
            Clause::TagValue(v) => r.tags().iter().any(|(k, x)| tag_name.is_some_and(|n| k.eq_ignore_ascii_case(n)) && x == v),
            Clause::TagNamePrefix(p) => r.tags().iter().any(|(k, _)| lower(k).starts_with(&lower(p))),
        })
    }
}

/// ARM's refusal names the whole filter.
pub fn invalid(filter: &str) -> ArmError {
    ArmError::new(
        axum::http::StatusCode::BAD_REQUEST,
        "InvalidFilterInQueryString",
        format!("Invalid $filter '{filter}' specified in the query string."),
    )
}

/// `'it''s'` → `it's`; `None` unless the whole text is one quoted string.
fn quoted(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        // Inside, a quote only comes doubled.
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// Splits on a word (` and `, ` or `) outside quotes and parentheses. Works on bytes: the word is
/// ASCII, so every split lands between characters.
fn split_on<'a>(text: &'a str, word: &[u8]) -> Vec<&'a str> {
    let (mut parts, mut start, mut in_quote, mut depth) = (Vec::new(), 0, false, 0i32);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => in_quote = !in_quote,
            b'(' if !in_quote => depth += 1,
            b')' if !in_quote => depth -= 1,
            _ if !in_quote && depth == 0 && bytes.len() - i >= word.len() && bytes[i..i + word.len()].eq_ignore_ascii_case(word) => {
                parts.push(&text[start..i]);
                i += word.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

/// `f(a, b)` → the two arguments, when `text` is a call of `name`.
fn call_args<'a>(text: &'a str, name: &str) -> Option<(&'a str, &'a str)> {
    let rest = text.get(..name.len()).filter(|p| p.eq_ignore_ascii_case(name)).map(|_| &text[name.len()..])?;
    let args = rest.trim_start().strip_prefix('(')?.strip_suffix(')')?;
    let comma = args.rfind(',')?;
    Some((&args[..comma], &args[comma + 1..]))
}

fn field(name: &str) -> Option<Field> {
    Some(match name.to_ascii_lowercase().as_str() {
        "location" => Field::Location,
        "resourcetype" => Field::ResourceType,
        "name" => Field::Name,
        "resourcegroup" => Field::ResourceGroup,
        "identity" => Field::Identity,
        "identity/principalid" => Field::IdentityPrincipalId,
        "plan" => Field::Plan("plan"),
        "plan/publisher" => Field::Plan("publisher"),
        "plan/product" => Field::Plan("product"),
        "plan/name" => Field::Plan("name"),
        "plan/version" => Field::Plan("version"),
        "plan/promotioncode" => Field::Plan("promotionCode"),
        _ => return None,
    })
}

fn substringof(text: &str) -> Option<(String, Field)> {
    let (needle, f) = call_args(text.trim(), "substringof")?;
    let f = match f.trim().to_ascii_lowercase().as_str() {
        "name" => Field::Name,
        "resourcegroup" => Field::ResourceGroup,
        _ => return None,
    };
    Some((quoted(needle)?, f))
}

fn clause(text: &str) -> Option<Clause> {
    let mut text = text.trim();
    // `(a or b)`: parentheses around a whole clause.
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        text = inner.trim();
    }
    let alternatives = split_on(text, b" or ");
    if alternatives.len() > 1 || text.to_ascii_lowercase().starts_with("substringof") {
        // `or` joins only substring tests.
        return alternatives.into_iter().map(substringof).collect::<Option<Vec<_>>>().map(Clause::Contains);
    }
    if let Some((tag, prefix)) = call_args(text, "startswith") {
        return tag.trim().eq_ignore_ascii_case("tagName").then_some(Clause::TagNamePrefix(quoted(prefix)?));
    }
    let (name, rest) = text.split_once(' ')?;
    let (op, value) = rest.trim_start().split_once(' ')?;
    let equal = match op.to_ascii_lowercase().as_str() {
        "eq" => true,
        "ne" => false,
        _ => return None,
    };
    let value = quoted(value)?;
    match name.to_ascii_lowercase().as_str() {
        "tagname" if equal => Some(Clause::TagName(value)),
        "tagvalue" if equal => Some(Clause::TagValue(value)),
        _ => field(name).map(|field| Clause::Compare { field, equal, value }),
    }
}

/// The clauses, with ARM's rules for combining them: a tag filter stands alone (`tagValue` only
/// after its `tagName`); the others join with `and`, each field once.
pub fn parse(filter: &str) -> Result<Filter, ArmError> {
    if filter.trim().is_empty() {
        return Ok(Filter::default());
    }
    let clauses: Vec<Clause> = split_on(filter, b" and ").into_iter().map(clause).collect::<Option<_>>().ok_or_else(|| invalid(filter))?;
    let tag_ok = match clauses.as_slice() {
        [Clause::TagName(_)] | [Clause::TagName(_), Clause::TagValue(_)] | [Clause::TagNamePrefix(_)] => true,
        _ => !clauses.iter().any(|c| matches!(c, Clause::TagName(_) | Clause::TagValue(_) | Clause::TagNamePrefix(_))),
    };
    let key = |c: &Clause| match c {
        Clause::Compare { field, .. } => format!("{field:?}"),
        other => format!("{:?}", std::mem::discriminant(other)),
    };
    let mut keys: Vec<String> = clauses.iter().map(key).collect();
    keys.sort();
    keys.dedup();
    if !tag_ok || keys.len() != clauses.len() {
        return Err(invalid(filter));
    }
    Ok(Filter(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(field: Field, value: &str) -> Clause {
        Clause::Compare { field, equal: true, value: value.into() }
    }

    #[test]
    fn the_clis_and_the_specs_filters_parse() {
        assert_eq!(parse("resourceType eq 'Microsoft.ContainerRegistry/registries'").unwrap().0, [eq(Field::ResourceType, "Microsoft.ContainerRegistry/registries")]);
        assert_eq!(parse("resourceType eq 'x' and name eq 'it''s'").unwrap().0, [eq(Field::ResourceType, "x"), eq(Field::Name, "it's")]);
        assert_eq!(parse("location ne 'eastus'").unwrap().0, [Clause::Compare { field: Field::Location, equal: false, value: "eastus".into() }]);
        assert_eq!(parse("tagname eq 'team' and tagvalue eq 'web'").unwrap().0, [Clause::TagName("team".into()), Clause::TagValue("web".into())]);
        assert_eq!(parse("startswith(tagName, 'depart')").unwrap().0, [Clause::TagNamePrefix("depart".into())]);
        assert_eq!(
            parse("(substringof('build', name) or substringof('rg', resourceGroup)) and resourceType eq 'x'").unwrap().0,
            [Clause::Contains(vec![("build".into(), Field::Name), ("rg".into(), Field::ResourceGroup)]), eq(Field::ResourceType, "x")]
        );
        assert_eq!(parse("plan/publisher eq 'p'").unwrap().0, [eq(Field::Plan("publisher"), "p")]);
        assert!(parse("").unwrap().0.is_empty());
    }

    #[test]
    fn what_arm_refuses_is_refused() {
        for bad in [
            "resourceType eq 'x' and tagName eq 'team'",
            "tagValue eq 'web'",
            "name gt 'x'",
            "name eq x",
            "name eq 'a' and name eq 'b'",
            "resourceType eq 'x' or name eq 'y'",
            "kind eq 'x'",
            "substringof('x', location)",
            "tagName ne 'team'",
            "résourceType eq 'x'",
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.code, "InvalidFilterInQueryString", "{bad}");
            assert!(e.message.contains(bad));
        }
    }

    #[test]
    fn words_inside_quotes_are_text_and_any_alphabet_works() {
        assert_eq!(parse("name eq 'salt and pepper'").unwrap().0, [eq(Field::Name, "salt and pepper")]);
        assert_eq!(parse("name eq 'café' and resourceType eq 'x'").unwrap().0, [eq(Field::Name, "café"), eq(Field::ResourceType, "x")]);
    }

    struct R(&'static str, Vec<(String, String)>);
    impl Filterable for R {
        fn field(&self, f: Field) -> Option<&str> {
            match f {
                Field::Name => Some(self.0),
                Field::ResourceType => Some("Microsoft.Network/virtualNetworks"),
                _ => None,
            }
        }
        fn tags(&self) -> &[(String, String)] {
            &self.1
        }
    }

    #[test]
    fn matching_follows_arms_cases() {
        let r = R("Builds", vec![("Team".into(), "Web".into())]);
        assert!(parse("name eq 'BUILDS'").unwrap().matches(&r), "names compare without case");
        assert!(parse("name ne 'other' and resourceType eq 'microsoft.network/VIRTUALNETWORKS'").unwrap().matches(&r));
        assert!(parse("substringof('uil', name) or substringof('zzz', name)").unwrap().matches(&r));
        assert!(parse("tagName eq 'team' and tagValue eq 'Web'").unwrap().matches(&r));
        assert!(!parse("tagName eq 'team' and tagValue eq 'web'").unwrap().matches(&r), "tag values keep their case");
        assert!(parse("startswith(tagName, 'te')").unwrap().matches(&r));
        assert!(!parse("plan eq 'x'").unwrap().matches(&r), "no plan: never equal");
        assert!(parse("plan ne 'x'").unwrap().matches(&r));
    }
}
