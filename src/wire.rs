//! Serde forms that carry every `f64` exactly, NaN and infinities included, for results saved
//! to be merged later: a finite number is a JSON number (serde_json, with `float_roundtrip`,
//! writes the shortest text that reads back to the same bits, and reads it back to them), and
//! the values a JSON number cannot say are the strings `"NaN"`, `"inf"` and `"-inf"`.
//!
//! Use with `#[serde(with = "crate::wire::real")]` on an `f64`, `crate::wire::reals` on a
//! `Vec<f64>` and `crate::wire::maybe_real` on an `Option<f64>`, `crate::wire::maybe_reals` on a
//! `Vec<Option<f64>>`.

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// One `f64`, carried exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Real(pub f64);

impl Serialize for Real {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let x = self.0;
        if x.is_finite() {
            serializer.serialize_f64(x)
        } else if x.is_nan() {
            serializer.serialize_str("NaN")
        } else if x > 0.0 {
            serializer.serialize_str("inf")
        } else {
            serializer.serialize_str("-inf")
        }
    }
}

struct RealVisitor;

impl Visitor<'_> for RealVisitor {
    type Value = Real;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number, or \"NaN\", \"inf\" or \"-inf\"")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Real, E> {
        Ok(Real(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Real, E> {
        Ok(Real(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Real, E> {
        Ok(Real(v as f64))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Real, E> {
        match v {
            "NaN" => Ok(Real(f64::NAN)),
            "inf" => Ok(Real(f64::INFINITY)),
            "-inf" => Ok(Real(f64::NEG_INFINITY)),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

impl<'de> Deserialize<'de> for Real {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Real, D::Error> {
        deserializer.deserialize_any(RealVisitor)
    }
}

pub mod real {
    use super::Real;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        Real(*x).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Real::deserialize(d).map(|r| r.0)
    }
}

pub mod reals {
    use super::{Real, SerializeSeq};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(xs: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(xs.len()))?;
        for &x in xs {
            seq.serialize_element(&Real(x))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<Real>::deserialize(d).map(|v| v.into_iter().map(|r| r.0).collect())
    }
}

pub mod maybe_real {
    use super::Real;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        x.map(Real).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Option::<Real>::deserialize(d).map(|o| o.map(|r| r.0))
    }
}

pub mod maybe_reals {
    use super::{Real, SerializeSeq};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(xs: &[Option<f64>], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(xs.len()))?;
        for x in xs {
            seq.serialize_element(&x.map(Real))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Option<f64>>, D::Error> {
        Vec::<Option<Real>>::deserialize(d).map(|v| v.into_iter().map(|r| r.map(|r| r.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Carrier {
        #[serde(with = "reals")]
        xs: Vec<f64>,
        #[serde(with = "maybe_real")]
        maybe: Option<f64>,
    }

    /// Every bit pattern of a spread of values, subnormals, extremes, -0 and the non-finite ones
    /// reads back to the same bits.
    #[test]
    fn every_f64_reads_back_to_the_same_bits() {
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            1.0 / 3.0,
            f64::MIN_POSITIVE,
            f64::MIN_POSITIVE / 3.0,
            5e-324,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            123_456_789.123_456_78,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // A deterministic walk over bit patterns: mantissas and exponents of every kind.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..200_000 {
            state = crate::sample::stream::mix64(state);
            let x = f64::from_bits(state);
            if !x.is_nan() {
                xs.push(x);
            }
        }
        let carrier = Carrier {
            xs: xs.clone(),
            maybe: Some(f64::NAN),
        };
        let text = serde_json::to_string(&carrier).unwrap();
        let back: Carrier = serde_json::from_str(&text).unwrap();
        assert_eq!(back.xs.len(), xs.len());
        for (a, b) in xs.iter().zip(&back.xs) {
            assert_eq!(a.to_bits(), b.to_bits(), "{a:e} came back as {b:e}");
        }
        assert!(back.maybe.unwrap().is_nan());
        assert!(text.contains("\"inf\"") && text.contains("\"-inf\"") && text.contains("\"NaN\""));
    }

    #[test]
    fn other_strings_are_refused() {
        let bad: Result<Carrier, _> = serde_json::from_str(r#"{"xs":["Infinity"],"maybe":null}"#);
        assert!(bad.is_err());
    }
}
