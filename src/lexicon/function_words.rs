//! Closed-class words: determiners, pronouns, prepositions, conjunctions,
//! and the small words that stop or open a phrase.

/// Words that cannot be part of the noun phrase after a number.
#[rustfmt::skip]
pub const NP_STOP_WORDS: &[&str] = &[
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by", "with", "without", "into",
    "onto", "over", "under", "about", "after", "before", "since", "during", "between", "among",
    "against", "through", "across", "per", "than", "as", "like", "near", "off", "out", "up",
    "down", "around", "including", "via", "toward", "towards", "within", "upon", "amid", "despite",
    "except", "inside", "outside", "behind", "beyond", "below", "above", "until", "till", "and",
    "or", "but", "nor", "yet", "so", "while", "whereas", "because", "if", "when", "where", "who",
    "whom", "whose", "which", "that", "what", "whether", "is", "are", "was", "were", "be", "been",
    "being", "am", "has", "have", "had", "having", "do", "does", "did", "will", "would", "shall",
    "should", "can", "could", "may", "might", "must", "it", "its", "they", "them", "their", "he",
    "she", "his", "her", "we", "us", "our", "you", "your", "i", "me", "my", "this", "these",
    "those", "each", "all", "both", "some", "any", "every", "other", "another", "such", "no",
    "not", "also", "only", "just", "still", "already", "now", "then", "there", "here", "ago",
    "more", "less", "most", "least", "very", "too", "even", "again", "said", "says", "say", "told",
    "reported", "apiece", "respectively", "altogether", "total", "overall", "combined", "either",
    "neither", "versus", "vs", "vs.", "plus", "minus", "yesterday", "today", "tomorrow",
    "last", "next", "early", "late", "earlier", "later", "'s", "’s", "verses",
];

/// Before "one", words that make it a pronoun ("no one", "the one").
#[rustfmt::skip]
pub const ONE_PRONOUN_BEFORE: &[&str] = &[
    "no", "any", "every", "each", "which", "the", "this", "that", "someone",
];

/// Before a bare number, words that let it refer back to counted things
/// ("the five", "into nine", "and 3,100 at Ford").
#[rustfmt::skip]
pub const REFER_BEFORE: &[&str] = &[
    "including", "the", "these", "those", "all", "its", "their", "his", "her", "our", "other",
    "another", "into", "to", "from", "and", "or", "while", "with", "just", "only", "remaining",
    "additional", "further", "than", "were", "are", "of", ",", "(", "first", "last",
    "latest",
];

/// After a bare number, words that let it refer back ("200 more").
pub const REFER_AFTER: &[&str] = &["more", "others", "other", "apiece", "each"];

/// Pronouns after "of" that refer back: "two of them".
pub const PARTITIVE_PRONOUNS: &[&str] = &["them", "whom", "which", "us", "these", "those"];

/// Possessive determiners: "six of its plants".
pub const POSSESSIVE_DETERMINERS: &[&str] = &["its", "their", "his", "her", "our", "your", "my"];

/// Determiners after "of" before the counted noun: "six of its plants".
#[rustfmt::skip]
pub const DETERMINERS: &[&str] = &[
    "the", "its", "their", "these", "those", "his", "her", "our", "your", "my", "all", "this",
    "that",
];

/// Prepositions that govern the noun phrase after them ("workers at GM").
pub const PREPOSITIONS: &[&str] = &[
    "in", "at", "on", "of", "for", "from", "to", "into", "by", "with", "without", "near", "about",
    "against", "between", "among", "after", "before", "during", "under", "over", "than", "like",
    "through", "toward", "towards", "across", "behind", "via",
];

/// Prepositions before the place where something happens ("in Kyiv", "near Flint").
pub const LOCATIVE_PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "off",
    "inside",
    "across",
    "throughout",
    "around",
];

/// Punctuation and conjunctions that end a clause.
pub const CLAUSE_BREAKS: &[&str] = &[
    ";", ":", "while", "but", "whereas", "although", "though", "because", "since", "when", "after",
    "before", "unless", "if", "where", "which", "who", "that",
];

/// Subject pronouns that stand for an organisation, a place or a group.
pub const PRONOUNS_IT: &[&str] = &["it", "they"];

/// Subject pronouns that stand for a person.
pub const PRONOUNS_PER: &[&str] = &["he", "she"];

/// Possessive determiners that stand for an organisation, a place or a group ("its plants").
pub const POSSESSIVES_IT: &[&str] = &["its", "their"];

/// Lower-case words that end a noun phrase when read backwards from its
/// head: determiners, pronouns, verbs and conjunctions.
pub const NOT_MODIFIERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "and",
    "or", "but", "is", "are", "was", "were", "be", "will", "would", "said", "says", "has", "have",
    "had", "close", "closed", "shut", "idle", "open", "each", "all", "both", "other",
];

/// Words before a seat of government that make it a mere place.
pub const SEAT_AS_PLACE_BEFORE: &[&str] = &[
    "in", "at", "near", "from", "to", "into", "outside", "around", "via", "of",
];

/// Words that take a period and are usually not the end of a sentence.
pub const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "maj", "gov", "sen", "rep", "rev", "hon", "pres", "corp", "inc", "co",
    "ltd", "bros", "plc", "dept", "univ", "assn", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "no", "nos", "vs", "etc", "approx", "est", "ala", "ariz",
    "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky", "la", "md",
    "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn", "tex",
    "va", "vt", "wash", "wis", "wyo", "ont", "que", "alta", "sask", "man",
];

/// Small words that a Title Case headline capitalises.
pub const HEADLINE_FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "from", "by",
    "with", "as", "into", "onto", "over", "under", "after", "before", "yet", "so", "is", "are",
    "was", "were", "be", "its", "it", "their", "his", "her", "up", "out", "off", "down", "than",
    "amid", "says", "said", "sees", "set", "sets",
];
