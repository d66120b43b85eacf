//! Reading a request body the way ARM's model binding does: a body that is not JSON, or a field of
//! the wrong type, is a 400 `InvalidRequestContent` whose message names the field's path.

use serde_json::{Map, Value};

use crate::arm::pipeline::error::ArmError;

pub struct Body(pub Value);

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "Boolean",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

fn wrong_type(path: &str, value: &Value, expected: &str) -> ArmError {
    ArmError::bad_field(
        "InvalidRequestContent",
        path,
        format!(
            "The request content was invalid and could not be deserialized: 'Error converting value {value} ({}) to type '{expected}'. Path '{path}'.'",
            kind(value)
        ),
    )
}

impl Body {
    pub fn parse(bytes: &[u8]) -> Result<Body, ArmError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ArmError::new(axum::http::StatusCode::BAD_REQUEST, "InvalidRequestContent", "The request content was invalid: the body is empty."));
        }
        let value: Value = serde_json::from_slice(bytes).map_err(|e| {
            ArmError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "InvalidRequestContent",
                format!("The request content was invalid and could not be deserialized: '{e}'."),
            )
        })?;
        if !value.is_object() {
            return Err(wrong_type("", &value, "Object"));
        }
        Ok(Body(value))
    }

    /// The value at a dotted path (`properties.count`); absent and `null` are the same.
    pub fn get(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(&self.0, |v, k| v.get(k)).filter(|v| !v.is_null())
    }

    pub fn string(&self, path: &str) -> Result<Option<&str>, ArmError> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong_type(path, other, "System.String")),
        }
    }

    pub fn required_string(&self, path: &str) -> Result<&str, ArmError> {
        self.string(path)?.filter(|s| !s.is_empty()).ok_or_else(|| {
            ArmError::bad_field("InvalidRequestContent", path, format!("The request content was invalid: the required property '{path}' is missing."))
        })
    }

    pub fn int(&self, path: &str) -> Result<Option<i64>, ArmError> {
        match self.get(path) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n.as_i64().filter(|i| i32::try_from(*i).is_ok()).map(Some).ok_or_else(|| wrong_type(path, v, "System.Int32")),
            Some(other) => Err(wrong_type(path, other, "System.Int32")),
        }
    }

    pub fn bool(&self, path: &str) -> Result<Option<bool>, ArmError> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong_type(path, other, "System.Boolean")),
        }
    }

    pub fn object(&self, path: &str) -> Result<Option<&Map<String, Value>>, ArmError> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(other) => Err(wrong_type(path, other, "Object")),
        }
    }

    pub fn array(&self, path: &str) -> Result<Option<&Vec<Value>>, ArmError> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(other) => Err(wrong_type(path, other, "Array")),
        }
    }

    /// `tags`: an object of strings.
    pub fn tags(&self) -> Result<Option<Vec<(String, String)>>, ArmError> {
        let Some(map) = self.object("tags")? else { return Ok(None) };
        map.iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                other => Err(wrong_type(&format!("tags.{k}"), other, "System.String")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_name_the_field() {
        let b = Body::parse(br#"{"properties":{"count":"two"}}"#).unwrap();
        let e = b.int("properties.count").unwrap_err();
        assert_eq!((e.code.as_str(), e.target.as_deref()), ("InvalidRequestContent", Some("properties.count")));
        assert!(e.message.contains("Path 'properties.count'"), "{}", e.message);
    }

    #[test]
    fn missing_and_null_are_absent_and_required_fields_say_so() {
        let b = Body::parse(br#"{"location":null,"tags":{"a":"b"}}"#).unwrap();
        assert_eq!(b.string("location").unwrap(), None);
        assert!(b.required_string("location").unwrap_err().message.contains("'location' is missing"));
        assert_eq!(b.tags().unwrap(), Some(vec![("a".into(), "b".into())]));
    }

    #[test]
    fn bodies_that_are_not_json_objects_are_refused() {
        assert!(Body::parse(b"not json").is_err());
        assert!(Body::parse(b"[1]").is_err());
        assert!(Body::parse(b"").is_err());
        assert!(Body::parse(br#"{"tags":{"a":1}}"#).unwrap().tags().is_err());
        assert!(Body::parse(br#"{"c":3000000000}"#).unwrap().int("c").is_err(), "beyond int32");
    }
}
