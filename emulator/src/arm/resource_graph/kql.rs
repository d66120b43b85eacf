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
    /// Not valid: a column that does not exist, a name used twice.
    Invalid(String),
    /// A syntax error where the parser stood, as Resource Graph's `ParserFailure` reports it.
    Syntax(SyntaxError),
}

/// Where a query stopped parsing: line (from 1), character in the line (from 0), the token found
/// there (`<EOF>` at the end) and what was expected instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub token: String,
    pub expected: String,
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

/// The tokens of a query, with the character index each starts at.
fn tokenize(q: &str) -> Result<(Vec<Tok>, Vec<usize>), QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut starts = Vec::new();
    let mut i = 0;
    let mut pass_start = 0;
    while i < chars.len() {
        // A token the previous pass pushed started where that pass began.
        starts.resize(out.len(), pass_start);
        pass_start = i;
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
                            'r' => '\r',
                            '\\' | '\'' | '"' => next,
                            other => return Err(QueryError::Outside(format!("the escape '\\{other}' in a string literal"))),
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
    starts.resize(out.len(), pass_start);
    Ok((out, starts))
}

struct Parser {
    toks: Vec<Tok>,
    /// Where each token starts in `text` (characters).
    starts: Vec<usize>,
    text: Vec<char>,
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
            Err(self.syntax(format!("Expected '{s}' {}.", self.where_now()), s))
        }
    }

    /// A syntax error at the token the parser stands on, saying what it expected there.
    fn syntax(&self, message: String, expected: &str) -> QueryError {
        let at = self.starts.get(self.at).copied().unwrap_or(self.text.len());
        let before = &self.text[..at];
        let line = before.iter().filter(|c| **c == '\n').count() + 1;
        let column = before.iter().rev().take_while(|c| **c != '\n').count();
        let token = match self.peek() {
            None => "<EOF>".to_string(),
            Some(Tok::Word(w)) => w.clone(),
            Some(Tok::Text(t)) => format!("'{t}'"),
            Some(Tok::Num(n)) => n.clone(),
            Some(Tok::Sym(s)) => s.to_string(),
        };
        QueryError::Syntax(SyntaxError { message, line, column, token, expected: expected.to_string() })
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
                Err(self.syntax(format!("Expected a column name {}.", self.where_now()), "<column>"))
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
            Some(Tok::Word(w)) => Err(QueryError::Outside(format!("comparing with the column '{w}' (only with text values)"))),
            _ => {
                self.at -= 1;
                Err(self.syntax(format!("Expected a string literal {}.", self.where_now()), "<string>"))
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
                return Err(self.syntax(format!("Expected a comparison after '{}' {}.", path.join("."), self.where_now()), "=="));
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
                Err(self.syntax(format!("Expected a number of rows {}.", self.where_now()), "<number>"))
            }
        }
    }

    fn op(&mut self) -> Result<Op, QueryError> {
        let Some(Tok::Word(w)) = self.next() else {
            self.at -= 1;
            return Err(self.syntax(format!("Expected an operator after '|' {}.", self.where_now()), "<operator>"));
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

/// Operators a query may start with, the table left implicit.
const OPERATORS: [&str; 6] = ["where", "project", "order", "sort", "take", "limit"];

/// A parsed query: its operators, in order.
pub fn parse(query: &str) -> Result<Vec<Op>, QueryError> {
    let (toks, starts) = tokenize(query)?;
    let mut p = Parser { toks, starts, text: query.chars().collect(), at: 0 };
    let mut ops = Vec::new();
    match p.peek() {
        Some(Tok::Word(t)) if t == "resources" || t == "Resources" => p.at += 1,
        // Resource Graph reads `resources` when a query names no table: `project name | limit 3`.
        Some(Tok::Word(t)) if OPERATORS.contains(&t.as_str()) => ops.push(p.op()?),
        Some(Tok::Word(t)) => return Err(QueryError::Outside(format!("the table '{t}' (only resources)"))),
        _ => return Err(QueryError::Invalid("A query starts with the table it reads.".into())),
    }
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

/// A column as Kusto types it: text, or `dynamic` (an object, a list, anything).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub dynamic: bool,
}

/// Whether a path is fine for this table, and whether what it reads is `dynamic`: a dotted path
/// reads into a dynamic column only, and reads a dynamic value.
fn path_type(columns: &[Column], path: &[String]) -> Result<bool, QueryError> {
    let column = columns
        .iter()
        .find(|c| c.name == path[0])
        .ok_or_else(|| QueryError::Invalid(format!("Failed to resolve scalar expression named '{}'.", path[0])))?;
    if path.len() > 1 && !column.dynamic {
        return Err(QueryError::Invalid(format!("'{}' is not dynamic: '{}' cannot be read from it.", path[0], path.join("."))));
    }
    Ok(column.dynamic)
}

fn check_expr(e: &Expr, columns: &[Column]) -> Result<(), QueryError> {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => {
            check_expr(a, columns)?;
            check_expr(b, columns)
        }
        Expr::Test { path, .. } => path_type(columns, path).map(|_| ()),
    }
}

/// Checks every column a query names, operator by operator, before any row is read: a query
/// is refused whatever the data, never answered because no row happened to reach a bad clause.
fn check(ops: &[Op], mut columns: Vec<Column>) -> Result<Vec<Column>, QueryError> {
    for op in ops {
        match op {
            Op::Where(e) => check_expr(e, &columns)?,
            Op::Project(items) => {
                let mut next: Vec<Column> = Vec::new();
                for (name, path) in items {
                    let dynamic = path_type(&columns, path)?;
                    if next.iter().any(|c| &c.name == name) {
                        return Err(QueryError::Invalid(format!("The column '{name}' is projected twice.")));
                    }
                    next.push(Column { name: name.clone(), dynamic });
                }
                columns = next;
            }
            Op::Order(keys) => {
                for (path, _) in keys {
                    if path_type(&columns, path)? {
                        return Err(QueryError::Outside(format!("sorting by the dynamic value '{}' (Kusto sorts by text, numbers and dates)", path.join("."))));
                    }
                }
            }
            Op::Take(_) => {}
        }
    }
    Ok(columns)
}

/// A comparison, as Kusto makes it with text. A value that is neither text nor absent (an object,
/// a number) is refused: Kusto would compare its text form, which the emulator does not write.
fn test(value: Option<&Value>, cmp: Cmp, values: &[String], path: &[String]) -> Result<bool, QueryError> {
    let text = match value {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.as_str()),
        Some(_) => return Err(QueryError::Outside(format!("comparing '{}', which is not text, with text", path.join(".")))),
    };
    let lower = |s: &str| s.to_lowercase();
    Ok(match cmp {
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
    })
}

fn holds(e: &Expr, row: &Map<String, Value>) -> Result<bool, QueryError> {
    Ok(match e {
        Expr::And(a, b) => holds(a, row)? && holds(b, row)?,
        Expr::Or(a, b) => holds(a, row)? || holds(b, row)?,
        Expr::Test { path, cmp, values } => test(lookup(row, path), *cmp, values, path)?,
    })
}

/// Kusto's order for text keys: ordinal, absent values first.
fn order(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    text(a).cmp(&text(b))
}

/// What a query gives: its rows and the columns they have.
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Map<String, Value>>,
}

/// Runs the operators over `rows`, whose columns are `columns`. The query is checked first, as a
/// whole; rows keep their order (by id) when no `order by` sets one, so pages never overlap.
pub fn run(ops: &[Op], columns: Vec<Column>, rows: Vec<Map<String, Value>>) -> Result<Table, QueryError> {
    let out_columns = check(ops, columns)?;
    let mut rows = rows;
    for op in ops {
        match op {
            Op::Where(e) => {
                let mut kept = Vec::new();
                for row in rows {
                    if holds(e, &row)? {
                        kept.push(row);
                    }
                }
                rows = kept;
            }
            Op::Project(items) => {
                rows = rows
                    .into_iter()
                    .map(|row| items.iter().map(|(name, path)| (name.clone(), lookup(&row, path).cloned().unwrap_or(Value::Null))).collect())
                    .collect();
            }
            Op::Order(keys) => {
                rows.sort_by(|a, b| {
                    keys.iter()
                        .map(|(path, asc)| {
                            let o = order(lookup(a, path), lookup(b, path));
                            if *asc { o } else { o.reverse() }
                        })
                        .find(|o| *o != Ordering::Equal)
                        .unwrap_or(Ordering::Equal)
                });
            }
            Op::Take(n) => rows.truncate(*n),
        }
    }
    Ok(Table { columns: out_columns.into_iter().map(|c| c.name).collect(), rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows() -> (Vec<Column>, Vec<Map<String, Value>>) {
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
        let cols = ["id", "name", "type", "location", "subscriptionId", "sku"]
            .map(|c| Column { name: c.to_string(), dynamic: c == "sku" })
            .to_vec();
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
        assert_eq!(names("resources | order by location asc, name asc"), ["alpha", "gamma", "Beta"], "by text, ordinal");
        assert_eq!(names("project name, location | where location == 'westus2'"), ["Beta"], "no table: resources");
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
            ("resources | where name == location", "column"),
            ("resources | where name == 'a\\u0041'", "escape"),
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
            assert!(matches!(parse(q), Err(QueryError::Invalid(_) | QueryError::Syntax(_))), "{q}");
        }
        // Where it stopped, as Resource Graph says it (recorded: `where where` at 1:11, <EOF>).
        let Err(QueryError::Syntax(e)) = parse("where where") else { panic!("a syntax error") };
        assert_eq!((e.line, e.column, e.token.as_str()), (1, 11, "<EOF>"));
        let Err(QueryError::Syntax(e)) = parse("resources\n| take x") else { panic!("a syntax error") };
        assert_eq!((e.line, e.column, e.token.as_str()), (2, 7, "x"));
        assert!(matches!(run(&parse("resources | project name, name").unwrap(), cols.clone(), rows.clone()), Err(QueryError::Invalid(_))));
        // Checked as a whole, before any row: no row reaching a bad clause is no excuse.
        for q in ["resources | where name == 'alpha' or bogus == 'y'", "resources | where type == 'none' | where bogus == 'x'", "resources | project name.x"] {
            assert!(matches!(run(&parse(q).unwrap(), cols.clone(), rows.clone()), Err(QueryError::Invalid(_))), "{q}");
        }
    }

    #[test]
    fn a_value_that_is_not_text_is_not_compared_with_text() {
        let (cols, rows) = rows();
        let r = run(&parse("resources | where sku contains 'Premium'").unwrap(), cols.clone(), rows.clone());
        assert!(matches!(r, Err(QueryError::Outside(why)) if why.contains("not text")), "Kusto would compare the JSON text");
        assert_eq!(run(&parse("resources | where sku.name == 'Premium'").unwrap(), cols.clone(), rows.clone()).unwrap().rows.len(), 1, "a text inside a dynamic column is text");
        let sorted = run(&parse("resources | order by sku.name").unwrap(), cols, rows);
        assert!(matches!(sorted, Err(QueryError::Outside(why)) if why.contains("dynamic")), "Kusto refuses a dynamic sort key");
    }
}
