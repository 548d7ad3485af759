//! Opaque pagination cursors.
//!
//! A cursor is the hex of a tiny JSON object: which listing it continues (a
//! fingerprint of the arguments that define the listing) and the offset to
//! resume at. Clients must treat it as opaque; the fingerprint lets verbatim
//! refuse a cursor pasted into a different request instead of silently
//! returning the wrong page.

use crate::text::digest::hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Where a listing resumes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    /// Fingerprint of the listing's defining arguments.
    f: String,
    /// Offset of the first item of the next page.
    o: usize,
}

/// Why a cursor was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    #[error(
        "the cursor is not one verbatim gave out; pass back the exact `next_cursor` of the previous page, or omit `cursor` to start from the first page"
    )]
    Malformed,
    #[error(
        "the cursor belongs to a request with different arguments; repeat the same arguments with the cursor, or omit `cursor` to start over"
    )]
    OtherRequest,
}

/// The fingerprint of a listing: a short hash of the parts that define it
/// (tool name and filters; not the page size, which may change between pages).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        // A separator that cannot occur in UTF-8 keeps ["ab","c"] apart from ["a","bc"].
        hasher.update([0xff]);
    }
    hex(hasher.finalize().get(..6).unwrap_or_default())
}

/// The cursor that resumes the listing `fingerprint` at `offset`.
pub fn encode(fingerprint: &str, offset: usize) -> String {
    let payload = Payload {
        f: fingerprint.to_string(),
        o: offset,
    };
    let json = serde_json::to_string(&payload).unwrap_or_default();
    hex(json.as_bytes())
}

/// The offset a cursor resumes at; `None` (no cursor) is the first page.
pub fn decode(cursor: Option<&str>, fingerprint: &str) -> Result<usize, CursorError> {
    let Some(cursor) = cursor else {
        return Ok(0);
    };
    let cursor = cursor.trim();
    if cursor.is_empty() {
        return Ok(0);
    }
    if cursor.len() % 2 != 0 || cursor.len() > 512 {
        return Err(CursorError::Malformed);
    }
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| {
            cursor
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or(CursorError::Malformed)?;
    let payload: Payload = serde_json::from_slice(&bytes).map_err(|_| CursorError::Malformed)?;
    if payload.f != fingerprint {
        return Err(CursorError::OtherRequest);
    }
    Ok(payload.o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let f = fingerprint(&["list_episodes", "", "tech"]);
        let cursor = encode(&f, 40);
        assert_eq!(decode(Some(&cursor), &f), Ok(40));
        assert_eq!(decode(None, &f), Ok(0));
        assert_eq!(decode(Some(""), &f), Ok(0));
        let other = fingerprint(&["list_episodes", "", "tec"]);
        assert_ne!(f, other);
        assert_eq!(
            decode(Some(&cursor), &other),
            Err(CursorError::OtherRequest)
        );
        for bad in ["abc", "zz", "not a cursor", "7b7d", &"00".repeat(300)] {
            assert_eq!(decode(Some(bad), &f), Err(CursorError::Malformed), "{bad}");
        }
    }

    #[test]
    fn fingerprint_separates_parts() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }
}
