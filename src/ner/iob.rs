//! IOB-tagged token files in the CoNLL-2003 format (documents of sentences
//! of (token, tag), IOB1 tags) and the entity spans of their tags. Their
//! scoring (strict spans, conlleval semantics) is
//! [`crate::eval::SpanScores`].

use crate::doc::Label;
use anyhow::{bail, Context, Result};
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct ConllDoc {
    pub sentences: Vec<Vec<(String, String)>>,
}

impl ConllDoc {
    /// The words of all its sentences, in order: the document as one
    /// sequence, as the model reads a whole document.
    pub fn words(&self) -> Vec<&str> {
        self.sentences
            .iter()
            .flatten()
            .map(|(w, _)| w.as_str())
            .collect()
    }
}

/// Reads a four-column CoNLL-2003 file (token, POS, chunk, NER tag).
pub fn read(path: &Path) -> Result<Vec<ConllDoc>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text).with_context(|| format!("parsing {}", path.display()))
}

pub fn parse(text: &str) -> Result<Vec<ConllDoc>> {
    let mut docs: Vec<ConllDoc> = Vec::new();
    let mut sent: Vec<(String, String)> = Vec::new();
    let flush = |docs: &mut Vec<ConllDoc>, sent: &mut Vec<(String, String)>| {
        if !sent.is_empty() {
            if docs.is_empty() {
                docs.push(ConllDoc::default());
            }
            docs.last_mut()
                .unwrap()
                .sentences
                .push(std::mem::take(sent));
        }
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut docs, &mut sent);
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            flush(&mut docs, &mut sent);
            docs.push(ConllDoc::default());
            continue;
        }
        if cols.len() < 2 {
            bail!("line {}: expected a token and a tag, found {line:?}", n + 1);
        }
        let tag = cols[cols.len() - 1];
        if tag != "O" && Label::parse(tag.get(2..).unwrap_or("")).is_none() {
            bail!("line {}: unknown tag {tag:?}", n + 1);
        }
        sent.push((cols[0].to_string(), tag.to_string()));
    }
    flush(&mut docs, &mut sent);
    docs.retain(|d| !d.sentences.is_empty());
    Ok(docs)
}

/// Entity spans (first token, last token + 1, label) of a sentence's tags,
/// IOB1 or IOB2: an entity starts at B-X, or at I-X after anything but X.
pub fn spans(tags: &[&str]) -> Vec<(usize, usize, Label)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, Label)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (bio, label) = match t.split_once('-') {
            Some((b, l)) => (b, Label::parse(l)),
            None => ("O", None),
        };
        let continues = matches!((cur, label), (Some((_, c)), Some(l)) if c == l && bio == "I");
        if !continues {
            if let Some((s, l)) = cur.take() {
                out.push((s, i, l));
            }
            if let Some(l) = label {
                cur = Some((i, l));
            }
        }
    }
    if let Some((s, l)) = cur {
        out.push((s, tags.len(), l));
    }
    out
}

/// IOB2 tag indices (as in `ner::TAGS`) of a sentence's IOB1 or IOB2 tags.
pub fn iob2_indices(tags: &[&str]) -> Vec<usize> {
    let mut out = vec![0; tags.len()];
    for (s, e, l) in spans(tags) {
        let base = 1 + 2 * Label::ALL.iter().position(|x| *x == l).unwrap();
        out[s] = base;
        for t in out.iter_mut().take(e).skip(s + 1) {
            *t = base + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob1_and_finds_its_spans() {
        let text = "-DOCSTART- -X- O O\n\nUN NNP I-NP I-ORG\nbacks VBZ I-VP O\nDanish JJ I-NP I-MISC\nplan NN I-NP O\n\nMarta NNP I-NP I-PER\nOlsen NNP I-NP I-PER\nJones NNP I-NP B-PER\n";
        let docs = parse(text).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].sentences.len(), 2);
        let tags: Vec<&str> = docs[0].sentences[1].iter().map(|x| x.1.as_str()).collect();
        assert_eq!(spans(&tags), vec![(0, 2, Label::Per), (2, 3, Label::Per)]);
        assert_eq!(iob2_indices(&tags), vec![1, 2, 1]);
    }
}
