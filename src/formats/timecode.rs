//! Times and durations as files write them, read into milliseconds: clock
//! timestamps (`HH:MM:SS,mmm`, `HH:MM:SS.mmm`, `MM:SS.mmm`, `M:SS`,
//! `H:MM:SS`, with 1 to 3 or more fractional digits), seconds and
//! milliseconds as numbers, and durations (`3723`, `1:02:03`, `1 h 12 min`).

use crate::model::Millis;

/// Parses a clock timestamp. Hours are optional and may have any number of
/// digits; with hours, minutes must be below 60; without hours, minutes may
/// exceed 59 (`62:03` in `itunes:duration`). Seconds are below 60.
pub fn parse_clock(s: &str) -> Option<Millis> {
    let s = s.trim();
    let (clock, frac) = match s.find(['.', ',']) {
        Some(i) => (s.get(..i)?, Some(s.get(i + 1..)?)),
        None => (s, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [m, sec] => (0, number(m, 1, 4)?, number(sec, 1, 2)?),
        [h, m, sec] => {
            let m = number(m, 1, 2)?;
            if m >= 60 {
                return None;
            }
            (number(h, 1, 4)?, m, number(sec, 1, 2)?)
        }
        _ => return None,
    };
    if seconds >= 60 {
        return None;
    }
    let ms = match frac {
        Some(f) => fraction_ms(f)?,
        None => 0,
    };
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + ms)
}

/// A run of `min..=max` ASCII digits as a number.
fn number(s: &str, min: usize, max: usize) -> Option<Millis> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `5` -> 500 ms, `05` -> 50 ms, `005` -> 5 ms, `0049` -> 5 ms (rounded).
fn fraction_ms(f: &str) -> Option<Millis> {
    if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u64 = f.parse().ok()?;
    let scale = 10u64.checked_pow(u32::try_from(f.len()).ok()?)?;
    Some((value * 1000 + scale / 2) / scale)
}

/// Float milliseconds (YouTube json3, whisper.cpp offsets) as milliseconds.
/// Bounded like [`crate::model::seconds::from_seconds`] (10^15 ms, about
/// 31 700 years): an `as` cast would saturate a huge value to `u64::MAX`, and
/// adding a duration to it then overflowed (found by fuzzing `json_formats`).
pub fn from_millis(ms: f64) -> Option<Millis> {
    (0.0..1.0e15).contains(&ms).then(|| ms.round() as Millis)
}

/// Float seconds (Whisper, Podcasting 2.0, RTTM) as milliseconds.
pub fn from_seconds(s: f64) -> Option<Millis> {
    crate::model::seconds::from_seconds(s)
}

/// A duration as feeds and pages write it: a clock (`1:02:03`, `62:03`,
/// `01:02:03.5`), a number of seconds (`3723`, `3723.25`: `itunes:duration`),
/// or hours, minutes and seconds in words (`1h12`, `1 h 12 min`, `45 min`).
pub fn parse_duration(s: &str) -> Option<Millis> {
    let s = s.trim();
    if s.contains(':') {
        return parse_clock(s);
    }
    if let Ok(seconds) = s.parse::<f64>() {
        return from_seconds(seconds);
    }
    let words = crate::text::static_regex!(
        r"(?i)^(?:(\d{1,4})\s*h)?\s*(?:(\d{1,6})\s*(?:min|mn|m)?)?\s*(?:(\d{1,8})\s*s)?$"
    );
    let c = words.captures(s)?;
    if c.get(1).is_none() && c.get(2).is_none() && c.get(3).is_none() {
        return None;
    }
    let num = |i: usize| -> u64 { c.get(i).and_then(|m| m.as_str().parse().ok()).unwrap_or(0) };
    Some(((num(1) * 60 + num(2)) * 60 + num(3)) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_millis_are_bounded() {
        for (input, want) in [
            (1650.4, Some(1650)),
            (0.0, Some(0)),
            (-1.0, None),
            (4e40, None),
            (f64::NAN, None),
            (f64::INFINITY, None),
        ] {
            assert_eq!(from_millis(input), want, "{input}");
        }
    }

    #[test]
    fn clocks_and_durations() {
        // A duration with a colon is a clock; without one, seconds or words.
        for (input, clock, duration) in [
            ("00:00:01,000", Some(1_000), Some(1_000)),
            ("00:00:01.5", Some(1_500), Some(1_500)),
            ("01:02:03.04", Some(3_723_040), Some(3_723_040)),
            ("1:02:03", Some(3_723_000), Some(3_723_000)),
            ("02:03.250", Some(123_250), Some(123_250)),
            ("0:05", Some(5_000), Some(5_000)),
            ("62:03", Some(3_723_000), Some(3_723_000)),
            ("72:30", Some(4_350_000), Some(4_350_000)),
            ("01:02:03.5", Some(3_723_500), Some(3_723_500)),
            ("100:00:00.000", Some(360_000_000), Some(360_000_000)),
            ("00:00:00,0049", Some(5), Some(5)),
            ("00:61:00", None, None),
            ("00:00:60", None, None),
            ("aa:bb", None, None),
            ("1:2:3:4", None, None),
            ("00:00:01,", None, None),
            ("", None, None),
            ("12", None, Some(12_000)),
            ("3723", None, Some(3_723_000)),
            ("3723.25", None, Some(3_723_250)),
            ("1h12", None, Some(4_320_000)),
            ("1 h 12 min", None, Some(4_320_000)),
            ("45 min", None, Some(2_700_000)),
            ("une heure", None, None),
            ("-5", None, None),
            ("None", None, None),
            ("99999999999999999999 h", None, None),
        ] {
            assert_eq!(parse_clock(input), clock, "clock {input:?}");
            assert_eq!(parse_duration(input), duration, "duration {input:?}");
        }
    }
}
