//! French vocabulary for analysis: a stemmer to group word forms, and the
//! words that never make a chapter title (fillers, light verbs, adverbs).
//!
//! These lists only decide what may *name* or *group* things; they never
//! remove words from a quote or from the index.

use frostem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::OnceLock;

/// Distinct words whose stems a thread remembers (a few MB at most):
/// a corpus says the same words over and over, and stemming them is a
/// large part of analysing an episode.
const REMEMBERED_STEMS: usize = 50_000;

/// Snowball French stem of a folded word: `donnees` and `donnee` -> `donne`.
pub fn stem(folded: &str) -> String {
    let mut out = String::new();
    stem_into(folded, &mut out);
    out
}

/// [`stem`], written into `out` (cleared first): no allocation once `out`
/// is large enough and the word was seen before on this thread.
pub fn stem_into(folded: &str, out: &mut String) {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    thread_local! {
        static STEMS: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
    }
    out.clear();
    STEMS.with(|stems| {
        if let Some(known) = stems.borrow().get(folded) {
            out.push_str(known);
            return;
        }
        let stemmed = STEMMER
            .get_or_init(|| Stemmer::new(Algorithm::French))
            .stem(folded);
        out.push_str(&stemmed);
        let mut stems = stems.borrow_mut();
        if stems.len() >= REMEMBERED_STEMS {
            stems.clear();
        }
        stems.insert(folded.to_string(), stemmed.into_owned());
    });
}

/// Words too common or too empty to start or end a title ("voilà", "en fait",
/// "du coup", "c'est", light verbs, adverbs), folded.
pub fn is_title_stopword(folded: &str) -> bool {
    const WORDS: &[&str] = &[
        "absolument",
        "ainsi",
        "aller",
        "allez",
        "ans",
        "annee",
        "annees",
        "apres",
        "assez",
        "aucun",
        "aujourd",
        "aussi",
        "autant",
        "autre",
        "autres",
        "avais",
        "avait",
        "avant",
        "avez",
        "avons",
        "beaucoup",
        "bon",
        "bonjour",
        "bonne",
        "bonsoir",
        "bref",
        "car",
        "celle",
        "celui",
        "cela",
        "ceci",
        "certain",
        "certaine",
        "certains",
        "ceux",
        "chaque",
        "chez",
        "chose",
        "choses",
        "clairement",
        "combien",
        "comment",
        "completement",
        "cool",
        "coup",
        "crois",
        "deja",
        "depuis",
        "dernier",
        "derniere",
        "dire",
        "dis",
        "disait",
        "dit",
        "doit",
        "doivent",
        "dont",
        "effectivement",
        "egalement",
        "encore",
        "enfin",
        "ensuite",
        "entre",
        "etaient",
        "etes",
        "evidemment",
        "exactement",
        "exemple",
        "faire",
        "fais",
        "faisait",
        "faites",
        "faut",
        "finalement",
        "fois",
        "font",
        "forcement",
        "genial",
        "genre",
        "gens",
        "grand",
        "grande",
        "gros",
        "hui",
        "ici",
        "jamais",
        "jour",
        "jours",
        "juste",
        "justement",
        "lequel",
        "leurs",
        "lorsque",
        "merci",
        "meme",
        "memes",
        "mieux",
        "moi",
        "moins",
        "moment",
        "monde",
        "niveau",
        "nickel",
        "nos",
        "notamment",
        "notre",
        "nouveau",
        "nouvelle",
        "okay",
        "parce",
        "parfait",
        "partie",
        "pendant",
        "personne",
        "petit",
        "petite",
        "peu",
        "peut",
        "peuvent",
        "peux",
        "pense",
        "pire",
        "plusieurs",
        "plutot",
        "pourquoi",
        "premier",
        "premiere",
        "puis",
        "puisque",
        "quand",
        "quel",
        "quelle",
        "quelles",
        "quelque",
        "quelques",
        "quels",
        "question",
        "rien",
        "sais",
        "salut",
        "sans",
        "selon",
        "sera",
        "serait",
        "seront",
        "simplement",
        "sommes",
        "sous",
        "sujet",
        "super",
        "surtout",
        "tant",
        "tel",
        "telle",
        "temps",
        "toi",
        "totalement",
        "toujours",
        "toute",
        "toutes",
        "trop",
        "truc",
        "trucs",
        "vers",
        "veut",
        "voila",
        "voir",
        "vois",
        "vont",
        "vos",
        "votre",
        "vrai",
        "vraiment",
        "yeah",
    ];
    crate::text::word_set!(WORDS).contains(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_group_forms() {
        assert_eq!(stem("donnees"), stem("donnee"));
        assert_eq!(stem("securite"), stem("securites"));
    }

    #[test]
    fn fillers_are_not_titles() {
        for filler in ["voila", "coup", "truc", "vraiment"] {
            assert!(is_title_stopword(filler), "{filler}");
        }
        assert!(!is_title_stopword("mistral"));
    }
}
