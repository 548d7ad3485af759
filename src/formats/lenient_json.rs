//! Reading the JSON exports: a file read into its serde structs with a
//! clear error ([`read`]), and serde helpers for exports that are loose about
//! types: numbers written as strings (YouTube json3's `"tStartMs": "120"`),
//! `null` where a number is expected, and labels written as numbers
//! (whisper.cpp `"speaker": 0`).

use crate::formats::FormatError;
use crate::model::Millis;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// Reads a JSON export (a leading BOM allowed) as `T`; a file that does not
/// fit is malformed `format`, with serde's reason.
pub fn read<T: DeserializeOwned>(text: &str, format: &'static str) -> Result<T, FormatError> {
    serde_json::from_str(&crate::formats::clean_input(text)).map_err(|e| FormatError::Malformed {
        format,
        message: e.to_string(),
    })
}

/// A time in (possibly fractional) milliseconds, bounded (see
/// [`crate::formats::timecode::from_millis`]).
pub fn millis(v: Option<f64>) -> Option<Millis> {
    v.and_then(crate::formats::timecode::from_millis)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrString {
    Number(f64),
    Text(String),
}

/// An optional number that may be written as a JSON number or a string.
/// Unreadable strings become `None` rather than failing the whole file.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v: Option<NumberOrString> = Option::deserialize(d)?;
    Ok(match v {
        Some(NumberOrString::Number(n)) => Some(n),
        Some(NumberOrString::Text(s)) => s.trim().parse().ok(),
        None => None,
    })
}

/// An optional label that may be written as a string or a number.
pub fn label<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Label {
        Text(String),
        Int(i64),
        Float(f64),
    }
    let v: Option<Label> = Option::deserialize(d)?;
    Ok(match v {
        Some(Label::Text(s)) => {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        Some(Label::Int(i)) => Some(i.to_string()),
        Some(Label::Float(f)) => Some(f.to_string()),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "number")]
        n: Option<f64>,
        #[serde(default, deserialize_with = "label")]
        l: Option<String>,
    }

    #[test]
    fn loose_values() {
        for (json, n, l) in [
            (r#"{"n": 1.5, "l": "A"}"#, Some(1.5), Some("A")),
            (r#"{"n": "120", "l": 0}"#, Some(120.0), Some("0")),
            (r#"{"n": null, "l": null}"#, None, None),
            (r#"{"n": "abc", "l": " "}"#, None, None),
            (r#"{}"#, None, None),
        ] {
            let t: T = serde_json::from_str(json).unwrap();
            assert_eq!(t.n, n, "{json}");
            assert_eq!(t.l.as_deref(), l, "{json}");
        }
    }
}
