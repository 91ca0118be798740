//! Every word list of the program, each defined once and named for what it
//! means. Words are lower case, as the stages compare them with lower-cased
//! tokens; the countries and their names are data of the gazetteer
//! (`models/gazetteer/`, read by [`crate::canon`]), not word lists.
//!
//! - `function_words.rs`: determiners, pronouns, prepositions, clause breaks,
//!   abbreviations;
//! - `numbers.rs`: number words, scales, hedges, and the words that tell a
//!   count from a date, an age, a label or a score;
//! - `verbs.rs`: verbs of saying, change, harm, owning and workforce actions;
//! - `nouns.rs`: nouns of the parties of a count (workforces, sites, places,
//!   events, forces, governments) and legal suffixes of company names;
//! - `units.rs`: units of measure, commodities, irregular plurals.
//!
//! Two lists may share words and still mean different things:
//! [`SPEECH_VERBS`] end a noun phrase after a number ("one official
//! said"), [`ATTRIBUTION_VERBS`] name the source of a statement;
//! [`POSSESSIVE_DETERMINERS`] are all of them, [`POSSESSIVES_IT`] those
//! that stand for an organisation or a group; [`LOCATIVE_PREPOSITIONS`] put
//! a count in a place, [`SEAT_AS_PLACE_BEFORE`] make a seat of government
//! a mere place ("in Moscow") rather than its government.

mod function_words;
mod nouns;
mod numbers;
mod units;
mod verbs;

pub use function_words::*;
pub use nouns::*;
pub use numbers::*;
pub use units::*;
pub use verbs::*;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every list of plain words, by name.
    const WORD_LISTS: &[(&str, &[&str])] = &[
        ("NP_STOP_WORDS", NP_STOP_WORDS),
        ("ONE_PRONOUN_BEFORE", ONE_PRONOUN_BEFORE),
        ("REFER_BEFORE", REFER_BEFORE),
        ("REFER_AFTER", REFER_AFTER),
        ("PARTITIVE_PRONOUNS", PARTITIVE_PRONOUNS),
        ("POSSESSIVE_DETERMINERS", POSSESSIVE_DETERMINERS),
        ("DETERMINERS", DETERMINERS),
        ("PREPOSITIONS", PREPOSITIONS),
        ("LOCATIVE_PREPOSITIONS", LOCATIVE_PREPOSITIONS),
        ("CLAUSE_BREAKS", CLAUSE_BREAKS),
        ("PRONOUNS_IT", PRONOUNS_IT),
        ("PRONOUNS_PER", PRONOUNS_PER),
        ("POSSESSIVES_IT", POSSESSIVES_IT),
        ("NOT_MODIFIERS", NOT_MODIFIERS),
        ("SEAT_AS_PLACE_BEFORE", SEAT_AS_PLACE_BEFORE),
        ("ABBREVIATIONS", ABBREVIATIONS),
        ("HEADLINE_FUNCTION_WORDS", HEADLINE_FUNCTION_WORDS),
        ("WORKFORCE", WORKFORCE),
        ("PLACE_NOUNS", PLACE_NOUNS),
        ("EVENTS", EVENTS),
        ("COMPASS", COMPASS),
        ("FORCES", FORCES),
        ("GOVERNMENT", GOVERNMENT),
        ("PLANT_NOUNS", PLANT_NOUNS),
        ("COMPANY_SUFFIXES", COMPANY_SUFFIXES),
        ("FIGURE_NOUNS", FIGURE_NOUNS),
        ("SOURCE_NOUNS", SOURCE_NOUNS),
        ("MONTHS", MONTHS),
        ("TIME_OF_DAY_MARKERS", TIME_OF_DAY_MARKERS),
        ("AGE_MARKERS", AGE_MARKERS),
        ("NUMBER_LABELS", NUMBER_LABELS),
        ("LABEL_NOUNS", LABEL_NOUNS),
        ("ONE_IDIOMS", ONE_IDIOMS),
        ("NOMINAL_ADJECTIVES", NOMINAL_ADJECTIVES),
        ("GAME_WORDS", GAME_WORDS),
        ("COMPOUND_COUNT_WORDS", COMPOUND_COUNT_WORDS),
        ("MONEY_UNITS", MONEY_UNITS),
        ("PERCENT_UNITS", PERCENT_UNITS),
        ("PHYSICAL_UNITS", PHYSICAL_UNITS),
        ("TIME_UNITS", TIME_UNITS),
        ("COMMODITIES", COMMODITIES),
        ("MULTIPLIERS", MULTIPLIERS),
        ("NOT_PLURAL", NOT_PLURAL),
        ("SINGULAR_IN_MEN", SINGULAR_IN_MEN),
        ("NP_ENDING_VERBS", NP_ENDING_VERBS),
        ("SPEECH_VERBS", SPEECH_VERBS),
        ("CASUALTY_BEFORE", CASUALTY_BEFORE),
        ("CASUALTY_AFTER", CASUALTY_AFTER),
        ("CASUALTY_AUX", CASUALTY_AUX),
        ("CHANGE_VERBS", CHANGE_VERBS),
        ("STANDING_VERBS", STANDING_VERBS),
        ("EMPLOY_VERBS", EMPLOY_VERBS),
        ("VOTE_WORDS", VOTE_WORDS),
        ("FIGURE_BEFORE", FIGURE_BEFORE),
        ("ATTRIBUTION_VERBS", ATTRIBUTION_VERBS),
        ("BE", BE),
        ("POSSESSION", POSSESSION),
        ("ACTIONS", ACTIONS),
    ];

    fn check(name: &str, words: &[&str], problems: &mut Vec<String>) {
        let mut seen = HashSet::new();
        for w in words {
            if w.is_empty() || w.trim() != *w {
                problems.push(format!("{name}: {w:?} is empty or padded"));
            }
            if w.to_lowercase() != *w {
                problems.push(format!("{name}: {w:?} is not lower case"));
            }
            if !seen.insert(*w) {
                problems.push(format!("{name}: {w:?} twice"));
            }
        }
        if words.is_empty() {
            problems.push(format!("{name} is empty"));
        }
    }

    #[test]
    fn lists_are_lower_case_without_repeats() {
        let mut problems = Vec::new();
        for (name, words) in WORD_LISTS {
            check(name, words, &mut problems);
        }
        let keys = |t: &[(&'static str, f64)]| t.iter().map(|(w, _)| *w).collect::<Vec<_>>();
        check("SMALL_NUMBERS", &keys(SMALL_NUMBERS), &mut problems);
        check("TENS", &keys(TENS), &mut problems);
        check("SCALE_WORDS", &keys(SCALE_WORDS), &mut problems);
        check("GLUED_SCALES", &keys(GLUED_SCALES), &mut problems);
        let plurals: Vec<&str> = IRREGULAR_PLURALS.iter().map(|(p, _)| *p).collect();
        check("IRREGULAR_PLURALS", &plurals, &mut problems);
        let hedges: Vec<String> = HEDGES_BEFORE.iter().map(|(ws, _)| ws.join(" ")).collect();
        let hedges: Vec<&str> = hedges.iter().map(String::as_str).collect();
        check("HEDGES_BEFORE", &hedges, &mut problems);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn hedges_are_longest_first() {
        // The first match wins: "no more than" must come before "more than".
        for (i, (a, _)) in HEDGES_BEFORE.iter().enumerate() {
            for (b, _) in &HEDGES_BEFORE[i + 1..] {
                assert!(
                    !(b.len() > a.len() && b.ends_with(a)),
                    "{b:?} comes after {a:?}, which hides it"
                );
            }
        }
    }
}
