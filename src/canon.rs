//! Canonical party names: the country of a demonym or of a seat of
//! government acting for it, a country's standard name for its aliases, a
//! company's name without its legal suffix, and the full name of a short
//! mention in the same document ("Zelensky" → "Volodymyr Zelenskyy",
//! "GM" → "General Motors").

use crate::doc::{Doc, Entity, Label, Span};
use crate::lexicon::{COMPANY_SUFFIXES, SEAT_AS_PLACE_BEFORE};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a gazetteer name is to its country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Canonical,
    Alias,
    Demonym,
    Seat,
}

/// Countries with their aliases, demonyms and seats of government, from
/// `models/gazetteer/countries.tsv` (built into the binary).
pub struct Gazetteer {
    by_name: HashMap<String, (usize, NameKind)>,
    countries: Vec<String>,
}

const COUNTRIES_TSV: &str = include_str!("../models/gazetteer/countries.tsv");

impl Gazetteer {
    /// Parses the TSV: `canonical, aliases, demonyms, seats`, `|`-separated.
    pub fn parse(tsv: &str) -> Result<Self, String> {
        let mut g = Gazetteer {
            by_name: HashMap::new(),
            countries: Vec::new(),
        };
        for (n, line) in tsv.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 4 || cols[0].is_empty() {
                return Err(format!(
                    "countries.tsv line {}: expected 4 tab-separated columns",
                    n + 1
                ));
            }
            let idx = g.countries.len();
            g.countries.push(cols[0].to_string());
            g.by_name
                .insert(cols[0].to_lowercase(), (idx, NameKind::Canonical));
            for (col, kind) in [
                (1, NameKind::Alias),
                (2, NameKind::Demonym),
                (3, NameKind::Seat),
            ] {
                for name in cols[col].split('|').filter(|s| !s.is_empty()) {
                    g.by_name.entry(name.to_lowercase()).or_insert((idx, kind));
                }
            }
        }
        Ok(g)
    }

    /// The country a name stands for, and how.
    pub fn lookup(&self, name: &str) -> Option<(&str, NameKind)> {
        let key = name.trim().to_lowercase();
        let key = key.strip_prefix("the ").unwrap_or(&key);
        self.by_name
            .get(key)
            .map(|&(i, k)| (self.countries[i].as_str(), k))
    }

    /// The canonical name of a country name, alias or demonym (not a seat).
    pub fn country(&self, name: &str) -> Option<&str> {
        self.lookup(name)
            .filter(|(_, k)| *k != NameKind::Seat)
            .map(|(c, _)| c)
    }
}

/// The gazetteer built into the binary.
pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        Gazetteer::parse(COUNTRIES_TSV)
            .expect("the built-in countries.tsv is valid (checked by a test)")
    })
}

/// A company name without its legal suffix: "General Motors Corp" →
/// "General Motors".
pub fn strip_company_suffix(name: &str) -> &str {
    let mut s = name.trim_end();
    loop {
        let Some(pos) = s.rfind([' ', ',']) else {
            return s;
        };
        let last = s[pos + 1..].to_lowercase();
        if COMPANY_SUFFIXES.contains(&last.as_str()) {
            s = s[..pos].trim_end_matches([',', ' ']);
        } else {
            return s;
        }
    }
}

/// A name without lower-case words that the tagger took in at its end:
/// "IG-Metall union" → "IG-Metall".
fn strip_common_tail(name: &str) -> &str {
    let mut s = name;
    while let Some(pos) = s.rfind(' ') {
        if s[pos + 1..].starts_with(char::is_lowercase) {
            s = &s[..pos];
        } else {
            break;
        }
    }
    s
}

/// Initials of the capitalised words of a name: "General Motors" → "GM".
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

fn levenshtein_at_most_one(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// Sets `canonical` of every entity of a document.
pub fn canonicalize(doc: &mut Doc) {
    let g = gazetteer();
    // First the name-level rules.
    for i in 0..doc.entities.len() {
        let e = &doc.entities[i];
        let text = doc.slice(e.span).to_string();
        let prev_word = doc
            .token_at_or_after(e.span.start)
            .checked_sub(1)
            .map(|t| doc.token_text(t).to_lowercase())
            .unwrap_or_default();
        let canonical = match g.lookup(&text) {
            Some((c, NameKind::Seat))
                if !SEAT_AS_PLACE_BEFORE.contains(&prev_word.as_str()) || e.label == Label::Org =>
            {
                c.to_string()
            }
            Some((_, NameKind::Seat)) => text.clone(),
            Some((c, _)) => c.to_string(),
            None if e.label == Label::Org => {
                strip_company_suffix(strip_common_tail(&text)).to_string()
            }
            None => text.clone(),
        };
        doc.entities[i].canonical = canonical;
    }
    // Then short names resolve to a longer name of the same document.
    let fulls: Vec<(Label, String)> = doc
        .entities
        .iter()
        .filter(|e| e.canonical.contains(' '))
        .map(|e| (e.label, e.canonical.clone()))
        .collect();
    for e in &mut doc.entities {
        if e.canonical.contains(' ') || g.lookup(&e.canonical).is_some() {
            continue;
        }
        let short = e.canonical.clone();
        let found = match e.label {
            Label::Per => fulls
                .iter()
                .filter(|(l, _)| *l == Label::Per)
                .find(|(_, f)| {
                    let last = f.rsplit(' ').next().unwrap_or("");
                    last == short
                        || (short.len() >= 4
                            && (last.starts_with(&short) || levenshtein_at_most_one(last, &short)))
                }),
            Label::Org | Label::Misc | Label::Loc => fulls
                .iter()
                .filter(|(l, _)| *l == Label::Org)
                .find(|(_, f)| {
                    let ini = initials(f);
                    (ini.len() >= 2 && ini.eq_ignore_ascii_case(&short.replace('.', "")))
                        || f.split(' ')
                            .next()
                            .is_some_and(|w| w == short && e.label == Label::Org)
                }),
        };
        if let Some((_, f)) = found {
            e.canonical = f.clone();
        }
    }
    // A ticker names the company written right before it.
    for i in 0..doc.entities.len() {
        let e = &doc.entities[i];
        let before = doc.text[..e.span.start].trim_end();
        if e.label != Label::Org || !before.ends_with('<') {
            continue;
        }
        let name_end = before[..before.len() - 1].trim_end().len();
        if let Some(company) = doc
            .entities
            .iter()
            .find(|c| c.span.end == name_end && c.label == Label::Org)
        {
            doc.entities[i].canonical = company.canonical.clone();
        }
    }
    harmonise_labels(doc);
}

/// Reuters writes a company's stock ticker in angle brackets after its name
/// (`General Motors Corp <GM>`, `Volkswagen AG <VOWG.F>`): the bracketed
/// code is one ORG mention, whatever the entity model made of its pieces.
pub fn tickers_as_orgs(doc: &mut Doc) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"<([A-Za-z][A-Za-z0-9]{0,7}(?:\.[A-Za-z0-9]{1,4})?)>").expect("valid regex")
    });
    let found: Vec<(usize, usize, usize, usize)> = re
        .captures_iter(&doc.text)
        .filter_map(|c| {
            let (outer, inner) = (c.get(0)?, c.get(1)?);
            Some((outer.start(), outer.end(), inner.start(), inner.end()))
        })
        .collect();
    if found.is_empty() {
        return;
    }
    for (start, end, inner_start, inner_end) in found {
        doc.entities
            .retain(|e| e.span.end <= start || e.span.start >= end);
        doc.entities.push(Entity {
            span: Span {
                start: inner_start,
                end: inner_end,
            },
            label: Label::Org,
            canonical: doc.text[inner_start..inner_end].to_string(),
            score: None,
        });
    }
    doc.entities.sort_by_key(|e| e.span.start);
}

/// Mentions of one party get one label: the label with the most confidence
/// summed over the party's mentions ("GM" tagged MISC where "General Motors
/// Corp" is ORG becomes ORG). Countries are left alone: a demonym (MISC) and
/// its country (LOC) rightly differ.
fn harmonise_labels(doc: &mut Doc) {
    let g = gazetteer();
    let mut weight: HashMap<&str, [f32; 4]> = HashMap::new();
    for e in &doc.entities {
        if g.lookup(&e.canonical).is_some() {
            continue;
        }
        let w = weight.entry(e.canonical.as_str()).or_default();
        w[Label::ALL.iter().position(|l| *l == e.label).unwrap()] += e.score.unwrap_or(1.0);
    }
    let best: HashMap<String, Label> = weight
        .into_iter()
        .map(|(c, w)| {
            let i = (0..4).max_by(|a, b| w[*a].total_cmp(&w[*b])).unwrap();
            (c.to_string(), Label::ALL[i])
        })
        .collect();
    for e in &mut doc.entities {
        // Only MISC gives way: it is where short forms and tickers land
        // ("GM" MISC), while an ORG and a LOC of one name can both be right
        // ("Leeds" the club, "Leeds" the city).
        if let Some(l) = best.get(&e.canonical).filter(|_| e.label == Label::Misc) {
            e.label = *l;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Entity, Span};

    fn doc_with(text: &str, ents: &[(&str, Label)]) -> Doc {
        let mut d = Doc::new("t", text);
        crate::segment::segment(&mut d);
        let mut from = 0;
        for (s, l) in ents {
            let b = from + text[from..].find(s).unwrap();
            from = b + s.len();
            d.entities.push(Entity {
                span: Span::new(b, b + s.len()),
                label: *l,
                canonical: String::new(),
                score: None,
            });
        }
        canonicalize(&mut d);
        d
    }

    fn canon(d: &Doc) -> Vec<&str> {
        d.entities.iter().map(|e| e.canonical.as_str()).collect()
    }

    #[test]
    fn the_built_in_gazetteer_parses() {
        let g = gazetteer();
        assert_eq!(g.country("Ukrainian"), Some("Ukraine"));
        assert_eq!(g.country("U.S."), Some("United States"));
        assert_eq!(g.country("UAE"), Some("United Arab Emirates"));
        assert_eq!(g.lookup("Kremlin"), Some(("Russia", NameKind::Seat)));
    }

    #[test]
    fn demonyms_seats_and_short_names() {
        let d = doc_with(
            "Moscow and Kyiv each returned 175 Ukrainian prisoners. Ukrainian President Zelensky praised it. Volodymyr Zelenskyy met the Kremlin. Troops were flown to Moscow.",
            &[
                ("Moscow", Label::Loc),
                ("Kyiv", Label::Loc),
                ("Ukrainian", Label::Misc),
                ("Ukrainian", Label::Misc),
                ("Zelensky", Label::Per),
                ("Volodymyr Zelenskyy", Label::Per),
                ("Kremlin", Label::Org),
                ("Moscow", Label::Loc),
            ],
        );
        assert_eq!(
            canon(&d),
            [
                "Russia",
                "Ukraine",
                "Ukraine",
                "Ukraine",
                "Volodymyr Zelenskyy",
                "Volodymyr Zelenskyy",
                "Russia",
                "Moscow"
            ]
        );
    }

    #[test]
    fn a_ticker_is_one_org_naming_the_company_before_it() {
        let text = "Volkswagen AG <VOWG.F> and Fiat Spa <FIAT.MI> said so.";
        let mut d = Doc::new("t", text);
        crate::segment::segment(&mut d);
        // What the entity model made of it: the tickers in pieces.
        for (s, l) in [
            ("Volkswagen AG", Label::Org),
            ("VOWG", Label::Org),
            ("F>", Label::Loc),
            ("Fiat Spa", Label::Org),
            ("MI", Label::Org),
        ] {
            let b = text.find(s).unwrap();
            d.entities.push(Entity {
                span: Span::new(b, b + s.len()),
                label: l,
                canonical: String::new(),
                score: None,
            });
        }
        tickers_as_orgs(&mut d);
        canonicalize(&mut d);
        let got: Vec<(&str, Label, &str)> = d
            .entities
            .iter()
            .map(|e| (d.slice(e.span), e.label, e.canonical.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Volkswagen AG", Label::Org, "Volkswagen"),
                ("VOWG.F", Label::Org, "Volkswagen"),
                ("Fiat Spa", Label::Org, "Fiat"),
                ("FIAT.MI", Label::Org, "Fiat"),
            ]
        );
    }

    #[test]
    fn companies_lose_suffixes_and_acronyms_resolve() {
        let d = doc_with(
            "Gm <GM> said General Motors Corp will idle plants. US officials agreed.",
            &[
                ("Gm", Label::Org),
                ("GM", Label::Org),
                ("General Motors Corp", Label::Org),
                ("US", Label::Loc),
            ],
        );
        assert_eq!(
            canon(&d),
            [
                "General Motors",
                "General Motors",
                "General Motors",
                "United States"
            ]
        );
        assert_eq!(
            strip_company_suffix("Anglo American Corp"),
            "Anglo American"
        );
        assert_eq!(strip_company_suffix("Chrysler Corp."), "Chrysler");
        assert_eq!(strip_company_suffix("Sunbeam"), "Sunbeam");
        assert_eq!(strip_common_tail("IG-Metall union"), "IG-Metall");
        assert_eq!(strip_common_tail("Bank of America"), "Bank of America");
        // The MISC "Gm" joins the ORG mentions of its party.
        let d = doc_with(
            "Gm <GM> said General Motors Corp will idle plants.",
            &[
                ("Gm", Label::Misc),
                ("GM", Label::Org),
                ("General Motors Corp", Label::Org),
            ],
        );
        assert!(d.entities.iter().all(|e| e.label == Label::Org));
    }
}
