//! Units of what is measured rather than counted, and the plurals that
//! rules of "-s" do not cover.

/// Currencies, with the abbreviations of news wires ("dlrs", "cts", "stg"),
/// and lots of securities. Shares are counted things, not money ("bought
/// 918,900 shares").
#[rustfmt::skip]
pub const MONEY_UNITS: &[&str] = &[
    "dollar", "dlr", "cent", "ct", "yen", "franc", "mark", "deutschemark", "pound", "stg",
    "sterling", "lira", "lire", "peso", "rupee", "rupiah", "ringgit", "baht", "yuan", "renminbi",
    "euro", "krona", "kronor", "krone", "kroner", "crown", "guilder", "schilling", "peseta",
    "escudo", "drachma", "rand", "riyal", "rial", "dinar", "dirham", "shekel", "rouble", "ruble",
    "zloty", "forint", "naira", "shilling", "penny", "pence", "ecu", "sdr", "cruzado", "cruzeiro",
    "austral", "sucre", "bolivar", "usd", "eur", "gbp", "jpy", "dlrs", "cts", "boliviano", "colon",
    "quetzal", "lempira", "cordoba", "guarani", "sol", "inti", "kwacha", "cedi", "taka", "kyat",
    "riel", "kip", "manat", "lari", "tenge", "hryvnia", "lev", "leu", "kuna", "koruna", "litas",
    "lats", "kroon", "tolar", "birr", "afghani", "markka", "lot",
];

/// Words of percentages and points.
pub const PERCENT_UNITS: &[&str] = &["pct", "percent", "percentage", "point", "pt", "pts"];

/// Units of measurement.
#[rustfmt::skip]
pub const PHYSICAL_UNITS: &[&str] = &[
    "tonne", "ton", "tonnage", "kg", "kilo", "kilogram", "kilogramme", "gram", "gramme", "lb",
    "ounce", "oz", "km", "kilometre", "kilometer", "mile", "metre", "meter", "cm", "mm",
    "centimetre", "centimeter", "millimetre", "millimeter", "foot", "inch", "yard", "acre",
    "hectare", "barrel", "bpd", "bbl", "gallon", "litre", "liter", "cubic", "square", "sq",
    "degree", "mph", "kph", "kmh", "knot", "megawatt", "mw", "kilowatt", "kw", "kwh", "watt",
    "volt", "gigawatt", "gw", "calorie", "byte", "kilobyte", "megabyte", "gigabyte", "terabyte",
    "mb", "gb", "magnitude", "richter", "bushel", "bale", "carat", "karat", "teu", "dwt", "hertz",
    "decibel", "celsius", "fahrenheit", "lbs",
];

/// Units of time, and times of day.
#[rustfmt::skip]
pub const TIME_UNITS: &[&str] = &[
    "second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century",
    "millennium", "night", "weekend", "quarter", "semester", "season", "hr", "hrs", "min", "sec",
    "yr", "yrs", "moment", "morning", "afternoon", "evening", "lifetime", "am", "pm", "session",
];

/// Bulk goods that news wires count in tonnes or barrels and often name
/// without the unit.
#[rustfmt::skip]
pub const COMMODITIES: &[&str] = &[
    "wheat", "maize", "barley", "corn", "oil", "crude", "gold", "silver", "copper", "sugar",
    "coffee", "cocoa", "rice", "cotton", "colza", "rapeseed", "sorghum", "oat", "grain", "cereal",
    "wool", "rubber", "tin", "zinc", "aluminium", "aluminum", "nickel", "steel", "iron", "coal",
    "gas", "petrol", "gasoline", "fuel", "cement", "soybean", "soyabean", "flour", "tea", "water",
];

/// Multipliers and fractions: "three times", "two thirds".
pub const MULTIPLIERS: &[&str] = &[
    "time",
    "fold",
    "half",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "hundredth",
    "thousandth",
];

/// Plurals that do not end in "s", and words whose plural is the singular;
/// with the singular the format uses.
pub const IRREGULAR_PLURALS: &[(&str, &str)] = &[
    ("people", "person"),
    ("persons", "person"),
    ("children", "child"),
    ("police", "police"),
    ("staff", "staff"),
    ("workforce", "workforce"),
    ("personnel", "personnel"),
    ("cattle", "cattle"),
    ("sheep", "sheep"),
    ("deer", "deer"),
    ("fish", "fish"),
    ("aircraft", "aircraft"),
    ("spacecraft", "spacecraft"),
    ("hovercraft", "hovercraft"),
    ("crew", "crew"),
    ("offspring", "offspring"),
    ("livestock", "livestock"),
    ("poultry", "poultry"),
    ("clergy", "clergy"),
    ("militia", "militia"),
    ("feet", "foot"),
    ("teeth", "tooth"),
    ("geese", "goose"),
    ("mice", "mouse"),
    ("oxen", "ox"),
    ("dice", "die"),
    ("alumni", "alumnus"),
    ("criteria", "criterion"),
    ("phenomena", "phenomenon"),
    ("bacteria", "bacterium"),
    ("fungi", "fungus"),
    ("nuclei", "nucleus"),
    ("indices", "index"),
    ("crises", "crisis"),
    ("analyses", "analysis"),
    ("theses", "thesis"),
    ("diagnoses", "diagnosis"),
    ("hypotheses", "hypothesis"),
    ("buses", "bus"),
    ("gases", "gas"),
    ("bonuses", "bonus"),
    ("viruses", "virus"),
    ("campuses", "campus"),
    ("censuses", "census"),
    ("statuses", "status"),
    ("circuses", "circus"),
    ("choruses", "chorus"),
    ("geniuses", "genius"),
    ("aliases", "alias"),
    ("atlases", "atlas"),
    ("biases", "bias"),
    ("wives", "wife"),
    ("lives", "life"),
    ("knives", "knife"),
    ("halves", "half"),
    ("wolves", "wolf"),
    ("thieves", "thief"),
    ("leaves", "leaf"),
    ("loaves", "loaf"),
    ("shelves", "shelf"),
    ("calves", "calf"),
    ("scarves", "scarf"),
    ("hooves", "hoof"),
    ("heroes", "hero"),
    ("potatoes", "potato"),
    ("tomatoes", "tomato"),
    ("volcanoes", "volcano"),
    ("echoes", "echo"),
    ("vetoes", "veto"),
    ("torpedoes", "torpedo"),
    ("embargoes", "embargo"),
    ("cargoes", "cargo"),
    ("niches", "niche"),
    ("headaches", "headache"),
    ("caches", "cache"),
    ("avalanches", "avalanche"),
    ("movies", "movie"),
    ("cookies", "cookie"),
    ("zombies", "zombie"),
    ("calories", "calorie"),
    ("rookies", "rookie"),
    ("prairies", "prairie"),
    ("hippies", "hippie"),
];

/// Words that end in "s" but are not plurals (or are the same in both).
#[rustfmt::skip]
pub const NOT_PLURAL: &[&str] = &[
    "news", "series", "species", "means", "aids", "gas", "bus", "lens", "yes", "this", "his",
    "its", "was", "has", "is", "us", "as", "thus", "plus", "minus", "bonus", "chaos", "canvas",
    "atlas", "alias", "bias", "christmas", "texas", "kansas", "arkansas", "paris", "always",
    "perhaps", "afterwards", "towards", "besides", "sometimes", "nevertheless", "hers", "ours",
    "yours", "theirs", "whereas", "across", "unless", "politics", "economics", "physics",
    "mathematics", "athletics", "headquarters", "barracks", "corps", "whereabouts", "odds",
    "overseas", "alms", "does", "goes", "apiece", "metropolis", "tennis", "iris", "ibis", "mantis",
    "pelvis", "chassis", "trellis", "marquis", "hepatitis", "arthritis", "bronchitis",
    "meningitis", "appendicitis", "dermatitis", "tonsillitis", "encephalitis", "colitis",
];

/// Words in "-men" that are singular.
#[rustfmt::skip]
pub const SINGULAR_IN_MEN: &[&str] = &[
    "specimen", "abdomen", "omen", "regimen", "stamen", "acumen", "semen", "amen", "yemen", "hymen",
];
