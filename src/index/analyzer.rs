//! The French analyzer (`fr_v1`) shared by indexing, querying and highlighting.
//!
//! Chain: [`FrenchTokenizer`] (alphanumeric runs, elided articles dropped)
//! -> remove tokens over 40 bytes -> lowercase -> ASCII folding -> French
//! Snowball stemmer ([`FrenchStemmer`], which remembers its stems). Folding
//! comes before stemming so that "données" and
//! "donnees" stem alike; no stop word is removed, so phrases such as
//! "je ne sais pas" keep every word.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

/// Name under which the analyzer is registered. Analyzers are not stored in
/// the index, so a change of behaviour needs a new name (and schema version).
pub const ANALYZER_NAME: &str = "fr_v1";

/// Words written elided before an apostrophe (`l'IA`, `qu'il`, `jusqu'à`).
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
];

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

/// Registers `fr_v1` on an index; needed after every create or open.
pub fn register(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(ANALYZER_NAME, french_analyzer());
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
#[derive(Clone, Default)]
pub struct FrenchTokenizer {
    token: Token,
}

/// Token stream of [`FrenchTokenizer`].
pub struct FrenchTokenStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for FrenchTokenizer {
    type TokenStream<'a> = FrenchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FrenchTokenStream<'a> {
        self.token.reset();
        FrenchTokenStream {
            text,
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
            if apostrophe_follows && is_elided(word) {
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
