//! Nouns of the parties of a count: workforces, sites, places, events,
//! armed forces, governments, and legal suffixes of company names.

/// Counted things that are a company's own workforce.
pub const WORKFORCE: &[&str] = &[
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
pub const PLACE_NOUNS: &[&str] = &[
    "city", "town", "village", "state", "province", "port", "region", "republic", "island",
    "district", "area", "capital", "plant", "mill", "facility", "factory", "mine", "site", "there",
];

/// Events named after their place ("the Japan earthquake").
pub const EVENTS: &[&str] = &[
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

/// Directions that describe a part of a place ("southwest Japan").
pub const COMPASS: &[&str] = &[
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
pub const FORCES: &[&str] = &[
    "troops", "forces", "soldiers", "army", "military", "navy", "marines", "police",
];

/// Words of a government body that acts for its country.
pub const GOVERNMENT: &[&str] = &[
    "ministry",
    "government",
    "cabinet",
    "defence",
    "defense",
    "foreign office",
];

/// Nouns of industrial sites, singular and plural: a plant named with its place.
pub const PLANT_NOUNS: &[&str] = &[
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

/// Legal suffixes dropped from company names.
pub const COMPANY_SUFFIXES: &[&str] = &[
    "corp",
    "corp.",
    "corporation",
    "inc",
    "inc.",
    "incorporated",
    "ltd",
    "ltd.",
    "limited",
    "co",
    "co.",
    "plc",
    "llc",
    "ag",
    "sa",
    "s.a.",
    "spa",
    "nv",
    "n.v.",
    "gmbh",
    "bhd",
];

/// Nouns of a figure whose value a bare number gives (ANNOTATE decision
/// 13): "exports fell 9.3 pct to 531,253", "layoffs could reach 2,000".
/// The number takes the literal noun as its unit.
#[rustfmt::skip]
pub const FIGURE_NOUNS: &[&str] = &[
    "sales", "exports", "imports", "output", "production", "circulation", "losses", "layoffs",
    "employment", "deliveries", "shipments", "registrations", "bookings", "arrivals",
    "enrolment", "enrollment", "membership", "payrolls", "readership", "attendance",
];

/// People quoted without a name: "one analyst said", "one dealer
/// speculated" (ANNOTATE decision 14: that "one" is an article, no count).
#[rustfmt::skip]
pub const SOURCE_NOUNS: &[&str] = &[
    "analyst", "dealer", "trader", "banker", "broker", "economist", "official", "source",
    "executive", "diplomat", "arbitrager", "arbitrageur", "observer", "expert", "spokesman",
    "spokeswoman", "insider", "strategist", "negotiator",
];
