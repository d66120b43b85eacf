//! The part of Kusto's query language the emulator's Resource Graph understands: enough for the
//! portal's queries and the usual ones about registries. Anything else is refused with a reason
//! (`Outside`), never half-understood: a query either means here what it means on Azure, or it is
//! not run.
//!
//! ```text
//! query   := table ( '|' op )*            table := resources | Resources
//! op      := where expr | project item (',' item)* | order by key (',' key)* | sort by …
//!          | take N | limit N
//! expr    := and ( 'or' and )*            and   := atom ( 'and' atom )*
//! atom    := '(' expr ')' | path cmp literal | path in|in~|!in|!in~ '(' literal, … ')'
//! cmp     := == | != | =~ | !~ | contains | !contains | startswith
//! item    := path | name '=' path          key   := path [asc|desc]
//! path    := name ('.' name)*              literal := 'text' | "text"
//! ```
//! Rows are JSON objects. A dotted path reads into a column's object; projected, it becomes the
//! column `a_b` as ARG names it. Comparisons follow Kusto: `==`/`!=`/`in` care about case,
//! `=~`/`!~`/`in~`/`contains`/`startswith` do not; a missing or non-text value never equals.

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// Why a query is not run: outside the subset, or wrong for Kusto itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Valid Kusto, perhaps, but more than the emulator knows.
    Outside(String),
    /// Not valid: a syntax error or a column that does not exist.
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Where(Expr),
    Project(Vec<(String, Vec<String>)>),
    Order(Vec<(Vec<String>, bool)>),
    Take(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    EqCi,
    NeCi,
    Contains,
    NotContains,
    StartsWith,
    In,
    InCi,
    NotIn,
    NotInCi,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Test { path: Vec<String>, cmp: Cmp, values: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Text(String),
    Num(String),
    Sym(&'static str),
}

const SYMBOLS: [&str; 13] = ["==", "!=", "=~", "!~", "|", ",", "(", ")", "=", ".", "!", "<", ">"];

fn tokenize(q: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || c == '"' {
            let mut text = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(QueryError::Invalid("A string literal is not closed.".into())),
                    Some('\\') => {
                        let next = *chars.get(i + 1).ok_or_else(|| QueryError::Invalid("A string literal is not closed.".into()))?;
                        text.push(match next {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                        i += 2;
                    }
                    Some(&q) if q == c => {
                        i += 1;
                        break;
                    }
                    Some(&other) => {
                        text.push(other);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Text(text));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            out.push(Tok::Num(chars[start..i].iter().collect()));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            // Kusto words may carry '-' (project-away) and '~' (in~).
            while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '-' | '~')) {
                i += 1;
            }
            out.push(Tok::Word(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if let Some(sym) = SYMBOLS.iter().find(|s| s.len() == 2 && **s == two) {
                out.push(Tok::Sym(sym));
                i += 2;
            } else if let Some(sym) = SYMBOLS.iter().find(|s| s.len() == 1 && s.starts_with(c)) {
                out.push(Tok::Sym(sym));
                i += 1;
            } else {
                return Err(QueryError::Outside(format!("the character '{c}'")));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn word_is(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }

    fn sym_is(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(x)) if *x == s)
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), QueryError> {
        if self.sym_is(s) {
            self.at += 1;
            Ok(())
        } else {
            Err(QueryError::Invalid(format!("Expected '{s}' {}.", self.where_now())))
        }
    }

    fn where_now(&self) -> String {
        match self.peek() {
            None => "at the end of the query".into(),
            Some(Tok::Word(w)) => format!("before '{w}'"),
            Some(Tok::Text(t)) => format!("before '{t}'"),
            Some(Tok::Num(n)) => format!("before {n}"),
            Some(Tok::Sym(s)) => format!("before '{s}'"),
        }
    }

    fn name(&mut self) -> Result<String, QueryError> {
        match self.next() {
            Some(Tok::Word(w)) if w.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && !w.contains(['-', '~']) => Ok(w),
            _ => {
                self.at -= 1;
                Err(QueryError::Invalid(format!("Expected a column name {}.", self.where_now())))
            }
        }
    }

    fn path(&mut self) -> Result<Vec<String>, QueryError> {
        let mut path = vec![self.name()?];
        while self.sym_is(".") {
            self.at += 1;
            path.push(self.name()?);
        }
        if self.sym_is("(") {
            return Err(QueryError::Outside(format!("the function '{}()'", path.join("."))));
        }
        Ok(path)
    }

    fn literal(&mut self) -> Result<String, QueryError> {
        match self.next() {
            Some(Tok::Text(t)) => Ok(t),
            Some(Tok::Num(n)) => Err(QueryError::Outside(format!("comparing with the number {n} (only text values)"))),
            Some(Tok::Word(w)) if w == "true" || w == "false" => Err(QueryError::Outside(format!("comparing with {w} (only text values)"))),
            _ => {
                self.at -= 1;
                Err(QueryError::Invalid(format!("Expected a string literal {}.", self.where_now())))
            }
        }
    }

    fn atom(&mut self) -> Result<Expr, QueryError> {
        if self.sym_is("(") {
            self.at += 1;
            let e = self.expr()?;
            self.expect_sym(")")?;
            return Ok(e);
        }
        let path = self.path()?;
        let cmp = match self.next() {
            Some(Tok::Sym("==")) => Cmp::Eq,
            Some(Tok::Sym("!=")) => Cmp::Ne,
            Some(Tok::Sym("=~")) => Cmp::EqCi,
            Some(Tok::Sym("!~")) => Cmp::NeCi,
            Some(Tok::Word(w)) => match w.as_str() {
                "contains" => Cmp::Contains,
                "startswith" => Cmp::StartsWith,
                "in" => Cmp::In,
                "in~" => Cmp::InCi,
                other => return Err(QueryError::Outside(format!("the operator '{other}'"))),
            },
            Some(Tok::Sym("!")) => match self.next() {
                Some(Tok::Word(w)) if w == "contains" => Cmp::NotContains,
                Some(Tok::Word(w)) if w == "in" => Cmp::NotIn,
                Some(Tok::Word(w)) if w == "in~" => Cmp::NotInCi,
                _ => return Err(QueryError::Outside("that negated operator".into())),
            },
            Some(Tok::Sym("<" | ">")) => return Err(QueryError::Outside("comparing with < or > (only text comparisons)".into())),
            _ => {
                self.at -= 1;
                return Err(QueryError::Invalid(format!("Expected a comparison after '{}' {}.", path.join("."), self.where_now())));
            }
        };
        let values = if matches!(cmp, Cmp::In | Cmp::InCi | Cmp::NotIn | Cmp::NotInCi) {
            self.expect_sym("(")?;
            let mut values = vec![self.literal()?];
            while self.sym_is(",") {
                self.at += 1;
                values.push(self.literal()?);
            }
            self.expect_sym(")")?;
            values
        } else {
            vec![self.literal()?]
        };
        Ok(Expr::Test { path, cmp, values })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut e = self.atom()?;
        while self.word_is("and") {
            self.at += 1;
            e = Expr::And(Box::new(e), Box::new(self.atom()?));
        }
        Ok(e)
    }

    fn expr(&mut self) -> Result<Expr, QueryError> {
        let mut e = self.and()?;
        while self.word_is("or") {
            self.at += 1;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn count(&mut self) -> Result<usize, QueryError> {
        match self.next() {
            Some(Tok::Num(n)) => n.parse().map_err(|_| QueryError::Invalid(format!("'{n}' is not a row count."))),
            _ => {
                self.at -= 1;
                Err(QueryError::Invalid(format!("Expected a number of rows {}.", self.where_now())))
            }
        }
    }

    fn op(&mut self) -> Result<Op, QueryError> {
        let Some(Tok::Word(w)) = self.next() else {
            self.at -= 1;
            return Err(QueryError::Invalid(format!("Expected an operator after '|' {}.", self.where_now())));
        };
        match w.as_str() {
            "where" => Ok(Op::Where(self.expr()?)),
            "project" => {
                let mut items = Vec::new();
                loop {
                    let first = self.path()?;
                    let item = if self.sym_is("=") {
                        self.at += 1;
                        if first.len() > 1 {
                            return Err(QueryError::Invalid(format!("'{}' cannot name a column.", first.join("."))));
                        }
                        (first[0].clone(), self.path()?)
                    } else {
                        (first.join("_"), first)
                    };
                    items.push(item);
                    if !self.sym_is(",") {
                        break;
                    }
                    self.at += 1;
                }
                Ok(Op::Project(items))
            }
            "order" | "sort" => {
                if !self.word_is("by") {
                    return Err(QueryError::Invalid(format!("Expected 'by' after '{w}'.")));
                }
                self.at += 1;
                let mut keys = Vec::new();
                loop {
                    let path = self.path()?;
                    // Kusto sorts descending unless told otherwise.
                    let ascending = if self.word_is("asc") {
                        self.at += 1;
                        true
                    } else {
                        if self.word_is("desc") {
                            self.at += 1;
                        }
                        false
                    };
                    if self.word_is("nulls") {
                        return Err(QueryError::Outside("'nulls first|last'".into()));
                    }
                    keys.push((path, ascending));
                    if !self.sym_is(",") {
                        break;
                    }
                    self.at += 1;
                }
                Ok(Op::Order(keys))
            }
            "take" | "limit" => Ok(Op::Take(self.count()?)),
            other => Err(QueryError::Outside(format!("the operator '{other}'"))),
        }
    }
}

/// A parsed query: its operators, in order.
pub fn parse(query: &str) -> Result<Vec<Op>, QueryError> {
    let mut p = Parser { toks: tokenize(query)?, at: 0 };
    match p.next() {
        Some(Tok::Word(t)) if t == "resources" || t == "Resources" => {}
        Some(Tok::Word(t)) => return Err(QueryError::Outside(format!("the table '{t}' (only resources)"))),
        _ => return Err(QueryError::Invalid("A query starts with the table it reads.".into())),
    }
    let mut ops = Vec::new();
    while p.peek().is_some() {
        p.expect_sym("|")?;
        ops.push(p.op()?);
    }
    Ok(ops)
}

/// The value at a path of a row (`sku.name`), if there is one.
fn lookup<'a>(row: &'a Map<String, Value>, path: &[String]) -> Option<&'a Value> {
    path[1..].iter().fold(row.get(&path[0]), |v, k| v.and_then(|v| v.get(k)))
}

/// A path whose column the table has: an unknown column is Kusto's error, not a missing value.
fn known(columns: &[String], path: &[String]) -> Result<(), QueryError> {
    if columns.iter().any(|c| c == &path[0]) {
        Ok(())
    } else {
        Err(QueryError::Invalid(format!("Failed to resolve scalar expression named '{}'.", path[0])))
    }
}

fn test(value: Option<&Value>, cmp: Cmp, values: &[String]) -> bool {
    let text = value.and_then(Value::as_str);
    let lower = |s: &str| s.to_lowercase();
    match cmp {
        Cmp::Eq => text.is_some_and(|t| t == values[0]),
        Cmp::Ne => text.is_none_or(|t| t != values[0]),
        Cmp::EqCi => text.is_some_and(|t| lower(t) == lower(&values[0])),
        Cmp::NeCi => text.is_none_or(|t| lower(t) != lower(&values[0])),
        Cmp::Contains => text.is_some_and(|t| lower(t).contains(&lower(&values[0]))),
        Cmp::NotContains => text.is_none_or(|t| !lower(t).contains(&lower(&values[0]))),
        Cmp::StartsWith => text.is_some_and(|t| lower(t).starts_with(&lower(&values[0]))),
        Cmp::In => text.is_some_and(|t| values.iter().any(|v| v == t)),
        Cmp::InCi => text.is_some_and(|t| values.iter().any(|v| lower(v) == lower(t))),
        Cmp::NotIn => text.is_none_or(|t| !values.iter().any(|v| v == t)),
        Cmp::NotInCi => text.is_none_or(|t| !values.iter().any(|v| lower(v) == lower(t))),
    }
}

fn holds(e: &Expr, row: &Map<String, Value>, columns: &[String]) -> Result<bool, QueryError> {
    Ok(match e {
        Expr::And(a, b) => holds(a, row, columns)? && holds(b, row, columns)?,
        Expr::Or(a, b) => holds(a, row, columns)? || holds(b, row, columns)?,
        Expr::Test { path, cmp, values } => {
            known(columns, path)?;
            test(lookup(row, path), *cmp, values)
        }
    })
}

/// Kusto's order for one key: numbers by value, text by ordinal, absent values first.
fn order(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Less,
        (_, None | Some(Value::Null)) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

/// What a query gives: its rows and the columns they have.
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Map<String, Value>>,
}

/// Runs the operators over `rows`, whose columns are `columns`. Rows come in a stable order (by
/// id) when no `order by` sets one, so pages never overlap.
pub fn run(ops: &[Op], columns: Vec<String>, rows: Vec<Map<String, Value>>) -> Result<Table, QueryError> {
    let mut t = Table { columns, rows };
    for op in ops {
        match op {
            Op::Where(e) => {
                let mut kept = Vec::new();
                for row in t.rows {
                    if holds(e, &row, &t.columns)? {
                        kept.push(row);
                    }
                }
                t.rows = kept;
            }
            Op::Project(items) => {
                let mut names: Vec<String> = Vec::new();
                for (name, path) in items {
                    if names.contains(name) {
                        return Err(QueryError::Invalid(format!("The column '{name}' is projected twice.")));
                    }
                    known(&t.columns, path)?;
                    names.push(name.clone());
                }
                t.rows = t
                    .rows
                    .into_iter()
                    .map(|row| {
                        items
                            .iter()
                            .map(|(name, path)| (name.clone(), lookup(&row, path).cloned().unwrap_or(Value::Null)))
                            .collect()
                    })
                    .collect();
                t.columns = names;
            }
            Op::Order(keys) => {
                for (path, _) in keys {
                    known(&t.columns, path)?;
                }
                t.rows.sort_by(|a, b| {
                    keys.iter()
                        .map(|(path, asc)| {
                            let o = order(lookup(a, path), lookup(b, path));
                            if *asc { o } else { o.reverse() }
                        })
                        .find(|o| *o != Ordering::Equal)
                        .unwrap_or(Ordering::Equal)
                });
            }
            Op::Take(n) => t.rows.truncate(*n),
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows() -> (Vec<String>, Vec<Map<String, Value>>) {
        let make = |id: &str, name: &str, kind: &str, loc: &str, sku: Option<&str>| {
            let mut m = Map::new();
            m.insert("id".into(), json!(id));
            m.insert("name".into(), json!(name));
            m.insert("type".into(), json!(kind));
            m.insert("location".into(), json!(loc));
            m.insert("subscriptionId".into(), json!("s1"));
            m.insert("sku".into(), sku.map_or(Value::Null, |s| json!({ "name": s, "tier": s })));
            m
        };
        let cols = ["id", "name", "type", "location", "subscriptionId", "sku"].map(String::from).to_vec();
        (cols, vec![
            make("/r/a", "alpha", "microsoft.containerregistry/registries", "eastus", Some("Premium")),
            make("/r/b", "Beta", "microsoft.containerregistry/registries", "westus2", Some("Basic")),
            make("/n/c", "gamma", "microsoft.network/virtualnetworks", "eastus", None),
        ])
    }

    fn names(q: &str) -> Vec<String> {
        let (cols, rows) = rows();
        let t = run(&parse(q).unwrap(), cols, rows).unwrap();
        t.rows.iter().map(|r| r.get("name").and_then(Value::as_str).unwrap_or("").to_string()).collect()
    }

    #[test]
    fn the_portals_query_and_common_ones_run() {
        assert_eq!(names("resources | where type =~ 'Microsoft.ContainerRegistry/registries' | project id, name, sku"), ["alpha", "Beta"]);
        assert_eq!(names("Resources | where type == 'Microsoft.ContainerRegistry/registries'"), Vec::<String>::new(), "== cares about case: type is lower-case");
        assert_eq!(names("resources | where sku.name =~ 'premium' and location == 'eastus'"), ["alpha"]);
        assert_eq!(names("resources | where location == 'westus2' or name == 'gamma' | order by name asc"), ["Beta", "gamma"]);
        assert_eq!(names("resources | where (name contains 'ET' or name startswith 'al') and type !~ 'x'"), ["alpha", "Beta"]);
        assert_eq!(names("resources | where location in~ ('EASTUS') | order by name desc | take 1"), ["gamma"]);
        assert_eq!(names("resources | where name !in ('alpha', 'gamma') | limit 5"), ["Beta"]);
        assert_eq!(names("resources | order by sku.name asc, name asc"), ["gamma", "Beta", "alpha"], "absent first, then by text");
    }

    #[test]
    fn project_names_dotted_paths_as_arg_does() {
        let (cols, rows) = rows();
        let t = run(&parse("resources | project id, sku.name, region = location | where sku_name == 'Premium'").unwrap(), cols, rows).unwrap();
        assert_eq!(t.columns, ["id", "sku_name", "region"]);
        assert_eq!(Value::Object(t.rows[0].clone()), json!({"id": "/r/a", "sku_name": "Premium", "region": "eastus"}));
    }

    #[test]
    fn what_is_outside_the_subset_says_so() {
        for (q, what) in [
            ("resources | summarize count() by location", "summarize"),
            ("resourcecontainers | take 1", "resourcecontainers"),
            ("resources | where name has 'x'", "has"),
            ("resources | extend x = 1", "extend"),
            ("resources | where properties.count > 1", "<"),
            ("resources | where tolower(name) == 'x'", "tolower"),
            ("resources | where count == 3", "number"),
            ("resources | top 3 by name", "top"),
        ] {
            match parse(q) {
                Err(QueryError::Outside(why)) => assert!(why.contains(what), "{q}: {why}"),
                other => panic!("{q}: {other:?}"),
            }
        }
    }

    #[test]
    fn wrong_queries_are_invalid_not_guessed() {
        let (cols, rows) = rows();
        let after_project = run(&parse("resources | project id | where name == 'x'").unwrap(), cols.clone(), rows.clone());
        assert!(matches!(after_project, Err(QueryError::Invalid(m)) if m.contains("'name'")), "a column projected away is gone");
        assert!(matches!(run(&parse("resources | where nope == 'x'").unwrap(), cols.clone(), rows.clone()), Err(QueryError::Invalid(_))));
        for q in ["resources | where name == 'x", "resources | where", "resources where name == 'x'", "resources | take x", "| take 1"] {
            assert!(matches!(parse(q), Err(QueryError::Invalid(_))), "{q}");
        }
        assert!(matches!(run(&parse("resources | project name, name").unwrap(), cols, rows), Err(QueryError::Invalid(_))));
    }
}
