//! Format detection and dispatch: bytes of one file -> a [`Transcript`].
//!
//! Every layout has one pure parser in `src/formats/<layout>.rs`
//! (`fn parse(text: &str) -> Result<Transcript, FormatError>`). Detection looks
//! at the content first and uses the file extension only to break ties, since
//! scraped pages and caption dumps all arrive as `.txt`.
//!
//! A [`Transcript`] is what a file says, before verbatim cuts it into
//! passages: `crate::normalize` turns it into an [`crate::model::Episode`].

use crate::model::{Diagnostic, Millis, Participant};
use chrono::NaiveDate;

pub mod companions;
pub mod lenient_json;
pub mod participants;
pub mod podcasting20;
pub mod rss;
pub mod rttm;
pub mod sniff;
pub mod speaker_prefix;
pub mod srt;
pub mod text;
pub mod timecode;
pub mod webvtt;
pub mod whisper;
pub mod youtube;

/// A transcript layout verbatim can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// (a) A podcast web page: metadata, a chapter list, then untimed text.
    PodcastPage,
    /// (b) and (d) Caption lines starting with a timestamp (`12:34Bonjour`, `12:34 Bonjour`).
    CaptionLines,
    /// (c) A diarized dump: `[0.03s - 106.50s] SPEAKER_02 :  text`.
    DiarizedDump,
    /// WebVTT captions (`.vtt`), including yt-dlp rolling auto-captions.
    Webvtt,
    /// SubRip subtitles (`.srt`).
    Srt,
    /// Podcasting 2.0 JSON transcript (`segments[]` with `startTime`/`body`).
    Podcasting20Json,
    /// Podcasting 2.0 HTML transcript (`<cite>`, `<time>`, `<p>`).
    Podcasting20Html,
    /// openai-whisper JSON, OpenAI `verbose_json`, faster-whisper dumps, whisper-timestamped.
    WhisperJson,
    /// WhisperX JSON (segments and words with speakers).
    WhisperxJson,
    /// whisper.cpp `-oj` output (`transcription[]`).
    WhisperCppJson,
    /// YouTube json3 captions (`events[]` with `segs`).
    YoutubeJson3,
    /// youtube-transcript-api dump (`[{text, start, duration}]`).
    YoutubeTranscriptApi,
}

impl Format {
    /// The name shown by `verbatim inspect` and stored in `source.format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::PodcastPage => "podcast_page",
            Format::CaptionLines => "caption_lines",
            Format::DiarizedDump => "diarized_dump",
            Format::Webvtt => "webvtt",
            Format::Srt => "srt",
            Format::Podcasting20Json => "podcasting20_json",
            Format::Podcasting20Html => "podcasting20_html",
            Format::WhisperJson => "whisper_json",
            Format::WhisperxJson => "whisperx_json",
            Format::WhisperCppJson => "whisper_cpp_json",
            Format::YoutubeJson3 => "youtube_json3",
            Format::YoutubeTranscriptApi => "youtube_transcript_api",
        }
    }
}

/// What a parser read from one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    pub title: Option<String>,
    pub show: Option<String>,
    pub published: Option<NaiveDate>,
    pub recorded: Option<NaiveDate>,
    pub duration: Option<Millis>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub participants: Vec<Participant>,
    pub chapters: Vec<RawChapter>,
    /// The spoken text in source order: caption lines, turns, paragraphs.
    pub segments: Vec<Segment>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A chapter as the source gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawChapter {
    pub title: String,
    pub start: Option<Millis>,
    pub links: Vec<String>,
}

/// One piece of spoken text as the source cuts it (a caption line, a turn, a line of a page).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: Option<Millis>,
    pub end: Option<Millis>,
    pub speaker: Option<String>,
    /// The source's exact words for this piece.
    pub text: String,
    /// 1-based line of the source where the piece starts.
    pub line: usize,
}

/// Why a file could not be read as a transcript.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FormatError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is binary, not text")]
    Binary,
    #[error("the file is not a transcript verbatim recognizes (supported: {supported})")]
    Unrecognized { supported: &'static str },
    #[error("the file holds no transcript text: {0}")]
    NoText(String),
    #[error("malformed {format}: {message}")]
    Malformed {
        format: &'static str,
        message: String,
    },
}
