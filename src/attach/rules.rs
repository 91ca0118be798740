//! The attachment rules by name. Every rule listed here can be switched off
//! (`--disable-rule NAME`), so that what it adds can be measured
//! (`tally eval GOLD --ablate`): a rule earns its place on gold it was not
//! built on, or goes.

/// One named rule: its name (as on the command line) and what it does.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub doc: &'static str,
}

/// Every switchable rule, in the order the attachment stage applies them:
/// the count rules (a walk's matchers right after it), then the document
/// rules. Each is a function in `src/attach/` of the same name.
pub const RULES: &[Rule] = &[
    Rule {
        name: "definite-restatement",
        doc: "'the 175 prisoners' takes the parties of the earlier count with that value",
    },
    Rule {
        name: "counted-phrase",
        doc: "'175 Russian prisoners', '21,600 GM workers': names inside the counted phrase (a place other than a country: a location); off, the walk over the phrase stops",
    },
    Rule {
        name: "demonym-head",
        doc: "'1,200 Libyans': a demonym as the head noun gives its country as affiliation",
    },
    Rule {
        name: "possessive-pronoun",
        doc: "'its 22,000 workforce': the antecedent of the possessive pronoun is the affiliation",
    },
    Rule {
        name: "possessive-name",
        doc: "'Brazil's 40,000 seamen': the name before 's is the affiliation",
    },
    Rule {
        name: "possessive-country-company",
        doc: "'the country's 900 factories', 'the company's 500 workers': the document's country or company as affiliation",
    },
    Rule {
        name: "compound-owner",
        doc: "'the 13-member OPEC': the name a glued count word qualifies is the affiliation",
    },
    Rule {
        name: "of-after-head",
        doc: "'workers of Petrobras', 'miners at Anglo American': of/at/from X after the head noun (a place other than a country, or after at/from: a location)",
    },
    Rule {
        name: "employer-phrase",
        doc: "'miners employed by COMIBOL', '4,000 at a Daimler-Benz plant': the employer is the affiliation",
    },
    Rule {
        name: "figure-possessor",
        doc: "'Ford's sales … rose to 157,031', 'Japanese vehicle exports fell to 531,253': the owner of the figure noun a bare number takes its unit from is its affiliation (of sales and orders, its agent too)",
    },
    Rule {
        name: "passive-by-agent",
        doc: "'were released by Ukraine': the by-phrase of a passive is the agent",
    },
    Rule {
        name: "passive-reporter-agent",
        doc: "'the Russian Defense Ministry said 175 prisoners were transferred': a government body reporting a passive is its country, the agent",
    },
    Rule {
        name: "subject-agent",
        doc: "the nearest ungoverned mention group before the count in its clause is the agent; off, the whole subject walk (and relative-antecedent) is off",
    },
    Rule {
        name: "set-not-acted-on",
        doc: "'was among the initial 12 customers', 'one of the six major mining houses': a count after a preposition and 'the' names a set the subject belongs to: the subject walk does not run",
    },
    Rule {
        name: "event-place",
        doc: "'Japan Earthquake Kills One': a place before an event noun, met by the subject walk, is the location, not the agent",
    },
    Rule {
        name: "owner-subject",
        doc: "'X has 2.5 mln members', 'employs 525 people': the subject of a verb of possession is the affiliation",
    },
    Rule {
        name: "subject-pronoun",
        doc: "'it laid off 300 workers': a pronoun met by the subject walk gives its antecedent",
    },
    Rule {
        name: "forces-country",
        doc: "'troops killed 1,269 Libyans': the forces' country (demonym before them, reporting voice, else the document's country) is the agent",
    },
    Rule {
        name: "government-is-country",
        doc: "'the government sent 1,000 marines': the document's country is the agent",
    },
    Rule {
        name: "relative-antecedent",
        doc: "'Autolatina, which laid off 4,000 workers': the antecedent of the relative clause is the subject",
    },
    Rule {
        name: "reporter-seller",
        doc: "'McDonnell Douglas said Korean Air signed orders for four MD-11 jets': a company reporting an order or purchase of the counted things is its seller, an agent",
    },
    Rule {
        name: "company-cuts-own-workforce",
        doc: "a company that lays off or idles workers is also their affiliation",
    },
    Rule {
        name: "locative-places",
        doc: "places after in/at/near… between the previous and the next count of the clause",
    },
    Rule {
        name: "place-in-at",
        doc: "parse: 'killed 12 people in Kabul', 'jobs at its Lansing plant': a place in a locative obl of the governing verb or nmod of the count's noun is a location",
    },
    Rule {
        name: "list-item-place",
        doc: "'174 drowned when a ferry capsized in China and 147 …': in a list, a count's place may follow it past a clause break",
    },
    Rule {
        name: "workers-at-plant",
        doc: "workers with no place are at the plant their sentence names",
    },
    Rule {
        name: "reporter-employs-workforce",
        doc: "'8,000 miners …, mine owner Anglo American said': a company reporting on a workforce employs it",
    },
    Rule {
        name: "topic-company-workforce",
        doc: "the company the document is about owns the workforce it counts, and is the agent of an action on it",
    },
    Rule {
        name: "refers-back-place",
        doc: "'there', 'the plant': the plant or place named last, within two sentences",
    },
    Rule {
        name: "restatement-fills-roles",
        doc: "a count restated with the same value and unit fills the roles it lacks from the earlier one",
    },
    Rule {
        name: "partitives",
        doc: "'29 of them', 'Five of the plants': a part takes the owner and place of its whole",
    },
    Rule {
        name: "shared-sentence-places",
        doc: "counts of one sentence with no place of their own share the places the others found",
    },
    Rule {
        name: "headline-takes-body",
        doc: "a headline count takes the parties of the body's first count with the same value and unit",
    },
    Rule {
        name: "lead-place-location",
        doc: "counts with no place anywhere take the one place the lead sentence names with in/at/near",
    },
    Rule {
        name: "mention-links",
        doc: "a count with the value and agreeing parties of an earlier one restates it (mention_of)",
    },
    Rule {
        name: "sum-links",
        doc: "two to four counts that add up exactly to another are its parts (sum_of)",
    },
];

/// Which rules are on, and the ranker that adds to their
/// proposals (none: every proposal stands).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    off: Vec<&'static str>,
    ranker: Option<std::sync::Arc<super::rank::Ranker>>,
}

impl RuleSet {
    /// Every rule on, every proposal standing (no ranker): the rules
    /// alone.
    pub fn all() -> Self {
        RuleSet::default()
    }

    /// What tally runs by default: every rule on, and the ranker built
    /// into tally (`models/attach/ranker.json`) adding to their proposals.
    pub fn shipped() -> Self {
        RuleSet::all().with_ranker(Some(super::rank::Ranker::shipped()))
    }

    /// Every rule on but `names` (no ranker); an unknown name is an error
    /// that lists the known ones.
    pub fn without<S: AsRef<str>>(names: &[S]) -> Result<Self, String> {
        let mut off = Vec::new();
        for n in names {
            let n = n.as_ref();
            match RULES.iter().find(|r| r.name == n) {
                Some(r) => off.push(r.name),
                None => {
                    return Err(format!(
                        "no attachment rule is named {n:?}; the rules are: {}",
                        RULES.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
                    ))
                }
            }
        }
        Ok(RuleSet { off, ranker: None })
    }

    /// The same rules, their proposals decided by `ranker` (none: every
    /// proposal stands, nothing is added).
    pub fn with_ranker(mut self, ranker: Option<std::sync::Arc<super::rank::Ranker>>) -> Self {
        self.ranker = ranker;
        self
    }

    /// The ranker that adds to the rules' proposals, if any.
    pub fn ranker(&self) -> Option<&super::rank::Ranker> {
        self.ranker.as_deref()
    }

    /// [`RuleSet::ranker`], shared.
    pub fn ranker_arc(&self) -> Option<std::sync::Arc<super::rank::Ranker>> {
        self.ranker.clone()
    }

    /// Is rule `name` on? `name` must be one of [`RULES`].
    pub fn on(&self, name: &'static str) -> bool {
        assert!(
            RULES.iter().any(|r| r.name == name),
            "attachment rule {name:?} is not in RULES"
        );
        !self.off.contains(&name)
    }

    /// The names of the rules switched off.
    pub fn disabled(&self) -> &[&'static str] {
        &self.off
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_unknown_names_are_refused() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                RULES[i + 1..].iter().all(|o| o.name != r.name),
                "{}",
                r.name
            );
        }
        let set = RuleSet::without(&["lead-place-location"]).unwrap();
        assert!(!set.on("lead-place-location"));
        assert!(set.on("subject-agent"));
        let err = RuleSet::without(&["no-such-rule"]).unwrap_err();
        assert!(err.contains("subject-agent"), "{err}");
    }
}
