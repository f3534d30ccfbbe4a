//! A value a scenario's `set` gives a parameter: a number held in every
//! draw, or a distribution the parameter is drawn from instead.

/// What a scenario's `set` gives a parameter: a value held in every draw,
/// or a distribution it is drawn from instead, on the same draws.
#[derive(Debug, Clone)]
pub enum SetValue {
    Value(f64),
    Distribution(Box<crate::distribution::DistributionSpec>),
}

// By hand rather than `#[serde(untagged)]`, whose only error is "did not
// match any variant": a table keeps the distribution's own error.
impl<'de> serde::Deserialize<'de> for SetValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = SetValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value (0.015) or a distribution ({ family = \"beta\", mean = 0.3, se = 0.1 })")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<SetValue, E> {
                Ok(SetValue::Value(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<SetValue, E> {
                Ok(SetValue::Value(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<SetValue, E> {
                Ok(SetValue::Value(v as f64))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> std::result::Result<SetValue, M::Error> {
                use serde::Deserialize as _;
                crate::distribution::DistributionSpec::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )
                .map(|spec| SetValue::Distribution(Box::new(spec)))
            }
        }
        d.deserialize_any(Entry)
    }
}
