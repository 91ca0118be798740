//! CoNLL-U reading and writing (<https://universaldependencies.org/format.html>).
//!
//! Only the basic tree is kept: multi-word token lines (`3-4`) and empty
//! nodes (`5.1`) are skipped when reading and not written back. Comments
//! (`# sent_id = …`, `# text = …`, `# newdoc …`) are kept in order.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::Path;

/// One syntactic word: the ten columns, HEAD as a number (0 is the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    pub head: usize,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

impl Word {
    /// A word with only its form; every other column `_`, head 0.
    pub fn new(form: &str) -> Self {
        Word {
            form: form.to_string(),
            lemma: "_".into(),
            upos: "_".into(),
            xpos: "_".into(),
            feats: "_".into(),
            head: 0,
            deprel: "_".into(),
            deps: "_".into(),
            misc: "_".into(),
        }
    }
}

/// A sentence: its comment lines (without the leading `# `'s `#`), and its
/// words; word `i` has CoNLL-U ID `i + 1`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    pub comments: Vec<String>,
    pub words: Vec<Word>,
}

impl Sentence {
    /// Whether a comment starts a new document (`# newdoc` or `# newdoc id = …`).
    pub fn starts_document(&self) -> bool {
        self.comments.iter().any(|c| {
            let c = c.trim_start_matches('#').trim_start();
            c == "newdoc" || c.starts_with("newdoc ")
        })
    }
}

/// Parses CoNLL-U text; `name` is used in error messages (`name:LINE: reason`).
pub fn parse(text: &str, name: &str) -> Result<Vec<Sentence>> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let lineno = n + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !cur.words.is_empty() || !cur.comments.is_empty() {
                check(&cur, name, lineno)?;
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            cur.comments.push(line.to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            bail!(
                "{name}:{lineno}: a word line has {} tab-separated columns; CoNLL-U has 10",
                cols.len()
            );
        }
        let id = cols[0];
        if id.contains('-') || id.contains('.') {
            continue;
        }
        let id: usize = id
            .parse()
            .ok()
            .filter(|&i| i > 0)
            .with_context(|| format!("{name}:{lineno}: bad word ID {id:?}"))?;
        if id != cur.words.len() + 1 {
            bail!(
                "{name}:{lineno}: word ID {id} where {} was expected",
                cur.words.len() + 1
            );
        }
        let head = if cols[6] == "_" {
            0
        } else {
            cols[6]
                .parse()
                .with_context(|| format!("{name}:{lineno}: bad HEAD {:?}", cols[6]))?
        };
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() || !cur.comments.is_empty() {
        check(&cur, name, text.lines().count())?;
        out.push(cur);
    }
    Ok(out)
}

fn check(s: &Sentence, name: &str, lineno: usize) -> Result<()> {
    if s.words.is_empty() {
        bail!("{name}:{lineno}: a sentence with comments and no words");
    }
    for (i, w) in s.words.iter().enumerate() {
        if w.head > s.words.len() {
            bail!(
                "{name}:{lineno}: word {} of the sentence ending here has HEAD {}, past its {} words",
                i + 1,
                w.head,
                s.words.len()
            );
        }
    }
    Ok(())
}

/// Reads a CoNLL-U file.
pub fn read(path: &Path) -> Result<Vec<Sentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text, &path.display().to_string())
}

/// Writes sentences as CoNLL-U: comments, one line per word, a blank line
/// after each sentence.
pub fn write<W: Write>(out: &mut W, sentences: &[Sentence]) -> std::io::Result<()> {
    for s in sentences {
        write_sentence(out, s)?;
    }
    Ok(())
}

/// Writes one sentence as CoNLL-U, with its blank line.
pub fn write_sentence<W: Write>(out: &mut W, s: &Sentence) -> std::io::Result<()> {
    for c in &s.comments {
        writeln!(out, "{c}")?;
    }
    for (i, w) in s.words.iter().enumerate() {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            i + 1,
            w.form,
            w.lemma,
            w.upos,
            w.xpos,
            w.feats,
            w.head,
            w.deprel,
            w.deps,
            w.misc
        )?;
    }
    writeln!(out)
}

/// CoNLL-U text of sentences.
pub fn to_string(sentences: &[Sentence]) -> String {
    let mut v = Vec::new();
    write(&mut v, sentences).expect("writing to memory");
    String::from_utf8(v).expect("CoNLL-U written from strings is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_empty_nodes_are_skipped() {
        let t = "# text = I don't\n1\tI\tI\tPRON\t_\t_\t3\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\t_\t_\t3\taux\t_\t_\n3\tn't\tnot\tPART\t_\t_\t0\troot\t_\t_\n3.1\tx\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
        let s = parse(t, "t").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 3);
        assert_eq!(s[0].words[2].head, 0);
        let again = parse(&to_string(&s), "t").unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let e = parse("1\tI\n", "f.conllu").unwrap_err().to_string();
        assert!(e.starts_with("f.conllu:1:"), "{e}");
        let e = parse("1\tI\tI\tPRON\t_\t_\t9\tnsubj\t_\t_\n\n", "f")
            .unwrap_err()
            .to_string();
        assert!(e.contains("HEAD 9"), "{e}");
    }
}
