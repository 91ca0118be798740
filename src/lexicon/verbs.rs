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

/// Verbs whose subject is the agent of what happens to their object, every
/// form ("Ukraine released 175 prisoners", "GM will lay off 500 workers",
/// "the rebels killed 12 soldiers"); read off the dependency parse.
/// Decision 11 of the format: the seller and the buyer both act. Verbs of
/// owning are in [`POSSESSION_FORMS`] (the subject owns the object); verbs
/// of saying are in neither (their subject is no party, decision 5).
#[rustfmt::skip]
pub const AGENT_VERBS: &[&str] = &[
    "kill", "kills", "killed", "killing", "wound", "wounds", "wounded", "wounding", "injure",
    "injures", "injured", "injuring", "shoot", "shoots", "shot", "shooting", "execute",
    "executes", "executed", "executing",
    "release", "releases", "released", "releasing", "free", "frees", "freed", "freeing", "swap",
    "swaps", "swapped", "swapping", "exchange", "exchanges", "exchanged", "exchanging", "trade",
    "trades", "traded", "trading",
    "transfer", "transfers", "transferred", "transferring", "return", "returns", "returned",
    "returning", "hand", "hands", "handed", "handing",
    "arrest", "arrests", "arrested", "arresting", "detain", "detains", "detained", "detaining",
    "capture", "captures", "captured", "capturing", "seize", "seizes", "seized", "seizing",
    "kidnap", "kidnaps", "kidnapped", "kidnapping", "expel", "expels", "expelled", "expelling",
    "deport", "deports", "deported", "deporting", "evacuate", "evacuates", "evacuated",
    "evacuating", "rescue", "rescues", "rescued", "rescuing", "deploy", "deploys", "deployed",
    "deploying", "send", "sends", "sent", "sending", "dispatch", "dispatches", "dispatched",
    "dispatching", "place", "places", "placed", "placing", "station", "stations", "stationed",
    "stationing",
    "cut", "cuts", "cutting", "lay", "lays", "laid", "laying", "idle", "idles", "idled", "idling",
    "furlough", "furloughs", "furloughed", "furloughing", "fire", "fires", "fired", "firing",
    "dismiss", "dismisses", "dismissed", "dismissing", "sack", "sacks", "sacked", "sacking",
    "shed", "sheds", "shedding", "eliminate", "eliminates", "eliminated", "eliminating", "axe",
    "axes", "axed", "axing", "slash", "slashes", "slashed", "slashing", "reduce", "reduces",
    "reduced", "reducing", "recall", "recalls", "recalled", "recalling", "hire", "hires", "hired",
    "hiring", "recruit", "recruits", "recruited", "recruiting", "create", "creates", "created",
    "creating",
    "close", "closes", "closed", "closing", "shut", "shuts", "shutting", "open", "opens",
    "opened", "opening", "build", "builds", "built", "building",
    "sell", "sells", "sold", "selling", "buy", "buys", "bought", "buying", "order", "orders",
    "ordered", "ordering",
    "win", "wins", "won", "winning", "lose", "loses", "lost", "losing", "gain", "gains", "gained",
    "gaining", "elect", "elects", "elected", "electing", "receive", "receives", "received",
    "receiving", "retain", "retains", "retained", "retaining", "give", "gives", "gave", "given",
    "giving",
];

/// Every form of the verbs whose subject owns their object ("X has 2.5 mln
/// members", "employs 525 people", "holds 40 seats"; the format's guide: holding
/// seats is an affiliation).
#[rustfmt::skip]
pub const POSSESSION_FORMS: &[&str] = &[
    "have", "has", "had", "having", "employ", "employs", "employed", "employing", "own", "owns",
    "owned", "owning", "hold", "holds", "held", "holding", "represent", "represents",
    "represented", "representing", "operate", "operates", "operated", "operating",
];
