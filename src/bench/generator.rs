//! A deterministic synthetic corpus in the seeds' layouts, for benchmarks
//! and large-corpus tests.
//!
//! Text is produced by a word-level Markov chain trained on the seed
//! transcripts, so word frequencies, accents, elisions and sentence lengths
//! look like real French speech. Episodes are written as podcast pages
//! (layout a), caption lines (layout b) and diarized dumps (layout c), with
//! names, shows, dates and chapters drawn from fixed pools, so the same seed
//! always gives the same bytes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (SplitMix64): no dependency, same output everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let i = self.below(items.len());
        items.get(i)
    }
}

/// Word-level Markov chain (order 1) over the seed transcripts.
#[derive(Debug, Clone)]
pub struct Chain {
    words: Vec<String>,
    next: Vec<Vec<u32>>,
    starts: Vec<u32>,
}

/// The embedded transcripts' text, one string per episode: what the
/// generator's chain is trained on (the bench and the tests that need a big
/// corpus of realistic French).
pub fn seed_texts() -> Result<Vec<String>, crate::corpus::CorpusError> {
    let corpus = crate::corpus::Corpus::load(&crate::ingest::CorpusSource::Embedded)?;
    Ok(corpus
        .to_episodes()?
        .iter()
        .map(|e| {
            e.passages
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect())
}

impl Chain {
    /// Learns from texts; lines that look like timestamps or labels are cleaned first.
    pub fn train(texts: &[String]) -> Self {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut next: Vec<Vec<u32>> = Vec::new();
        let mut starts = Vec::new();
        for text in texts {
            let mut prev: Option<u32> = None;
            for raw in text.split_whitespace() {
                let word = clean_word(raw);
                if word.is_empty() || word.contains("://") || word.starts_with("SPEAKER_") {
                    continue;
                }
                let id = *ids.entry(word.to_string()).or_insert_with(|| {
                    words.push(word.to_string());
                    next.push(Vec::new());
                    (words.len() - 1) as u32
                });
                match prev {
                    Some(p) => {
                        if let Some(list) = next.get_mut(p as usize) {
                            list.push(id);
                        }
                    }
                    None => starts.push(id),
                }
                let ends = word.ends_with(['.', '?', '!']);
                if ends {
                    prev = None;
                } else {
                    prev = Some(id);
                }
            }
        }
        if words.is_empty() {
            words.push("Bonjour.".into());
            next.push(Vec::new());
        }
        if starts.is_empty() {
            starts.push(0);
        }
        Self {
            words,
            next,
            starts,
        }
    }

    /// One sentence of 4 to ~40 words, ending with punctuation.
    pub fn sentence(&self, rng: &mut Rng) -> String {
        let mut out = String::new();
        let mut current = *rng.pick(&self.starts).unwrap_or(&0);
        for n in 0..40 {
            let word = self.words.get(current as usize).map_or("", String::as_str);
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            if word.ends_with(['.', '?', '!']) && n >= 3 {
                return out;
            }
            let followers = self
                .next
                .get(current as usize)
                .map_or(&[][..], Vec::as_slice);
            current = match rng.pick(followers) {
                Some(&w) => w,
                None => *rng.pick(&self.starts).unwrap_or(&0),
            };
        }
        out.push('.');
        out
    }

    /// Sentences up to about `chars` characters.
    pub fn paragraph(&self, rng: &mut Rng, chars: usize) -> String {
        let mut out = String::new();
        while out.len() < chars {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&self.sentence(rng));
        }
        out
    }
}

/// Strips a caption timestamp glued to a word (`00:29A` -> `A`).
fn clean_word(raw: &str) -> &str {
    let trimmed = raw.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':');
    if trimmed.len() < raw.len() && raw.contains(':') {
        trimmed
    } else {
        raw
    }
}

const FIRST: &[&str] = &[
    "Arthur",
    "Thomas",
    "Quentin",
    "Pierre",
    "Horacio",
    "Alain",
    "Michel",
    "Lucas",
    "Arnaud",
    "François",
    "Élodie",
    "Camille",
    "Sophie",
    "Léa",
    "Inès",
    "Chloé",
    "Mathilde",
    "Jean-Baptiste",
    "Constantin",
    "Hélène",
];
const LAST: &[&str] = &[
    "Mensch",
    "Mathieu",
    "Adam",
    "Zemb",
    "Gonzalez",
    "Garnier",
    "Maudet",
    "Perraudin",
    "Auger",
    "Sorel",
    "Kempf",
    "Pavléas",
    "Lefèvre",
    "Rousseau",
    "Béranger",
    "Dufresne",
    "Kowalski",
    "Nguyen",
    "Benali",
    "Serval",
];
const SHOWS: &[&str] = &[
    "Messages à caractère informatique",
    "Tech & Co",
    "Smart Tech",
    "Génération Do It Yourself",
    "Le Code a changé",
    "Sécurité et données",
];
/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub rel_path: String,
    pub bytes: u64,
}

/// Writes synthetic episodes into `dir` until about `target_bytes` are written.
/// The same `seed` and chain give the same files.
pub fn generate(
    dir: &Path,
    chain: &Chain,
    target_bytes: u64,
    seed: u64,
) -> std::io::Result<Vec<GeneratedFile>> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut files = Vec::new();
    let mut total = 0u64;
    let mut n = 0usize;
    while total < target_bytes {
        let (name, text) = match n % 3 {
            0 => (
                format!("podcast-{n:06}.txt"),
                podcast_page(chain, &mut rng, n),
            ),
            1 => (
                format!("captions-{n:06}.txt"),
                caption_lines(chain, &mut rng, n),
            ),
            _ => (
                format!("interview-{n:06}.txt"),
                diarized_dump(chain, &mut rng),
            ),
        };
        // Spread files over folders, as a real archive would be.
        let rel_path = format!("{:03}/{name}", n / 500);
        let path = dir.join(&rel_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text.as_bytes())?;
        total += text.len() as u64;
        files.push(GeneratedFile {
            rel_path,
            bytes: text.len() as u64,
        });
        n += 1;
    }
    Ok(files)
}

fn person(rng: &mut Rng) -> String {
    format!(
        "{} {}",
        rng.pick(FIRST).unwrap_or(&"Anne"),
        rng.pick(LAST).unwrap_or(&"Martin")
    )
}

fn date(rng: &mut Rng) -> (u32, u32, u32) {
    (
        2019 + rng.below(7) as u32,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    )
}

/// `3 février 2026`, as the pages write dates.
fn in_words(y: u32, m: u32, d: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
        .map_or_else(|| format!("{d}/{m}/{y}"), crate::formats::dates::format_fr)
}

/// Layout (a): metadata, participants, a chapter list glued on one line, then untimed text.
fn podcast_page(chain: &Chain, rng: &mut Rng, n: usize) -> String {
    let (y, m, d) = date(rng);
    let host = person(rng);
    let guests: Vec<String> = (0..1 + rng.below(3)).map(|_| person(rng)).collect();
    let mut out = String::new();
    let title = chain.sentence(rng);
    let _ = write!(
        out,
        "\n{} (épisode {n})\nDurée: None\nDate de sortie: {d:02}/{m:02}/{y}\nVoir sur Youtube\n",
        title.trim_end_matches(['.', '?', '!']),
    );
    let _ = writeln!(out, "Présenté par {host} avec la participation de :");
    for g in &guests {
        let (first, last) = g.split_once(' ').unwrap_or((g, ""));
        let _ = writeln!(out, "{first} {}", last.to_uppercase());
    }
    let _ = writeln!(
        out,
        "Episode enregistré le {}\nChapitrage et Liens",
        in_words(y, m, d)
    );
    let chapters = 4 + rng.below(5);
    let mut t = 16u64;
    let mut line = String::new();
    for _ in 0..chapters {
        let title = chain.sentence(rng);
        let words: Vec<&str> = title.split_whitespace().take(8).collect();
        let _ = write!(
            line,
            "{:02}:{:02}:{:02} - {}",
            t / 3600,
            (t / 60) % 60,
            t % 60,
            words.join(" ").trim_end_matches(['.', '?', '!', ','])
        );
        t += 300 + rng.below(600) as u64;
    }
    out.push_str(&line);
    out.push('\n');
    let body_chars = 50_000 + rng.below(40_000);
    let body = chain.paragraph(rng, body_chars);
    // Wrapped lines of about 90 characters, like the scraped pages.
    let mut current = String::new();
    for word in body.split(' ') {
        if current.len() + word.len() > 90 {
            out.push_str(&current);
            out.push('\n');
            current.clear();
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push_str(&current);
    out.push('\n');
    out
}

/// Layout (b): a description line, a category, then `MM:SS` caption lines.
fn caption_lines(chain: &Chain, rng: &mut Rng, n: usize) -> String {
    let (y, m, d) = date(rng);
    let show = rng.pick(SHOWS).unwrap_or(&"Tech & Co").to_uppercase();
    let a = person(rng);
    let b = person(rng);
    let mut out = format!(
        "Mardi {}, {show} reçoit {a} (fondateur, Société {n}) et {b} (avocate en droit du numérique)\nCategory\n🗞\nNewsTranscription",
        in_words(y, m, d)
    );
    let mut t = 0u64;
    let lines = 400 + rng.below(300);
    for _ in 0..lines {
        let text = chain.sentence(rng);
        let _ = writeln!(out, "{:02}:{:02}{text}", t / 60, t % 60);
        t += 2 + (text.len() as u64) / 16;
        if t >= 3590 {
            break;
        }
    }
    out
}

/// Layout (c): diarized turns `[start - end] SPEAKER_nn :  text`.
fn diarized_dump(chain: &Chain, rng: &mut Rng) -> String {
    let mut out = String::from("**Transcriptions par locuteur**\n\n");
    let speakers = 2 + rng.below(2);
    let mut t = 0.03f64;
    let turns = 60 + rng.below(60);
    for _ in 0..turns {
        let chars = 80 + rng.below(900);
        let text = chain.paragraph(rng, chars);
        let len = text.len() as f64 / 15.0;
        let _ = writeln!(
            out,
            "[{t:.2}s - {:.2}s] SPEAKER_{:02} :  {text}",
            t + len,
            rng.below(speakers)
        );
        t += len + 0.3;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> Chain {
        Chain::train(&[
            "Bonjour et bienvenue. La sécurité des données est une priorité. On parle de l'IA en Europe aujourd'hui."
                .to_string(),
        ])
    }

    #[test]
    fn generation_is_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let fa = generate(a.path(), &chain(), 200_000, 7).unwrap();
        let fb = generate(b.path(), &chain(), 200_000, 7).unwrap();
        assert_eq!(fa, fb);
        assert!(fa.len() >= 3);
        for f in &fa {
            assert_eq!(
                std::fs::read(a.path().join(&f.rel_path)).unwrap(),
                std::fs::read(b.path().join(&f.rel_path)).unwrap()
            );
        }
        let total: u64 = fa.iter().map(|f| f.bytes).sum();
        assert!(total >= 200_000);
    }

    #[test]
    fn sentences_end_with_punctuation() {
        let mut rng = Rng::new(1);
        for _ in 0..20 {
            let s = chain().sentence(&mut rng);
            assert!(s.ends_with(['.', '?', '!']), "{s}");
        }
    }
}
