//! Number words and the words that tell what a number is: scales,
//! hedges, months, labels, and the nouns and adjectives around counts.

use crate::doc::Approx;

/// Number words below twenty, with their values.
pub const SMALL_NUMBERS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
];

/// Number words of the tens, with their values.
pub const TENS: &[(&str, f64)] = &[
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];

/// Scale words, with the abbreviations of news wires.
pub const SCALE_WORDS: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("mln", 1e6),
    ("mn", 1e6),
    ("billion", 1e9),
    ("bln", 1e9),
    ("bn", 1e9),
    ("trillion", 1e12),
];

/// Scales written glued to digits: "3bn", "2mln", "1.5m", "10k".
pub const GLUED_SCALES: &[(&str, f64)] = &[
    ("bn", 1e9),
    ("bln", 1e9),
    ("mln", 1e6),
    ("mn", 1e6),
    ("m", 1e6),
    ("k", 1e3),
];

/// Words before a number that say it is approximate; longest first.
pub const HEDGES_BEFORE: &[(&[&str], Approx)] = &[
    (&["no", "more", "than"], Approx::Under),
    (&["no", "fewer", "than"], Approx::Over),
    (&["no", "less", "than"], Approx::Over),
    (&["in", "excess", "of"], Approx::Over),
    (&["as", "many", "as"], Approx::Under),
    (&["more", "than"], Approx::Over),
    (&["at", "least"], Approx::Over),
    (&["upwards", "of"], Approx::Over),
    (&["well", "over"], Approx::Over),
    (&["just", "over"], Approx::Over),
    (&["fewer", "than"], Approx::Under),
    (&["less", "than"], Approx::Under),
    (&["up", "to"], Approx::Under),
    (&["at", "most"], Approx::Under),
    (&["just", "under"], Approx::Under),
    (&["close", "to"], Approx::About),
    (&["an", "estimated"], Approx::About),
    (&["over"], Approx::Over),
    (&["above"], Approx::Over),
    (&["almost"], Approx::Under),
    (&["nearly"], Approx::Under),
    (&["under"], Approx::Under),
    (&["below"], Approx::Under),
    (&["estimated"], Approx::About),
    (&["about"], Approx::About),
    (&["around"], Approx::About),
    (&["roughly"], Approx::About),
    (&["approximately"], Approx::About),
    (&["some"], Approx::About),
    (&["circa"], Approx::About),
];

/// Months and their abbreviations (without the period).
#[rustfmt::skip]
pub const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
];

/// Words after a number that make it a time of day.
#[rustfmt::skip]
pub const TIME_OF_DAY_MARKERS: &[&str] = &[
    "gmt", "a.m.", "p.m.", "a.m", "p.m", "am", "pm", "est", "edt", "cst", "cdt", "pst", "pdt",
    "utc", "bst", "cet", "hrs", "o'clock",
];

/// Words before a number that make it an age.
pub const AGE_MARKERS: &[&str] = &["aged", "age", "ages"];

/// Words before a number that make it a label, not a quantity ("No. 7").
pub const NUMBER_LABELS: &[&str] = &["no.", "no", "nos.", "number", "#", "nr.", "vol."];

/// Nouns that a bare number after them labels ("flight 370", "day five",
/// "police posts 542 and 543").
#[rustfmt::skip]
pub const LABEL_NOUNS: &[&str] = &[
    "section", "article", "chapter", "flight", "route", "page", "room", "paragraph", "item",
    "gate", "platform", "level", "phase", "stage", "round", "grade", "size", "version", "model",
    "type", "category", "code", "channel", "rule", "clause", "resolution", "post", "posts", "day",
    "week", "game", "match", "part", "volume", "vol.", "issue", "episode", "season", "series",
    "bus", "line", "highway", "interstate", "lane", "street", "avenue", "road", "box", "suite",
    "apartment", "floor", "term", "title", "class", "division", "district", "ward", "zone",
    "block", "sector", "lot", "track", "exit", "pier", "berth", "terminal", "cell", "bed", "row",
    "figure", "table", "step", "year", "unit", "act", "appendix", "annex", "note", "point", "plan",
    "proposition",
];

/// Nouns after "one" that make an idiom ("one thing is certain").
#[rustfmt::skip]
pub const ONE_IDIOMS: &[&str] = &[
    "thing", "time", "way", "hand", "side", "point", "reason", "example", "question", "problem",
    "sense", "level", "part", "aspect", "factor", "option", "kind", "sort", "type", "form", "word",
    "step", "instance", "case", "occasion", "respect", "stage", "another", "other", "more", "last",
    "day", "night", "morning", "evening", "afternoon", "source", "possibility", "idea", "thought",
    "answer", "solution", "explanation", "theory", "view", "version", "issue", "concern", "fear",
    "hope", "goal", "aim", "priority", "challenge", "lesson", "place",
];

/// Words after a number that stand for a noun left out ("58 wounded").
#[rustfmt::skip]
pub const NOMINAL_ADJECTIVES: &[&str] = &[
    "dead", "wounded", "injured", "missing", "homeless", "unemployed", "jobless", "elderly",
    "sick", "hurt", "poor", "faithful", "displaced",
];

/// Words that make a small dash range a score ("won 2-1").
#[rustfmt::skip]
pub const GAME_WORDS: &[&str] = &[
    "won", "win", "wins", "beat", "beats", "defeated", "defeat", "drew", "draw", "victory",
    "score", "scored", "goal", "goals", "match", "halftime", "half-time", "lost", "loss", "game",
    "league", "cup", "final", "ended",
];

/// Count words glued to a number: "5,000-strong force", "1.1
/// mln-member union".
#[rustfmt::skip]
pub const COMPOUND_COUNT_WORDS: &[&str] = &[
    "strong", "member", "man", "woman", "person", "nation", "seat", "country",
];
