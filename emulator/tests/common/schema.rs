//! A small validator for Swagger 2.0 definitions, enough for Microsoft's ACR spec: `$ref`,
//! `allOf`, discriminators, required, types, formats, enums, maps; unknown properties are
//! reported unless the example shows the service returning them too.

use serde_json::{Map, Value};

pub struct Spec {
    pub doc: Value,
}

struct Collected<'a> {
    properties: Map<String, Value>,
    required: Vec<String>,
    additional: Option<&'a Value>,
    discriminator: Option<String>,
}

impl Spec {
    pub fn load(path: &std::path::Path) -> Spec {
        Spec { doc: serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap() }
    }

    pub fn definition(&self, name: &str) -> &Value {
        &self.doc["definitions"][name]
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(&self.doc["definitions"][r.trim_start_matches("#/definitions/")]),
            None => schema,
        }
    }

    fn collect<'a>(&'a self, schema: &'a Value, out: &mut Collected<'a>) {
        let schema = self.resolve(schema);
        if let Some(Value::Object(props)) = schema.get("properties") {
            out.properties.extend(props.clone());
        }
        if let Some(Value::Array(req)) = schema.get("required") {
            out.required.extend(req.iter().filter_map(|r| r.as_str().map(String::from)));
        }
        if let Some(a) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            out.additional = Some(a);
        }
        if let Some(d) = schema.get("discriminator").and_then(Value::as_str) {
            out.discriminator = Some(d.to_string());
        }
        if let Some(Value::Array(all)) = schema.get("allOf") {
            for s in all {
                self.collect(s, out);
            }
        }
    }

    /// The definition that extends `base` for a discriminator value.
    fn subtype(&self, base: &str, value: &str) -> Option<&Value> {
        let defs = self.doc["definitions"].as_object()?;
        defs.iter()
            .find(|(name, d)| {
                let extends = d.get("allOf").and_then(Value::as_array).is_some_and(|a| {
                    a.iter().any(|s| s.get("$ref").and_then(Value::as_str) == Some(&format!("#/definitions/{base}")))
                });
                let tag = d.get("x-ms-discriminator-value").and_then(Value::as_str).unwrap_or(name);
                extends && tag == value
            })
            .map(|(_, d)| d)
    }

    fn ref_name(schema: &Value) -> Option<&str> {
        schema.get("$ref").and_then(Value::as_str).map(|r| r.trim_start_matches("#/definitions/"))
    }

    /// Checks `value` against `schema`; `example` is what Microsoft's example has at the same place.
    pub fn validate(&self, schema: &Value, value: &Value, example: Option<&Value>, path: &str, errors: &mut Vec<String>) {
        if value.is_null() {
            return;
        }
        let mut c = Collected { properties: Map::new(), required: Vec::new(), additional: None, discriminator: None };
        self.collect(schema, &mut c);
        // A discriminated base validates as its subtype.
        if let (Some(d), Some(base)) = (&c.discriminator, Self::ref_name(schema)) {
            if let Some(tag) = value.get(d).and_then(Value::as_str) {
                match self.subtype(base, tag) {
                    Some(sub) if !std::ptr::eq(sub, self.resolve(schema)) => {
                        let mut more = Collected { properties: Map::new(), required: Vec::new(), additional: None, discriminator: None };
                        self.collect(sub, &mut more);
                        c.properties.extend(more.properties);
                        c.required.extend(more.required);
                    }
                    Some(_) => {}
                    None => errors.push(format!("{path}.{d}: '{tag}' is not a known {base} type")),
                }
            }
        }
        let resolved = self.resolve(schema);
        let ty = resolved.get("type").and_then(Value::as_str).or(if c.properties.is_empty() && c.additional.is_none() { None } else { Some("object") });
        match (ty, value) {
            (Some("object") | None, Value::Object(obj)) => {
                for r in &c.required {
                    if !obj.contains_key(r) {
                        errors.push(format!("{path}.{r}: required but missing"));
                    }
                }
                for (k, v) in obj {
                    let p = format!("{path}.{k}");
                    let ex = example.and_then(|e| e.get(k));
                    match (c.properties.get(k), c.additional) {
                        (Some(s), _) => self.validate(s, v, ex, &p, errors),
                        (None, Some(a)) => self.validate(a, v, ex, &p, errors),
                        (None, None) if ex.is_some() => {}
                        (None, None) if ty.is_none() => {}
                        // ARM's `systemData`: the 2019 spec predates it, real Azure sends it on
                        // every resource (recordings, NOTES.md §9).
                        (None, None) if k == "systemData" => {}
                        (None, None) => errors.push(format!("{p}: not defined by the spec")),
                    }
                }
                // What the example has, we have (unless the spec calls it optional).
                if let Some(Value::Object(ex)) = example {
                    for k in ex.keys().filter(|k| !obj.contains_key(*k)) {
                        if c.required.contains(k) {
                            errors.push(format!("{path}.{k}: in the example and required, missing here"));
                        }
                    }
                }
            }
            (Some("array"), Value::Array(items)) => {
                let item_schema = resolved.get("items").cloned().unwrap_or(Value::Null);
                for (i, v) in items.iter().enumerate() {
                    let ex = example.and_then(|e| e.get(0));
                    self.validate(&item_schema, v, ex, &format!("{path}[{i}]"), errors);
                }
            }
            (Some("string"), Value::String(s)) => {
                if resolved.get("format").and_then(Value::as_str) == Some("date-time")
                    && time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_err()
                {
                    errors.push(format!("{path}: '{s}' is not an RFC 3339 date-time"));
                }
                if let Some(Value::Array(allowed)) = resolved.get("enum") {
                    // Ignoring case: recorded Azure writes `Runtime` where the spec's enum has
                    // `RunTime` (baseImageDependencies' type, NOTES.md §9).
                    if !allowed.iter().any(|a| a.as_str().is_some_and(|a| a.eq_ignore_ascii_case(s))) {
                        errors.push(format!("{path}: '{s}' is not one of {allowed:?}"));
                    }
                }
            }
            (Some("integer"), Value::Number(n)) if n.is_i64() || n.is_u64() => {}
            (Some("number"), Value::Number(_)) | (Some("boolean"), Value::Bool(_)) => {}
            (Some(t), v) => errors.push(format!("{path}: expected {t}, got {v}")),
            _ => {}
        }
    }
}
