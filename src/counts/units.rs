//! Units of counts: what a head noun after a number is, and its singular.
//!
//! The counts stage finds a number and the noun phrase after it; this module tells
//! whether that noun counts things ("prisoners", "plants") or measures
//! something that is not a count (money, percentages, durations, weights,
//! bulk goods), and turns a plural head into the lower-case singular the
//! format asks for ("people" → "person", "agencies" → "agency").

use crate::lexicon::{
    COMMODITIES, IRREGULAR_PLURALS, MONEY_UNITS, MULTIPLIERS, NOT_PLURAL, PERCENT_UNITS,
    PHYSICAL_UNITS, SINGULAR_IN_MEN, TIME_UNITS,
};

/// What kind of non-count quantity a head noun makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Money,
    Percent,
    /// Units of weight, length, area, volume, energy, magnitude…
    Physical,
    /// Durations and times of day: "43 years", "three weeks".
    Time,
    /// Bulk goods whose unit is left out: "Algeria 64,896 wheat".
    Commodity,
    /// Multipliers and fractions: "three times", "two thirds".
    Times,
}

/// The kind of measure a lower-case singular head noun names, if it is one.
pub fn measure_of(lemma: &str) -> Option<Measure> {
    let tables: [(&[&str], Measure); 6] = [
        (MONEY_UNITS, Measure::Money),
        (PERCENT_UNITS, Measure::Percent),
        (PHYSICAL_UNITS, Measure::Physical),
        (TIME_UNITS, Measure::Time),
        (COMMODITIES, Measure::Commodity),
        (MULTIPLIERS, Measure::Times),
    ];
    tables
        .iter()
        .find(|(words, _)| words.contains(&lemma))
        .map(|(_, m)| *m)
}

/// Whether a lower-case word reads as a plural noun.
pub fn looks_plural(w: &str) -> bool {
    if IRREGULAR_PLURALS.iter().any(|(p, _)| *p == w) {
        return true;
    }
    if w.ends_with("men") && w.len() >= 3 && !SINGULAR_IN_MEN.contains(&w) {
        return true;
    }
    if NOT_PLURAL.contains(&w) || w.len() < 3 || !w.ends_with('s') {
        return false;
    }
    let alphabetic = w
        .chars()
        .all(|c| c.is_alphabetic() || c == '-' || c == '\'');
    alphabetic
        && !["ss", "us", "sis", "xis", "ous", "'s", "’s"]
            .iter()
            .any(|e| w.ends_with(e))
}

/// The lower-case singular of a lower-case noun; a word that is not plural
/// comes back as it is.
pub fn singular(w: &str) -> String {
    if let Some((_, s)) = IRREGULAR_PLURALS.iter().find(|(p, _)| *p == w) {
        return s.to_string();
    }
    if w.ends_with("men") && w.len() >= 3 && !SINGULAR_IN_MEN.contains(&w) {
        return format!("{}man", &w[..w.len() - 3]);
    }
    if !looks_plural(w) {
        return w.to_string();
    }
    // Every suffix below is ASCII, so the slicing stays on char boundaries.
    if let Some(stem) = w.strip_suffix("ies") {
        if stem.len() >= 2 {
            return format!("{stem}y");
        }
    }
    for es in ["sses", "shes", "ches", "xes", "zzes"] {
        if w.ends_with(es) {
            return w[..w.len() - 2].to_string();
        }
    }
    w[..w.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singulars() {
        for (p, s) in [
            ("prisoners", "prisoner"),
            ("people", "person"),
            ("men", "man"),
            ("women", "woman"),
            ("policemen", "policeman"),
            ("children", "child"),
            ("police", "police"),
            ("agencies", "agency"),
            ("captives", "captive"),
            ("churches", "church"),
            ("losses", "loss"),
            ("taxes", "tax"),
            ("houses", "house"),
            ("wives", "wife"),
            ("buses", "bus"),
            ("ties", "tie"),
            ("iraqis", "iraqi"),
            ("plant", "plant"),
            ("news", "news"),
        ] {
            assert_eq!(singular(p), s, "{p}");
        }
    }

    #[test]
    fn plurals() {
        for w in ["workers", "people", "states", "firemen", "aircraft", "ppcs"] {
            assert!(looks_plural(w), "{w}");
        }
        for w in [
            "serious", "crisis", "axis", "loss", "its", "specimen", "news", "aids", "plant", "'s",
        ] {
            assert!(!looks_plural(w), "{w}");
        }
    }

    #[test]
    fn measures() {
        assert_eq!(measure_of("dlr"), Some(Measure::Money));
        assert_eq!(measure_of("pct"), Some(Measure::Percent));
        assert_eq!(measure_of("tonne"), Some(Measure::Physical));
        assert_eq!(measure_of("year"), Some(Measure::Time));
        assert_eq!(measure_of("wheat"), Some(Measure::Commodity));
        assert_eq!(measure_of("worker"), None);
    }
}
