//! Sentences: where a text's sentences end, the one rule every part of
//! verbatim uses (passages, titles, page credits).
//!
//! A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or
//! brackets after it) followed by white space and a word that does not start
//! in lower case. A `.` after a known abbreviation (`M.`, `Dr.`, `cf.`) never
//! ends one, nor after an initial (`J. Dupont`) unless what follows is a
//! function word that opens sentences (`plan B. Il faut`).

use super::fold::fold;
use super::words::is_function_word;

/// Characters that end a sentence.
fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Characters that may follow the terminal mark and still belong to the sentence.
fn is_closing(c: char) -> bool {
    is_terminal(c) || matches!(c, '»' | '"' | '”' | ')' | '’')
}

/// Byte spans `(start, end)` of the sentences of `text`; the white space
/// between two sentences belongs to neither.
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_terminal(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, n)) = chars.peek() {
            if is_closing(n) {
                end = j + n.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let rest = text.get(end..).unwrap_or("");
        let after = rest.trim_start();
        if after.len() == rest.len() || after.is_empty() {
            continue;
        }
        let next_is_lower = after.chars().next().is_some_and(char::is_lowercase);
        let before = text.get(start..i).unwrap_or("");
        if next_is_lower || (c == '.' && continues_after_dot(before, after)) {
            continue;
        }
        spans.push((start, end));
        start = text.len() - after.len();
    }
    if start < text.len() {
        spans.push((start, text.len()));
    }
    spans
}

/// The sentences of `text`, trimmed, empty ones left out.
pub fn sentences(text: &str) -> Vec<&str> {
    sentence_spans(text)
        .into_iter()
        .filter_map(|(a, b)| text.get(a..b))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether the `.` after `before` is an abbreviation's or an initial's
/// rather than a sentence end, given the text `after` it.
fn continues_after_dot(before: &str, after: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "M", "MM", "Mme", "Mmes", "Mlle", "Dr", "Pr", "St", "Ste", "cf", "vs", "ex", "p", "env",
        "av", "apr", "J.-C",
    ];
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let next_word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
    is_initial && !is_function_word(&fold(&next_word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "M. Dupont est là. Il parle.";
        let spans: Vec<_> = sentence_spans(text)
            .iter()
            .map(|(a, b)| &text[*a..*b])
            .collect();
        assert_eq!(spans, vec!["M. Dupont est là.", "Il parle."]);
    }

    #[test]
    fn sentence_split() {
        assert_eq!(
            sentences("Le C.Lab de X. Ils sont là ! Oui."),
            vec!["Le C.Lab de X.", "Ils sont là !", "Oui."]
        );
    }

    #[test]
    fn initials_and_closing_marks() {
        assert_eq!(
            sentences("Signé J. Dupont. «Bravo !» Puis 3.5 points… Fin"),
            vec!["Signé J. Dupont.", "«Bravo !»", "Puis 3.5 points…", "Fin"]
        );
        assert_eq!(sentences("Pas de fin"), vec!["Pas de fin"]);
        assert_eq!(sentences("  "), Vec::<&str>::new());
    }
}
