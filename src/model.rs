//! The one shape every layer shares: an [`Episode`] (metadata, people,
//! chapters, passages), its [`EpisodeHeader`] (the same without passages),
//! times in [`Millis`], the references an answer carries to a passage
//! ([`mod@reference`]), and the citation line built from them ([`citation`]).
//!
//! The JSON field names here are a public contract: `verbatim inspect
//! --json` prints an [`Episode`], and the MCP tools return pieces of it.

pub mod citation;
pub mod episode;
pub mod header;
pub mod reference;
pub mod time;

pub use episode::{
    Chapter, ChapterTiming, Diagnostic, Episode, EpisodeTiming, Evidence, MappingMethod,
    Participant, Passage, PassageTiming, Role, Severity, Source, SpeakerMapping, TimeMark,
};
pub use header::EpisodeHeader;
pub use reference::{ChapterRef, EpisodeRef, MatchTime, Origin, Said};
pub use time::{Millis, format_timestamp, seconds, time_label, timestamp_label};
