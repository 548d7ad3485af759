//! The plain-tantivy baseline the benchmark compares verbatim with: the
//! same passage texts, the same `fr_v1` analyzer (elision, folding, French
//! stemming) and the same writer threads and memory budget, but nothing of
//! verbatim around it: no parsing, no analysis, no catalog, no filters, no
//! fuzzy or name expansion. Queries go through tantivy's `QueryParser`
//! (every word required, as in verbatim) and each hit gets a snippet from
//! the stored text, so that a search returns what a user would see.
//!
//! Measured in the same run as verbatim's own figures, the baseline turns a
//! time taken on a noisy, shared machine into a ratio that still means
//! something: both sides suffer the same load.

use crate::index::analyzer::{ANALYZER_NAME, FrenchTokenizer};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer,
};
use tantivy::{Index, TantivyDocument, doc};

/// The `fr_v1` chain built from tantivy's own filters (its `Stemmer`
/// included), with verbatim's elision-aware tokenizer: the analyzer a
/// plain tantivy user would write for French.
pub fn plain_french_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Writes one passage text per line (line breaks inside a passage become
/// spaces): the baseline's input, read back while it indexes.
pub fn write_texts<'a>(path: &Path, texts: impl Iterator<Item = &'a str>) -> std::io::Result<u64> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let mut bytes = 0u64;
    for text in texts {
        let line = text.replace(['\n', '\r'], " ");
        bytes += line.len() as u64;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(bytes)
}

/// The baseline index, built.
pub struct Baseline {
    index: Index,
    field: tantivy::schema::Field,
    /// Seconds from reading the first text to the commit.
    pub index_seconds: f64,
    /// Passages indexed.
    pub documents: u64,
}

/// Indexes the texts of `texts_file` (one per line) in a fresh index in
/// `dir` with `threads` writer threads and `memory` bytes of budget.
pub fn build(
    texts_file: &Path,
    dir: &Path,
    threads: usize,
    memory: usize,
) -> tantivy::Result<Baseline> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let mut schema = Schema::builder();
    let field = schema.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ) | STORED,
    );
    let index = Index::create_in_dir(dir, schema.build())?;
    index
        .tokenizers()
        .register(ANALYZER_NAME, plain_french_analyzer());
    let started = Instant::now();
    let mut writer: tantivy::IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(threads, memory)?;
    // The same policy as verbatim's full builds: a few large segments, no merging.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut documents = 0u64;
    let reader = BufReader::new(std::fs::File::open(texts_file)?);
    for line in reader.lines() {
        writer.add_document(doc!(field => line?))?;
        documents += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(Baseline {
        index,
        field,
        index_seconds: started.elapsed().as_secs_f64(),
        documents,
    })
}

impl Baseline {
    /// A searcher and a query parser, ready for [`BaselineSearcher::search`].
    pub fn searcher(&self) -> tantivy::Result<BaselineSearcher> {
        let reader = self.index.reader()?;
        let mut parser = QueryParser::for_index(&self.index, vec![self.field]);
        parser.set_conjunction_by_default();
        Ok(BaselineSearcher {
            searcher: reader.searcher(),
            parser,
            field: self.field,
        })
    }
}

/// Searches the baseline index.
pub struct BaselineSearcher {
    searcher: tantivy::Searcher,
    parser: QueryParser,
    field: tantivy::schema::Field,
}

impl BaselineSearcher {
    /// Runs `query` (tantivy's query language, leniently parsed): the count
    /// of matches and `limit` snippets of the best hits.
    pub fn search(&self, query: &str, limit: usize) -> tantivy::Result<(usize, Vec<String>)> {
        let (query, _errors) = self.parser.parse_query_lenient(query);
        // On the cores as verbatim's own searches are, so that the ratios
        // compare like with like.
        let (top, count) = crate::index::search_on_cores(
            &self.searcher,
            &*query,
            &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
        )?;
        let snippets = SnippetGenerator::create(&self.searcher, &*query, self.field)?;
        let mut out = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = self.searcher.doc(address)?;
            let text = doc
                .get_first(self.field)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            out.push(snippets.snippet(text).to_html());
        }
        Ok((count, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatims_analyzer_gives_the_plain_analyzers_terms() {
        let text = "Les données, l'IA et la souveraineté : qu'elles soient chiffrées ou non, \
                    nous chiffrons, ils chiffraient ; Jean-Baptiste Kempf aime l'œuvre.";
        let mut ours = crate::index::analyzer::french_analyzer();
        let mut plain = plain_french_analyzer();
        // Twice: the second pass reads remembered stems.
        for _ in 0..2 {
            assert_eq!(
                crate::index::analyzer::analyze(&mut ours, text),
                crate::index::analyzer::analyze(&mut plain, text)
            );
        }
    }

    #[test]
    fn the_baseline_finds_french_word_forms_with_snippets() {
        let dir = tempfile::tempdir().unwrap();
        let texts = dir.path().join("texts.txt");
        write_texts(
            &texts,
            [
                "La souveraineté numérique de l'Europe.",
                "Les données\nsont chiffrées.",
                "Rien à voir.",
            ]
            .into_iter(),
        )
        .unwrap();
        let built = build(&texts, &dir.path().join("index"), 1, 20_000_000).unwrap();
        assert_eq!(built.documents, 3);
        let searcher = built.searcher().unwrap();
        let (count, snippets) = searcher.search("donnee chiffrees", 10).unwrap();
        assert_eq!(count, 1);
        assert!(snippets[0].contains("<b>données</b>"), "{snippets:?}");
        let (count, _) = searcher.search("\"souverainete numerique\"", 10).unwrap();
        assert_eq!(count, 1);
        assert_eq!(searcher.search("absent", 10).unwrap().0, 0);
    }
}
