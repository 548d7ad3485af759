//! A generation's search terms (`verbatim-terms.bin`): the metadata terms
//! and the name index built from its catalog ([`crate::index::query::MetaTerms`],
//! [`crate::index::query::NameIndex`]), so that opening an index does not
//! build them from every header again (over half a second at 1 GB).
//!
//! The file is a cache beside the catalog, in postcard: it names the schema
//! and the digest of the manifest it was built for, and is used only when
//! both match the state being opened, so a stale or damaged one is built
//! again, never misread. Written after a commit (by a build, or by a server
//! once it has the terms of a new state), temp file then rename.

use super::layout::{TERMS_FILE, replace_file};
use crate::corpus::{Corpus, StoredState};
use crate::index::query::{MetaTerms, NameIndex};
use crate::index::schema::SCHEMA_VERSION;
use crate::index::{IndexError, SearchIndex};
use serde::{Deserialize, Serialize};
use std::fs;

/// What a terms file is for, first in the file: read before the terms,
/// which are decoded only when they describe the state being opened.
#[derive(Serialize, Deserialize)]
struct TermsFor<'a> {
    schema: u32,
    manifest_sha256: &'a str,
}

/// The terms, after [`TermsFor`].
#[derive(Deserialize)]
struct Terms {
    meta: MetaTerms,
    names: NameIndex,
}

/// [`Terms`] borrowed, for writing (the same encoding).
#[derive(Serialize)]
struct TermsRef<'a> {
    meta: &'a MetaTerms,
    names: &'a NameIndex,
}

/// The terms stored for `corpus`'s index state, when there are some for
/// exactly that state.
pub(super) fn read_terms(corpus: &Corpus) -> Option<(MetaTerms, NameIndex)> {
    let state = corpus.stored_state()?;
    let bytes = fs::read(state.dir.join(TERMS_FILE)).ok()?;
    let (what, rest) = postcard::take_from_bytes::<TermsFor<'_>>(&bytes).ok()?;
    if what.schema != SCHEMA_VERSION || what.manifest_sha256 != state.manifest_sha256 {
        return None;
    }
    let terms: Terms = postcard::from_bytes(rest).ok()?;
    terms
        .meta
        .describes(corpus.headers())
        .then_some((terms.meta, terms.names))
}

/// Stores the search terms of `index` (building them if needed) with the
/// index state `corpus` was read from, unless they are stored there
/// already; nothing for a corpus not read from an on-disk index.
pub fn store_terms(corpus: &Corpus, index: &SearchIndex) -> Result<(), IndexError> {
    let Some(state) = corpus.stored_state() else {
        return Ok(());
    };
    if index.terms_stored() {
        return Ok(());
    }
    let (meta, names) = index.prepare(corpus);
    write_terms(state, meta, names)?;
    index.mark_terms_stored();
    Ok(())
}

fn write_terms(state: &StoredState, meta: &MetaTerms, names: &NameIndex) -> Result<(), IndexError> {
    let path = state.dir.join(TERMS_FILE);
    let encoding = |e: postcard::Error| IndexError::File {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut bytes = postcard::to_allocvec(&TermsFor {
        schema: SCHEMA_VERSION,
        manifest_sha256: &state.manifest_sha256,
    })
    .map_err(encoding)?;
    bytes.extend(postcard::to_allocvec(&TermsRef { meta, names }).map_err(encoding)?);
    replace_file(&path, &bytes)?;
    Ok(())
}
