//! The runs list's `$filter` (spec: RunFilter; "Arithmetic operators are not supported. The allowed
//! string function is 'contains'. All logical operators except 'Not', 'Has', 'All' are allowed").
//! Fields: runId, runType, status, createTime, finishTime, outputImageManifests, isArchiveEnabled,
//! taskName, agentPoolName (any case, as the CLI writes `TaskName eq 'x'`).

use crate::clock::parse_rfc3339_ms;
use crate::store::Run;

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    RunId,
    RunType,
    Status,
    CreateTime,
    FinishTime,
    OutputImageManifests,
    IsArchiveEnabled,
    TaskName,
    AgentPoolName,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Compare(Field, Op, Literal),
    Contains(Field, String),
}

fn field(name: &str) -> Option<Field> {
    Some(match name.to_ascii_lowercase().as_str() {
        "runid" => Field::RunId,
        "runtype" => Field::RunType,
        "status" => Field::Status,
        "createtime" => Field::CreateTime,
        "finishtime" => Field::FinishTime,
        "outputimagemanifests" => Field::OutputImageManifests,
        "isarchiveenabled" => Field::IsArchiveEnabled,
        "taskname" => Field::TaskName,
        "agentpoolname" => Field::AgentPoolName,
        _ => return None,
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Open,
    Close,
    Comma,
}

fn tokenize(s: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => i += 1,
            '(' => { tokens.push(Token::Open); i += 1 }
            ')' => { tokens.push(Token::Close); i += 1 }
            ',' => { tokens.push(Token::Comma); i += 1 }
            '\'' => {
                let mut value = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("a string is not closed".into()),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => { value.push('\''); i += 2 }
                        Some('\'') => { i += 1; break }
                        Some(ch) => { value.push(*ch); i += 1 }
                    }
                }
                tokens.push(Token::Str(value));
            }
            _ => {
                let start = i;
                while i < chars.len() && !matches!(chars[i], ' ' | '\t' | '(' | ')' | ',' | '\'') {
                    i += 1;
                }
                tokens.push(Token::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

/// Parentheses deeper than this are refused (a filter is not a stack-overflow vector).
const MAX_DEPTH: usize = 32;

impl Parser {
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn expect(&mut self, t: Token, what: &str) -> Result<(), String> {
        if self.next() == Some(t) { Ok(()) } else { Err(format!("expected {what}")) }
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.peek_word("or") {
            self.at += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.primary()?;
        while self.peek_word("and") {
            self.at += 1;
            left = Filter::And(Box::new(left), Box::new(self.primary()?));
        }
        Ok(left)
    }

    fn field(&mut self) -> Result<Field, String> {
        match self.next() {
            Some(Token::Word(w)) => field(&w).ok_or_else(|| format!("'{w}' is not a field runs can be filtered by")),
            _ => Err("expected a field name".into()),
        }
    }

    fn literal(&mut self) -> Result<Literal, String> {
        match self.next() {
            Some(Token::Str(s)) => Ok(Literal::Str(s)),
            Some(Token::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "true" => Ok(Literal::Bool(true)),
                "false" => Ok(Literal::Bool(false)),
                "null" => Ok(Literal::Null),
                _ if parse_rfc3339_ms(&w).is_some() => Ok(Literal::Str(w)),
                _ => w.parse::<f64>().map(Literal::Num).map_err(|_| format!("'{w}' is not a value")),
            },
            _ => Err("expected a value".into()),
        }
    }

    fn primary(&mut self) -> Result<Filter, String> {
        if self.peek_word("not") || self.peek_word("has") || self.peek_word("all") {
            return Err("the operators 'not', 'has' and 'all' are not supported".into());
        }
        if self.peek_word("contains") {
            self.at += 1;
            self.expect(Token::Open, "'(' after contains")?;
            let f = self.field()?;
            self.expect(Token::Comma, "',' in contains")?;
            let Literal::Str(s) = self.literal()? else { return Err("contains needs a string".into()) };
            self.expect(Token::Close, "')' to close contains")?;
            return Ok(Filter::Contains(f, s));
        }
        if matches!(self.tokens.get(self.at), Some(Token::Open)) {
            self.at += 1;
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(format!("parentheses nest deeper than {MAX_DEPTH}"));
            }
            let inner = self.or()?;
            self.depth -= 1;
            self.expect(Token::Close, "')'")?;
            return Ok(inner);
        }
        let f = self.field()?;
        let op = match self.next() {
            Some(Token::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "eq" => Op::Eq,
                "ne" => Op::Ne,
                "gt" => Op::Gt,
                "ge" => Op::Ge,
                "lt" => Op::Lt,
                "le" => Op::Le,
                "add" | "sub" | "mul" | "div" | "mod" => return Err("arithmetic operators are not supported".into()),
                other => return Err(format!("'{other}' is not a comparison operator")),
            },
            _ => return Err("expected an operator".into()),
        };
        let lit = self.literal()?;
        check_type(f, &lit)?;
        Ok(Filter::Compare(f, op, lit))
    }
}

/// A value of the wrong type for its field is an error, not a silent "no match".
fn check_type(f: Field, lit: &Literal) -> Result<(), String> {
    let ok = match (f, lit) {
        (_, Literal::Null) => true,
        (Field::IsArchiveEnabled, Literal::Bool(_)) => true,
        (Field::CreateTime | Field::FinishTime, Literal::Str(s)) => parse_rfc3339_ms(s).is_some(),
        (Field::IsArchiveEnabled | Field::CreateTime | Field::FinishTime, _) => false,
        (_, Literal::Str(_)) => true,
        _ => false,
    };
    if ok { Ok(()) } else { Err(format!("{lit:?} is not a value of the right type for {f:?}")) }
}

pub fn parse(s: &str) -> Result<Option<Filter>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    let mut p = Parser { tokens: tokenize(s)?, at: 0, depth: 0 };
    let f = p.or()?;
    if p.at < p.tokens.len() {
        return Err("unexpected text after the end of the filter".into());
    }
    Ok(Some(f))
}

/// `registry/repository:tag@digest` of each output image, comma-separated (what `contains` sees).
pub fn manifests(run: &Run) -> String {
    run.output_images.iter().map(|i| format!("{}/{}:{}@{}", i.registry, i.repository, i.tag, i.digest)).collect::<Vec<_>>().join(",")
}

#[derive(PartialEq, PartialOrd)]
enum Value {
    Str(String),
    Time(Option<u64>),
    Bool(bool),
}

fn value_of(run: &Run, f: Field) -> Value {
    let s = |v: Option<&str>| Value::Str(v.unwrap_or("").to_string());
    match f {
        Field::RunId => s(Some(&run.run_id)),
        Field::RunType => s(Some(&run.run_type)),
        Field::Status => s(Some(&run.status)),
        Field::TaskName => s(run.task_name.as_deref()),
        Field::AgentPoolName => s(run.agent_pool_name.as_deref()),
        Field::OutputImageManifests => Value::Str(manifests(run)),
        Field::CreateTime => Value::Time(Some(run.create_ms)),
        Field::FinishTime => Value::Time(run.finish_ms),
        Field::IsArchiveEnabled => Value::Bool(run.is_archive_enabled),
    }
}

fn compare(v: &Value, op: Op, lit: &Literal) -> bool {
    let ord = match (v, lit) {
        (Value::Str(a), Literal::Str(b)) => Some(a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase())),
        (Value::Str(a), Literal::Null) => Some(if a.is_empty() { std::cmp::Ordering::Equal } else { std::cmp::Ordering::Greater }),
        (Value::Time(a), Literal::Str(b)) => match (a, parse_rfc3339_ms(b)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        },
        (Value::Time(a), Literal::Null) => Some(if a.is_none() { std::cmp::Ordering::Equal } else { std::cmp::Ordering::Greater }),
        (Value::Bool(a), Literal::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    };
    let Some(ord) = ord else { return op == Op::Ne };
    match op {
        Op::Eq => ord.is_eq(),
        Op::Ne => ord.is_ne(),
        Op::Gt => ord.is_gt(),
        Op::Ge => ord.is_ge(),
        Op::Lt => ord.is_lt(),
        Op::Le => ord.is_le(),
    }
}

pub fn matches(filter: &Filter, run: &Run) -> bool {
    match filter {
        Filter::And(a, b) => matches(a, run) && matches(b, run),
        Filter::Or(a, b) => matches(a, run) || matches(b, run),
        Filter::Compare(f, op, lit) => compare(&value_of(run, *f), *op, lit),
        Filter::Contains(f, needle) => match value_of(run, *f) {
            Value::Str(s) => s.to_ascii_lowercase().contains(&needle.to_ascii_lowercase()),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::demo;

    fn runs_matching(f: &str) -> Vec<String> {
        let state = demo::state(100 * 60_000);
        let filter = parse(f).unwrap();
        state.runs.iter().filter(|r| filter.as_ref().is_none_or(|f| matches(f, r))).map(|r| r.run_id.clone()).collect()
    }

    #[test]
    fn the_clis_filters_work() {
        assert_eq!(runs_matching("AgentPoolName eq 'nightly-s1'"), vec!["ca6", "ca7"]);
        assert_eq!(runs_matching("agentPoolName eq 'build-s2' and Status eq 'Running'"), vec!["ca3", "ca4"]);
        assert_eq!(runs_matching("status eq 'Queued' or (status eq 'Failed')"), vec!["ca2", "ca5", "ca6", "ca7"]);
        assert_eq!(runs_matching("contains(OutputImageManifests, 'web:build-3')"), vec!["ca3"]);
        assert_eq!(runs_matching(""), runs_matching("status ne 'x'"));
    }

    #[test]
    fn times_compare_as_times() {
        // The demo runs are at now - age; 100 min "now" puts ca8 (90 min old) at 10 min after epoch.
        assert_eq!(runs_matching("createTime le 1970-01-01T00:10:00Z"), vec!["ca8"]);
        assert_eq!(runs_matching("finishTime eq null and status eq 'Queued'").len(), 3);
    }

    #[test]
    fn unsupported_syntax_is_refused_with_a_reason() {
        for (bad, why) in [
            ("not status eq 'x'", "not supported"),
            ("count add 1 eq 2", "not a field"),
            ("status add 'x'", "arithmetic"),
            ("status eq 'x", "not closed"),
            ("status eq 'x' extra", "unexpected text"),
            ("contains(status 'x')", "','"),
            ("status eq 5", "right type"),
            ("createTime gt 'yesterday'", "right type"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
        let deep = format!("{}status eq 'x'{}", "(".repeat(40), ")".repeat(40));
        assert!(parse(&deep).unwrap_err().contains("deeper"));
    }
}
