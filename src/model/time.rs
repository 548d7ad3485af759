//! Time: [`Millis`] inside the program (integer milliseconds, no float
//! drift in citations), seconds in JSON ([`seconds`]), and the one way a
//! time is written for a person (`00:18:43`, `~00:18:43`, `untimed`).

use super::episode::PassageTiming;

/// A point or a length in time, in milliseconds.
pub type Millis = u64;

/// `H:MM:SS`-style timestamp, always with hours: `00:18:43`.
pub fn format_timestamp(ms: Millis) -> String {
    let total = ms / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        total / 3600,
        (total / 60) % 60,
        total % 60
    )
}

/// A passage's time as a person reads it, honest about how it was obtained:
/// `00:18:43` read from the source, `~00:18:43` interpolated; `None` untimed.
pub fn time_label(start: Option<Millis>, timing: PassageTiming) -> Option<String> {
    match (start, timing) {
        (Some(ms), PassageTiming::Exact) => Some(format_timestamp(ms)),
        (Some(ms), PassageTiming::Estimated) => Some(format!("~{}", format_timestamp(ms))),
        _ => None,
    }
}

/// The time part of a citation: [`time_label`], or `untimed`.
pub fn timestamp_label(start: Option<Millis>, timing: PassageTiming) -> String {
    time_label(start, timing).unwrap_or_else(|| "untimed".to_string())
}

/// Serde helpers: milliseconds inside, seconds (a JSON number) outside.
pub mod seconds {
    use super::Millis;

    /// Milliseconds as seconds, rounded to the millisecond.
    pub fn to_seconds(ms: Millis) -> f64 {
        ms as f64 / 1000.0
    }

    /// Seconds (possibly fractional, never negative) as milliseconds.
    pub fn from_seconds(s: f64) -> Option<Millis> {
        if (0.0..1.0e12).contains(&s) {
            Some((s * 1000.0).round() as Millis)
        } else {
            None
        }
    }

    pub mod option {
        use super::super::Millis;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(v: &Option<Millis>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                // As an option (the same JSON), so that binary formats read it back.
                Some(ms) => s.serialize_some(&super::to_seconds(*ms)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Millis>, D::Error> {
            let v: Option<f64> = Option::deserialize(d)?;
            Ok(v.and_then(super::from_seconds))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_labels() {
        assert_eq!(format_timestamp(1_123_400), "00:18:43");
        assert_eq!(format_timestamp(4_320_000), "01:12:00");
        assert_eq!(
            timestamp_label(Some(1_123_000), PassageTiming::Estimated),
            "~00:18:43"
        );
        assert_eq!(timestamp_label(None, PassageTiming::None), "untimed");
    }
}
