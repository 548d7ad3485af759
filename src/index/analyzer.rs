//! The analyzers shared by indexing, querying and highlighting: French
//! (`fr_v1`), and one per other language a passage may be in ([`LANES`]).
//!
//! Chain: [`FrenchTokenizer`] (alphanumeric runs, elided articles dropped)
//! -> remove tokens over 40 bytes -> lowercase -> ASCII folding -> French
//! Snowball stemmer ([`FrenchStemmer`], which remembers its stems). Folding
//! comes before stemming so that "données" and
//! "donnees" stem alike; no stop word is removed, so phrases such as
//! "je ne sais pas" keep every word.
//!
//! Other languages use the same chain with their own elisions (Italian
//! `l'`, `dell'`; Catalan has none here) and tantivy's Snowball stemmer for
//! the language; a language without a stemmer gets the chain without one.
//! Each language has its own text field ([`Lane`]): tantivy fixes one
//! analyzer per field, and a passage's words live in its language's field
//! only, so scores stay comparable within a language.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Name under which the analyzer is registered. Analyzers are not stored in
/// the index, so a change of behaviour needs a new name (and schema version).
pub const ANALYZER_NAME: &str = "fr_v1";

/// Words written elided before an apostrophe (`l'IA`, `qu'il`, `jusqu'à`).
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
];

/// Words written elided before an apostrophe in Italian (`l'anno`, `dell'arte`, `un'idea`).
const ELIDED_IT: &[&str] = &[
    "l", "d", "c", "s", "m", "t", "v", "n", "un", "dell", "dall", "nell", "sull", "all", "coll",
    "quest", "quell", "bell", "sant",
];

/// One language's text field and analyzer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lane {
    /// ISO 639-1 code of the language; `""` for the lane of languages without one of their own.
    pub code: &'static str,
    /// The text field its passages' words go to.
    pub field: &'static str,
    /// The analyzer's registered name.
    pub analyzer: &'static str,
    stemmer: Option<Language>,
    elided: &'static [&'static str],
}

/// The languages verbatim analyzes, French first (its field keeps the name
/// `text`): tantivy's Snowball stemmers, then a lane without stemming for
/// every other language.
pub const LANES: [Lane; 19] = [
    Lane::new("fr", "text", ANALYZER_NAME, Some(Language::French), ELIDED),
    Lane::new("en", "text_en", "en_v1", Some(Language::English), &[]),
    Lane::new("es", "text_es", "es_v1", Some(Language::Spanish), &[]),
    Lane::new("de", "text_de", "de_v1", Some(Language::German), &[]),
    Lane::new("it", "text_it", "it_v1", Some(Language::Italian), ELIDED_IT),
    Lane::new("pt", "text_pt", "pt_v1", Some(Language::Portuguese), &[]),
    Lane::new("nl", "text_nl", "nl_v1", Some(Language::Dutch), &[]),
    Lane::new("sv", "text_sv", "sv_v1", Some(Language::Swedish), &[]),
    Lane::new("da", "text_da", "da_v1", Some(Language::Danish), &[]),
    Lane::new("nb", "text_nb", "nb_v1", Some(Language::Norwegian), &[]),
    Lane::new("fi", "text_fi", "fi_v1", Some(Language::Finnish), &[]),
    Lane::new("ro", "text_ro", "ro_v1", Some(Language::Romanian), &[]),
    Lane::new("hu", "text_hu", "hu_v1", Some(Language::Hungarian), &[]),
    Lane::new("tr", "text_tr", "tr_v1", Some(Language::Turkish), &[]),
    Lane::new("ru", "text_ru", "ru_v1", Some(Language::Russian), &[]),
    Lane::new("el", "text_el", "el_v1", Some(Language::Greek), &[]),
    Lane::new("ar", "text_ar", "ar_v1", Some(Language::Arabic), &[]),
    Lane::new("ta", "text_ta", "ta_v1", Some(Language::Tamil), &[]),
    Lane::new("", "text_other", "plain_v1", None, &[]),
];

/// Index in [`LANES`] of the lane without stemming.
const OTHER_LANE: usize = LANES.len() - 1;

impl Lane {
    const fn new(
        code: &'static str,
        field: &'static str,
        analyzer: &'static str,
        stemmer: Option<Language>,
        elided: &'static [&'static str],
    ) -> Lane {
        Lane {
            code,
            field,
            analyzer,
            stemmer,
            elided,
        }
    }

    /// The lane (index in [`LANES`]) of an episode's language: French when
    /// it has none (verbatim's default), the unstemmed lane for a language
    /// without a stemmer.
    pub fn of(language: Option<&str>) -> usize {
        let Some(code) = language else { return 0 };
        let primary = code.get(..2).unwrap_or(code);
        LANES
            .iter()
            .position(|l| !l.code.is_empty() && l.code.eq_ignore_ascii_case(primary))
            .unwrap_or(OTHER_LANE)
    }

    /// This lane's analyzer.
    pub fn analyzer(&self) -> TextAnalyzer {
        if self.stemmer == Some(Language::French) {
            return french_analyzer();
        }
        let words = TextAnalyzer::builder(FrenchTokenizer::eliding(self.elided))
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        match self.stemmer {
            Some(language) => words.filter(Stemmer::new(language)).build(),
            None => words.build(),
        }
    }
}

/// The analyzer of lane `lane` (an index in [`LANES`]; French if out of range).
pub fn lane_analyzer(lane: usize) -> TextAnalyzer {
    LANES
        .get(lane)
        .map_or_else(french_analyzer, |l| l.analyzer())
}

/// Each lane's analyzer, built the first time a passage of that language needs it.
#[derive(Default)]
pub struct LaneAnalyzers {
    built: rustc_hash::FxHashMap<usize, TextAnalyzer>,
}

impl LaneAnalyzers {
    /// The analyzer of lane `lane`.
    pub fn get(&mut self, lane: usize) -> &mut TextAnalyzer {
        self.built
            .entry(lane)
            .or_insert_with(|| lane_analyzer(lane))
    }
}

/// Builds the `fr_v1` analyzer.
pub fn french_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(FrenchStemmer)
        .build()
}

/// The Snowball French stemmer as a token filter, the same algorithm as
/// tantivy's `Stemmer::new(Language::French)`, but remembering each
/// thread's recent stems ([`crate::analysis::vocabulary::stem_into`]):
/// speech repeats its words, and stemming them again was a tenth of
/// indexing and of highlighting.
#[derive(Clone, Copy, Default)]
pub struct FrenchStemmer;

impl TokenFilter for FrenchStemmer {
    type Tokenizer<T: Tokenizer> = FrenchStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FrenchStemmerFilter<T> {
        FrenchStemmerFilter { inner: tokenizer }
    }
}

/// [`FrenchStemmer`] applied to a tokenizer.
#[derive(Clone)]
pub struct FrenchStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for FrenchStemmerFilter<T> {
    type TokenStream<'a> = FrenchStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FrenchStemmerStream {
            tail: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

/// Token stream of [`FrenchStemmerFilter`].
pub struct FrenchStemmerStream<T> {
    tail: T,
    buffer: String,
}

impl<T: TokenStream> TokenStream for FrenchStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        crate::analysis::vocabulary::stem_into(&token.text, &mut self.buffer);
        std::mem::swap(&mut token.text, &mut self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// One analyzed token: its indexed term and where it sits in the text (bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    pub term: String,
    pub from: usize,
    pub to: usize,
}

/// Runs the analyzer over `text`.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedToken> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        out.push(AnalyzedToken {
            term: token.text.clone(),
            from: token.offset_from,
            to: token.offset_to,
        });
    }
    out
}

/// Splits text into runs of alphanumeric characters, like tantivy's
/// `SimpleTokenizer`, but drops an elided word (`l`, `qu`, ...) when it is
/// directly followed by an apostrophe (`'` or `’`), so `l'IA` gives `IA`.
#[derive(Clone)]
pub struct FrenchTokenizer {
    token: Token,
    /// The words dropped before an apostrophe.
    elided: &'static [&'static str],
}

impl Default for FrenchTokenizer {
    fn default() -> Self {
        FrenchTokenizer::eliding(ELIDED)
    }
}

impl FrenchTokenizer {
    /// The same tokenizer with another language's elided words (none for English).
    pub fn eliding(elided: &'static [&'static str]) -> Self {
        FrenchTokenizer {
            token: Token::default(),
            elided,
        }
    }
}

/// Token stream of [`FrenchTokenizer`].
pub struct FrenchTokenStream<'a> {
    text: &'a str,
    elided: &'static [&'static str],
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for FrenchTokenizer {
    type TokenStream<'a> = FrenchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FrenchTokenStream<'a> {
        self.token.reset();
        FrenchTokenStream {
            text,
            elided: self.elided,
            chars: text.char_indices().peekable(),
            token: &mut self.token,
        }
    }
}

/// Whether `word` is one the tokenizer drops before an apostrophe (`l`, `qu`...).
pub fn is_elided(word: &str) -> bool {
    word.len() <= 6 && ELIDED.iter().any(|e| e.eq_ignore_ascii_case(word))
}

impl TokenStream for FrenchTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        loop {
            // Skip separators.
            let start = loop {
                match self.chars.next() {
                    Some((i, c)) if c.is_alphanumeric() => break i,
                    Some(_) => continue,
                    None => return false,
                }
            };
            let mut end = self.text.len();
            while let Some(&(i, c)) = self.chars.peek() {
                if c.is_alphanumeric() {
                    self.chars.next();
                } else {
                    end = i;
                    break;
                }
            }
            let word = self.text.get(start..end).unwrap_or_default();
            let apostrophe_follows = matches!(self.chars.peek(), Some(&(_, '\'' | '’')));
            if apostrophe_follows
                && word.len() <= 6
                && self.elided.iter().any(|e| e.eq_ignore_ascii_case(word))
            {
                continue;
            }
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.push_str(word);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(&mut french_analyzer(), text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn accents_case_and_word_forms_meet() {
        let cases = [
            ("données", "donnees"),
            ("Sécurité", "securite"),
            ("l'intelligence", "intelligence"),
            ("l’IA", "ia"),
            ("régulations", "regulation"),
            ("jusqu'à", "a"),
        ];
        for (a, b) in cases {
            assert_eq!(terms(a), terms(b), "{a} vs {b}");
        }
    }

    #[test]
    fn elision_drops_only_articles_before_apostrophes() {
        assert_eq!(terms("l'IA qu'il d'Europe"), terms("IA il Europe"));
        // A lone `l` or `d` with no apostrophe is kept.
        assert_eq!(terms("l d").len(), 2);
        // "aujourd'hui" is not an elision: both parts stay.
        assert_eq!(terms("aujourd'hui").len(), 2);
    }

    #[test]
    fn no_stop_word_is_removed() {
        assert_eq!(terms("je ne sais pas").len(), 4);
        assert_eq!(terms("de la").len(), 2);
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Éthique de l’IA";
        let tokens = analyze(&mut french_analyzer(), text);
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.from..t.to]).collect();
        assert_eq!(words, vec!["Éthique", "de", "IA"]);
    }
}
