//! Verbs: of saying, of change and standing, of harm, of owning and of
//! what is done to a workforce.

/// Verbs that end the noun phrase after "one" ("one man died").
#[rustfmt::skip]
pub const NP_ENDING_VERBS: &[&str] = &[
    "died", "dies", "killed", "kills", "got", "gets", "went", "goes", "came", "comes", "made",
    "makes", "took", "takes", "gave", "gives", "remains", "remained", "became", "becomes", "left",
    "fled", "won", "lost", "held", "fell", "rose",
];

/// Verbs of saying: "one official said" is no count.
#[rustfmt::skip]
pub const SPEECH_VERBS: &[&str] = &[
    "said", "says", "say", "told", "tells", "added", "adds", "noted", "notes", "explained",
    "explains", "stated", "wrote", "writes", "commented", "argued", "claimed", "reported",
    "insisted", "warned", "suggested", "predicted", "believes", "believed", "thinks", "thought",
    "speculated", "speculates",
];

/// Before a bare number, verbs that make it a count of people ("killing 107").
#[rustfmt::skip]
pub const CASUALTY_BEFORE: &[&str] = &[
    "killing", "killed", "kill", "kills", "wounding", "wounded", "injuring", "injured", "injure",
    "injures", "hurting",
];

/// After a bare number, words that make it a count of people ("147 died").
#[rustfmt::skip]
pub const CASUALTY_AFTER: &[&str] = &[
    "killed", "dead", "died", "drowned", "wounded", "injured", "hurt", "missing", "perished",
    "trampled", "survived", "rescued", "evacuated", "arrested", "detained", "homeless",
];

/// Words that may stand between a bare number and `CASUALTY_AFTER`.
#[rustfmt::skip]
pub const CASUALTY_AUX: &[&str] = &[
    "were", "was", "are", "is", "have", "had", "been", "reported", "feared", "believed", "later",
    "also",
];

/// Verbs of change: "gained three to 40" is no range.
#[rustfmt::skip]
pub const CHANGE_VERBS: &[&str] = &[
    "rose", "rise", "rises", "risen", "fell", "fall", "falls", "fallen", "gained", "gain", "gains",
    "lost", "lose", "loses", "increased", "increase", "increases", "decreased", "decrease",
    "climbed", "climb", "dropped", "drop", "declined", "decline", "jumped", "jump", "slipped",
    "eased", "cut", "cuts", "reduced", "reduce", "raised", "raise", "added", "boosted", "up",
    "down", "grew", "grow", "shrank", "advanced", "firmed", "slid", "plunged", "soared", "surged",
    "tumbled", "went", "changed", "moved",
];

/// Verbs that join a subject to a bare number: "layoffs remain at 37,000".
#[rustfmt::skip]
pub const STANDING_VERBS: &[&str] = &[
    "remain", "remains", "remained", "stand", "stands", "stood", "total", "totals", "totalled",
    "totaled", "number", "numbered", "numbers",
];

/// Verbs whose bare object is a count of employees: "employs 17,000".
pub const EMPLOY_VERBS: &[&str] = &["employ", "employs", "employed", "employing"];

/// Before a bare number, words that make it the value of a figure named
/// before it: "exports fell to 531,253", "layoffs could reach 2,000".
#[rustfmt::skip]
pub const FIGURE_BEFORE: &[&str] = &[
    "to", "from", "at", "with", "against", "reach", "reached", "reaching", "total", "totals",
    "totalled", "totaled", "totalling", "totaling",
];

/// Verbs that attribute a statement to its source: "the ministry said 175 … were freed".
pub const ATTRIBUTION_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "reported",
    "reports",
    "announced",
    "announces",
    "told",
    "confirmed",
    "stated",
    "added",
    "estimated",
];

/// Forms of "be", "have" and "get" that make a passive or perfect.
pub const BE: &[&str] = &[
    "was", "were", "been", "being", "are", "is", "be", "had", "have", "has", "get", "got",
];

/// Verbs whose subject owns what is counted.
pub const POSSESSION: &[&str] = &[
    "has",
    "have",
    "had",
    "employs",
    "employ",
    "employed",
    "owns",
    "own",
    "holds",
    "hold",
    "held",
    "claims",
    "represents",
    "includes",
    "counts",
    "numbers",
    "operates",
    "runs",
];

/// Words that say something is done to a workforce.
pub const ACTIONS: &[&str] = &[
    "idle",
    "idled",
    "idling",
    "idles",
    "lay",
    "laid",
    "laying",
    "layoff",
    "layoffs",
    "lays",
    "shut",
    "shuts",
    "shutting",
    "close",
    "closed",
    "closing",
    "closes",
    "cut",
    "cuts",
    "cutting",
    "send",
    "sent",
    "sends",
    "sending",
    "affect",
    "affected",
    "affecting",
    "furlough",
    "furloughed",
    "dismiss",
    "dismissed",
    "fire",
    "fired",
    "hire",
    "hired",
    "hiring",
    "recall",
    "recalled",
    "retrain",
    "eliminate",
    "eliminated",
    "reduce",
    "reduced",
    "build",
    "open",
    "opened",
];

/// Before the numbers of a vote tally: "voted 1314 to 25", "a vote of 52
/// to 48".
pub const VOTE_WORDS: &[&str] = &["voted", "vote", "votes", "voting", "margin"];
