//! Word tokens and sentences with byte offsets.
//!
//! Tokens follow the CoNLL-2003 style closely enough for the entity model:
//! abbreviations keep their periods ("U.S.", "Mich."), numbers keep their
//! separators ("4,300", "1.5"), hyphenated words stay whole ("U.S.-led"),
//! a possessive "'s" is its own token, and every other symbol (quotes,
//! brackets, "<" of a Reuters ticker, "·") is a token of one char.
//! Sentences end at a sentence-final stop or at a line break: news files put
//! headlines, bylines and boilerplate on lines of their own.

use crate::doc::{Doc, Sentence, Span, Token};
use crate::lexicon::ABBREVIATIONS;

/// Abbreviations that commonly end a sentence as well ("…in Ottawa, Ont.").
/// After them a capitalised word on the same line is not taken as a new
/// sentence, because news far more often goes on ("Mich. (2,500 workers)").
fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    if w.is_empty() {
        return false;
    }
    // Initials and dotted abbreviations: "J", "U.S", "N.Y".
    let letters: Vec<char> = w.chars().filter(|c| *c != '.').collect();
    if w.contains('.') && letters.iter().all(|c| c.is_alphabetic()) && letters.len() <= 4 {
        return true;
    }
    if letters.len() == 1 && letters[0].is_uppercase() {
        return true;
    }
    let lower = w.to_lowercase();
    // Titles, months and states are capitalised; in lower case most of them
    // are plain words ending a sentence ("one man.", "he was ill.").
    let capitalised = w.starts_with(char::is_uppercase);
    (capitalised && ABBREVIATIONS.contains(&lower.as_str()))
        || matches!(lower.as_str(), "etc" | "vs" | "approx")
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits `text` into word tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| if i < n { chars[i].0 } else { text.len() };
    let ch = |i: usize| if i < n { Some(chars[i].1) } else { None };
    let alnum = |i: usize| ch(i).is_some_and(|c| c.is_alphanumeric());
    let digit = |i: usize| ch(i).is_some_and(|c| c.is_ascii_digit());
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if !c.is_alphanumeric() {
            // A possessive or contraction starting with an apostrophe: "'s".
            if is_apostrophe(c)
                && i > 0
                && alnum(i - 1)
                && ch(i + 1).is_some_and(|c| c == 's' || c == 'S')
                && !alnum(i + 2)
            {
                i += 2;
            } else {
                i += 1;
            }
            tokens.push(Token {
                span: Span::new(byte_at(start), byte_at(i)),
            });
            continue;
        }
        // A word: letters and digits with inner connectors.
        i += 1;
        loop {
            if alnum(i) {
                i += 1;
                continue;
            }
            match ch(i) {
                // 1,000 and 1.5: separators between digits.
                Some(',')
                    if digit(i - 1)
                        && digit(i + 1)
                        && digit(i + 2)
                        && digit(i + 3)
                        && !digit(i + 4) =>
                {
                    i += 1;
                }
                Some('.') if digit(i - 1) && digit(i + 1) => i += 1,
                // U.S, N.Y: a period between single letters.
                Some('.')
                    if alnum(i + 1) && !digit(i + 1) && {
                        let seg_start = chars[..i]
                            .iter()
                            .rposition(|(_, c)| !c.is_alphanumeric())
                            .map_or(0, |p| p + 1);
                        i - seg_start <= 2 && !digit(i - 1)
                    } =>
                {
                    i += 1
                }
                // Hyphenated words: U.S.-led, twenty-two, Buick-Oldsmobile.
                Some('-') if alnum(i + 1) => i += 1,
                // Inner apostrophes (O'Brien, don't), but not a possessive 's.
                Some(c) if is_apostrophe(c) && alnum(i + 1) => {
                    let poss = ch(i + 1).is_some_and(|c| c == 's' || c == 'S') && !alnum(i + 2);
                    if poss {
                        break;
                    }
                    i += 1;
                }
                _ => break,
            }
        }
        // A period that belongs to an abbreviation.
        if ch(i) == Some('.') {
            let word = &text[byte_at(start)..byte_at(i)];
            if is_abbreviation(word) {
                i += 1;
                // "U.S.-led": a hyphenated word may follow the period.
                while ch(i) == Some('-') && alnum(i + 1) {
                    i += 1;
                    while alnum(i) {
                        i += 1;
                    }
                }
            }
        }
        tokens.push(Token {
            span: Span::new(byte_at(start), byte_at(i)),
        });
    }
    tokens
}

/// Groups tokens into sentences.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut first = 0;
    for i in 0..tokens.len() {
        let tok = &text[tokens[i].span.start..tokens[i].span.end];
        let next = tokens.get(i + 1);
        let gap = next.map_or("", |n| &text[tokens[i].span.end..n.span.start]);
        let line_break = gap.contains('\n');
        let stop = matches!(tok, "." | "!" | "?")
            || (matches!(tok, "\"" | "”" | "’" | "'" | ")")
                && i > first
                && matches!(
                    &text[tokens[i - 1].span.start..tokens[i - 1].span.end],
                    "." | "!" | "?"
                ));
        let next_starts = next.is_some_and(|n| {
            let c = text[n.span.start..].chars().next().unwrap_or(' ');
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\'' | '(')
        });
        let closing_follows = next.is_some_and(|n| {
            gap.is_empty()
                && matches!(
                    &text[n.span.start..n.span.end],
                    "\"" | "”" | "’" | "'" | ")"
                )
        });
        let ends = next.is_none()
            || line_break
            || (stop && !gap.is_empty() && next_starts && !closing_follows);
        if ends {
            out.push(Sentence {
                span: Span::new(tokens[first].span.start, tokens[i].span.end),
                tokens: first..i + 1,
            });
            first = i + 1;
        }
    }
    out
}

/// Fills `doc.tokens`, `doc.sentences` and their token view `doc.view`.
pub fn segment(doc: &mut Doc) {
    doc.tokens = tokenize(&doc.text);
    doc.sentences = sentences(&doc.text, &doc.tokens);
    doc.view = crate::tokens::TokenView::new(doc);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.span.start..t.span.end])
            .collect()
    }

    #[test]
    fn abbreviations_keep_their_periods() {
        assert_eq!(
            words("The U.S. and Mr. Smith met in Flint, Mich. (2,500 workers)."),
            [
                "The", "U.S.", "and", "Mr.", "Smith", "met", "in", "Flint", ",", "Mich.", "(",
                "2,500", "workers", ")", "."
            ]
        );
        assert_eq!(
            words("General Motors Corp. said"),
            ["General", "Motors", "Corp.", "said"]
        );
        assert_eq!(words("killed one man."), ["killed", "one", "man", "."]);
    }

    #[test]
    fn numbers_keep_separators_and_decimals() {
        assert_eq!(
            words("1,000 and 4,300 or 1.5 million, 7,000-8,000."),
            [
                "1,000",
                "and",
                "4,300",
                "or",
                "1.5",
                "million",
                ",",
                "7,000-8,000",
                "."
            ]
        );
        assert_eq!(
            words("In 1987, 12 died."),
            ["In", "1987", ",", "12", "died", "."]
        );
    }

    #[test]
    fn hyphens_quotes_possessives_and_tickers() {
        assert_eq!(words("U.S.-led talks"), ["U.S.-led", "talks"]);
        assert_eq!(
            words("twenty-two soldiers--the group"),
            ["twenty-two", "soldiers", "-", "-", "the", "group"]
        );
        assert_eq!(
            words("Ukraine’s “false charges.”"),
            ["Ukraine", "’s", "“", "false", "charges", ".", "”"]
        );
        assert_eq!(
            words("Gm <Gm> To Idle"),
            ["Gm", "<", "Gm", ">", "To", "Idle"]
        );
        assert_eq!(words("O'Brien's car"), ["O'Brien", "'s", "car"]);
    }

    #[test]
    fn sentences_split_at_stops_and_lines() {
        let text = "• HOME»\nRUSSIA AND UKRAINE SWAP 372 PRISONERS\n\nMoscow and Kyiv each returned 175 prisoners. Mr. Zelensky praised it in the U.S. on Monday.\nAdvertisement · Scroll to continue\nHe said “it is good.” Then he left.";
        let toks = tokenize(text);
        let sents: Vec<&str> = sentences(text, &toks)
            .iter()
            .map(|s| &text[s.span.start..s.span.end])
            .collect();
        assert_eq!(
            sents,
            [
                "• HOME»",
                "RUSSIA AND UKRAINE SWAP 372 PRISONERS",
                "Moscow and Kyiv each returned 175 prisoners.",
                "Mr. Zelensky praised it in the U.S. on Monday.",
                "Advertisement · Scroll to continue",
                "He said “it is good.”",
                "Then he left.",
            ]
        );
    }
}
