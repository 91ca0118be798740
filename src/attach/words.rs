//! Word lists the attachment rules read: prepositions, verbs, nouns of
//! places, plants, forces and events.

pub(super) const PREPOSITIONS: &[&str] = &[
    "in", "at", "on", "of", "for", "from", "to", "into", "by", "with", "without", "near", "about",
    "against", "between", "among", "after", "before", "during", "under", "over", "than", "like",
    "through", "toward", "towards", "across", "behind", "via",
];
pub(super) const LOCATIVE: &[&str] = &[
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
pub(super) const CLAUSE_BREAKS: &[&str] = &[
    ";", ":", "while", "but", "whereas", "although", "though", "because", "since", "when", "after",
    "before", "unless", "if", "where", "which", "who", "that",
];
pub(super) const REPORTING: &[&str] = &[
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
pub(super) const BE: &[&str] = &[
    "was", "were", "been", "being", "are", "is", "be", "had", "have", "has", "get", "got",
];
pub(super) const PRONOUNS_IT: &[&str] = &["it", "they"];
pub(super) const PRONOUNS_PER: &[&str] = &["he", "she"];
pub(super) const POSSESSIVES: &[&str] = &["its", "their"];
/// Verbs whose subject owns what is counted.
pub(super) const POSSESSION: &[&str] = &[
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
/// Counted things that are a company's own workforce.
pub(super) const WORKFORCE: &[&str] = &[
    "worker",
    "employee",
    "job",
    "staff",
    "workforce",
    "position",
    "plant",
    "factory",
    "store",
    "branch",
    "office",
    "mine",
    "shaft",
    "mill",
    "line",
    "shift",
    "unit",
    "vehicle",
    "car",
    "truck",
];
/// Nouns of places: "the town of Yeoncheon", "the plant" (a place named
/// before).
pub(super) const PLACE_NOUNS: &[&str] = &[
    "city", "town", "village", "state", "province", "port", "region", "republic", "island",
    "district", "area", "capital", "plant", "mill", "facility", "factory", "mine", "site", "there",
];

/// Events named after their place ("the Japan earthquake").
pub(super) const EVENTS: &[&str] = &[
    "earthquake",
    "quake",
    "flood",
    "floods",
    "storm",
    "crash",
    "fire",
    "blast",
    "explosion",
    "stampede",
    "collapse",
    "disaster",
    "attack",
    "bombing",
    "landslide",
    "avalanche",
    "avalanches",
];

/// Words that say something is done to a workforce.
pub(super) const ACTIONS: &[&str] = &[
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

/// Counted members of armed or police forces.
pub(super) const FORCE_UNITS: &[&str] = &[
    "soldier",
    "troop",
    "marine",
    "policeman",
    "paratrooper",
    "sailor",
    "personnel",
];

/// Directions that describe a part of a place ("southwest Japan").
pub(super) const COMPASS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
];

/// Armed forces named without their country ("troops killed …").
pub(super) const FORCES: &[&str] = &[
    "troops", "forces", "soldiers", "army", "military", "navy", "marines", "police",
];

/// Words of a government body that acts for its country.
pub(super) const GOVERNMENT: &[&str] = &[
    "ministry",
    "government",
    "cabinet",
    "defence",
    "defense",
    "foreign office",
];

/// Verbs of beating someone by a margin.
pub(super) const DEFEAT: &[&str] = &[
    "defeat",
    "defeats",
    "defeated",
    "defeating",
    "beat",
    "beats",
    "beating",
    "edged",
    "edging",
    "ousted",
    "ousting",
];

pub(super) const PLANT_NOUNS: &[&str] = &[
    "plant",
    "plants",
    "facility",
    "facilities",
    "factory",
    "factories",
    "mill",
    "mills",
    "refinery",
    "refineries",
    "mine",
    "mines",
];

/// Lower-case words that end a noun phrase when read backwards from its
/// head: determiners, pronouns, verbs and conjunctions.
pub(super) const NOT_MODIFIERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "and",
    "or", "but", "is", "are", "was", "were", "be", "will", "would", "said", "says", "has", "have",
    "had", "close", "closed", "shut", "idle", "open", "each", "all", "both", "other", "said",
];

/// Passive participles of harm done to people in a conflict.
pub(super) const HARMED: &[&str] = &[
    "killed", "wounded", "injured", "captured", "shot", "slain", "taken",
];
