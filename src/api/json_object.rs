//! Free-form JSON objects (`metadata`) read with each key once. serde's derive refuses a
//! duplicated field of a struct by itself, but a `serde_json::Value` keeps the last of two equal
//! keys without a word; a caller who sent `{"tier": "gold", "tier": "basic"}` learns nothing of
//! the one dropped. These deserializers refuse it, naming the key (`metadata.tier`), at any depth.

use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A JSON value whose objects, at every depth, have each key once.
pub struct UniqueKeys(pub Value);

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Each)
    }
}

/// `Option<Value>` for a `#[serde(default, deserialize_with = "…")]` field: null is absent.
pub fn unique_keys<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Ok(Option::<UniqueKeys>::deserialize(d)?.map(|v| v.0))
}

/// `Option<Option<Value>>` where absent (`None`), null (`Some(None)`) and a value differ.
pub fn nullable_unique_keys<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Value>>, D::Error> {
    Ok(Some(Option::<UniqueKeys>::deserialize(d)?.map(|v| v.0)))
}

struct Each;

impl<'de> Visitor<'de> for Each {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                // Worded as serde words a duplicated struct field, so one classifier reads both.
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            let UniqueKeys(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(UniqueKeys(Value::Object(out)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        let mut out = Vec::new();
        while let Some(UniqueKeys(item)) = seq.next_element()? {
            out.push(item);
        }
        Ok(UniqueKeys(Value::Array(out)))
    }

    fn visit_unit<E: Error>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(Value::Null))
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(Value::Bool(v)))
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(Value::from(v)))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(Value::from(v)))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(Value::from(v)))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(Value::String(v.to_owned())))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(Value::String(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "unique_keys")]
        metadata: Option<Value>,
    }

    fn probe(json: &str) -> Result<Option<Value>, String> {
        serde_json::from_str::<Probe>(json).map(|p| p.metadata).map_err(|e| e.to_string())
    }

    #[test]
    fn a_key_given_twice_at_any_depth_is_refused_and_everything_else_read_as_json() {
        assert!(probe(r#"{"metadata": {"k": 1, "k": 2}}"#).unwrap_err().contains("duplicate field `k`"));
        assert!(probe(r#"{"metadata": {"a": [{"b": 1, "b": 1}]}}"#).unwrap_err().contains("`b`"));
        let v = probe(r#"{"metadata": {"a": [1, -2, 2.5, "x", true, null], "b": {"c": {}}}}"#).unwrap();
        assert_eq!(v, Some(serde_json::json!({"a": [1, -2, 2.5, "x", true, null], "b": {"c": {}}})));
        assert_eq!(probe(r#"{"metadata": null}"#).unwrap(), None);
        assert_eq!(probe("{}").unwrap(), None);
    }
}
