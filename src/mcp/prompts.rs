//! Prompts: ready-made tasks a person can pick in a client, each spelling out
//! the search -> read around -> verify -> cite routine for one goal.

use super::{VerbatimServer, unknown_episode_message};
use crate::answers::catalog::speaker_names;
use crate::model::format_timestamp;
use crate::text::{closest, contains_words};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{GetPromptResult, PromptMessage, Role};
use rmcp::{ErrorData, prompt, prompt_router};
use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt::Write as _;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct TopicArgs {
    /// The subject to find quotes about, in a few words (e.g. "souveraineté numérique").
    pub topic: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct EpisodeBriefArgs {
    /// The episode to brief, by id (completion available).
    pub episode_id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SpeakerArgs {
    /// The person to profile, by name (completion available).
    pub speaker: String,
}

fn required(name: &str, value: &str) -> Result<String, ErrorData> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ErrorData::invalid_params(
            format!("the `{name}` argument is empty"),
            None,
        ));
    }
    // A prompt argument is a topic, an id or a name; a huge one would be echoed into the prompt.
    super::arguments::bounded(name, v)
        .map_err(|message| ErrorData::invalid_params(message, None))?;
    Ok(v.to_string())
}

#[prompt_router(vis = "pub(super)")]
impl VerbatimServer {
    /// Find what the corpus says about a topic and answer with verified, cited quotes.
    #[prompt(name = "cite_quotes", title = "Cite quotes on a topic")]
    pub async fn cite_quotes(
        &self,
        Parameters(args): Parameters<TopicArgs>,
    ) -> Result<GetPromptResult, ErrorData> {
        let topic = required("topic", &args.topic)?;
        let text = format!(
            "Find what is said about « {topic} » in the verbatim transcript corpus, and answer with quotes I can check.\n\n\
             1. Call `search_quotes` with a few words for the topic (try synonyms, and French and English wordings, if the first search is thin).\n\
             2. For each promising hit, call `read_transcript` with `around_passage` set to its `passage_id` to read the context: keep the quote only if the context does not change its meaning.\n\
             3. Call `verify_quote` on every quote you keep. Use it only if the verdict is `exact`; if `close`, quote `match.excerpt` instead; never use a `not_said` quote.\n\
             4. Answer with 3 to 6 quotes grouped by point of view. Give each with `verify_quote`'s `match.citation` line exactly as returned (the words, speaker, episode, show, date, time; `~` marks an interpolated time, `untimed` a transcript without times).\n\
             Say plainly if the corpus says little or nothing about the topic."
        );
        Ok(
            GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
                .with_description(format!("Verified, cited quotes about « {topic} »")),
        )
    }

    /// Brief one episode: who speaks, what each chapter covers, and its key quotes with citations.
    #[prompt(name = "episode_brief", title = "Brief an episode")]
    pub async fn episode_brief(
        &self,
        Parameters(args): Parameters<EpisodeBriefArgs>,
    ) -> Result<GetPromptResult, ErrorData> {
        let id = required("episode_id", &args.episode_id)?;
        let Some(header) = self.state.corpus.header(&id) else {
            return Err(ErrorData::invalid_params(
                unknown_episode_message(&self.state.corpus, &id),
                None,
            ));
        };
        let e = &header.episode;
        let mut about = format!("Episode `{}`: « {} »", e.episode_id, e.title);
        if let Some(show) = &e.show {
            let _ = write!(about, ", {show}");
        }
        if let Some(date) = e.published {
            let _ = write!(about, ", published {date}");
        }
        about.push('\n');
        for p in &e.participants {
            let _ = writeln!(
                about,
                "- {} ({}{})",
                p.name,
                p.role.name(),
                p.affiliation
                    .as_deref()
                    .map(|a| format!(", {a}"))
                    .unwrap_or_default()
            );
        }
        if e.chapters.is_empty() {
            about.push_str("No chapters: read it with `read_transcript` page by page.\n");
        } else {
            about.push_str("Chapters:\n");
            for c in &e.chapters {
                let time = c
                    .start_seconds
                    .map(format_timestamp)
                    .unwrap_or_else(|| "untimed".to_string());
                let _ = writeln!(about, "{}. {} [{time}]", c.index, c.title);
            }
        }
        let _ = writeln!(about, "Timing: {}.", header.timing.sentence());
        let text = format!(
            "Write a brief of this episode from the verbatim corpus.\n\n{about}\n\
             1. Call `get_episode` and `summarize_speakers` with episode_id `{id}` for the participants and who speaks how much.\n\
             2. Read it chapter by chapter with `read_chapter` (follow `next_cursor`), or with `read_transcript` if it has no chapters.\n\
             3. Write: one paragraph on what the episode is about; one or two lines per chapter; the 3 to 5 most telling quotes.\n\
             4. Call `verify_quote` on every quote with episode_id `{id}` and give each with `verify_quote`'s `match.citation` line exactly as returned.\n\
             The whole transcript is also the resource verbatim://episodes/{id}."
        );
        Ok(
            GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
                .with_description(format!("A brief of « {} » with cited quotes", e.title)),
        )
    }

    /// Profile one speaker: who they are, where and how much they speak, what they say, with cited quotes.
    #[prompt(name = "speaker_profile", title = "Profile a speaker")]
    pub async fn speaker_profile(
        &self,
        Parameters(args): Parameters<SpeakerArgs>,
    ) -> Result<GetPromptResult, ErrorData> {
        let speaker = required("speaker", &args.speaker)?;
        let names = speaker_names(&self.state.corpus);
        let matching: Vec<&String> = names
            .iter()
            .filter(|n| contains_words(n, &speaker))
            .collect();
        if matching.is_empty() {
            let near = closest(&speaker, names.iter().map(String::as_str), 5);
            return Err(ErrorData::invalid_params(
                format!(
                    "no speaker matches `{speaker}`; closest names: {}",
                    near.join(", ")
                ),
                None,
            ));
        }
        let list = matching
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "Write a profile of {speaker} from the verbatim transcript corpus (matching speakers: {list}).\n\n\
             1. Call `summarize_speakers` with speaker `{speaker}`: role, affiliation, episodes, talk time and share, representative quotes.\n\
             2. Call `search_quotes` with speaker `{speaker}` and a few topics they raise, to find their main positions; read around the best hits with `read_transcript`.\n\
             3. Call `verify_quote` on every quote you use and give each with `verify_quote`'s `match.citation` line exactly as returned.\n\
             4. Write: who they are (as the corpus presents them), where they speak, their main positions with quotes, and anything that changes between episodes.\n\
             Do not add facts the transcripts do not contain."
        );
        Ok(
            GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
                .with_description(format!("A cited profile of {speaker}")),
        )
    }
}
