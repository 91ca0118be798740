//! Units of counts: what a head noun after a number is, and its singular.
//!
//! `numbers` finds a number and the noun phrase after it; this module tells
//! whether that noun counts things ("prisoners", "plants") or measures
//! something that is not a count (money, percentages, durations, weights,
//! bulk goods), and turns a plural head into the lower-case singular the
//! format asks for ("people" → "person", "agencies" → "agency").

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

/// Currencies, with the abbreviations of news wires ("dlrs", "cts", "stg"),
/// and securities traded for money ("39.7 mln shares").
#[rustfmt::skip]
const MONEY: &[&str] = &[
    "dollar", "dlr", "cent", "ct", "yen", "franc", "mark", "deutschemark", "pound", "stg",
    "sterling", "lira", "lire", "peso", "rupee", "rupiah", "ringgit", "baht", "yuan", "renminbi",
    "euro", "krona", "kronor", "krone", "kroner", "crown", "guilder", "schilling", "peseta",
    "escudo", "drachma", "rand", "riyal", "rial", "dinar", "dirham", "shekel", "rouble", "ruble",
    "zloty", "forint", "naira", "shilling", "penny", "pence", "ecu", "sdr", "cruzado", "cruzeiro",
    "austral", "sucre", "bolivar", "usd", "eur", "gbp", "jpy", "dlrs", "cts", "boliviano", "colon",
    "quetzal", "lempira", "cordoba", "guarani", "sol", "inti", "kwacha", "cedi", "taka", "kyat",
    "riel", "kip", "manat", "lari", "tenge", "hryvnia", "lev", "leu", "kuna", "koruna", "litas",
    "lats", "kroon", "tolar", "birr", "afghani", "markka", "share", "lot",
];

const PERCENT: &[&str] = &["pct", "percent", "percentage", "point", "pt", "pts"];

/// Units of measurement.
#[rustfmt::skip]
const PHYSICAL: &[&str] = &[
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
const TIME: &[&str] = &[
    "second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century",
    "millennium", "night", "weekend", "quarter", "semester", "season", "hr", "hrs", "min", "sec",
    "yr", "yrs", "moment", "morning", "afternoon", "evening", "lifetime", "am", "pm", "session",
];

/// Bulk goods that news wires count in tonnes or barrels and often name
/// without the unit.
#[rustfmt::skip]
const COMMODITY: &[&str] = &[
    "wheat", "maize", "barley", "corn", "oil", "crude", "gold", "silver", "copper", "sugar",
    "coffee", "cocoa", "rice", "cotton", "colza", "rapeseed", "sorghum", "oat", "grain", "cereal",
    "wool", "rubber", "tin", "zinc", "aluminium", "aluminum", "nickel", "steel", "iron", "coal",
    "gas", "petrol", "gasoline", "fuel", "cement", "soybean", "soyabean", "flour", "tea", "water",
];

/// Multipliers and fractions: "three times", "two thirds".
const TIMES: &[&str] = &[
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

/// The kind of measure a lower-case singular head noun names, if it is one.
pub fn measure_of(lemma: &str) -> Option<Measure> {
    let tables: [(&[&str], Measure); 6] = [
        (MONEY, Measure::Money),
        (PERCENT, Measure::Percent),
        (PHYSICAL, Measure::Physical),
        (TIME, Measure::Time),
        (COMMODITY, Measure::Commodity),
        (TIMES, Measure::Times),
    ];
    tables
        .iter()
        .find(|(words, _)| words.contains(&lemma))
        .map(|(_, m)| *m)
}

/// Plurals that do not end in "s", and words whose plural is the singular;
/// with the singular the format uses.
const IRREGULAR: &[(&str, &str)] = &[
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
const NOT_PLURAL: &[&str] = &[
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
const MEN_SINGULAR: &[&str] = &[
    "specimen", "abdomen", "omen", "regimen", "stamen", "acumen", "semen", "amen", "yemen", "hymen",
];

/// Whether a lower-case word reads as a plural noun.
pub fn looks_plural(w: &str) -> bool {
    if IRREGULAR.iter().any(|(p, _)| *p == w) {
        return true;
    }
    if w.ends_with("men") && w.len() >= 3 && !MEN_SINGULAR.contains(&w) {
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
    if let Some((_, s)) = IRREGULAR.iter().find(|(p, _)| *p == w) {
        return s.to_string();
    }
    if w.ends_with("men") && w.len() >= 3 && !MEN_SINGULAR.contains(&w) {
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
