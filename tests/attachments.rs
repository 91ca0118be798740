//! Counts and their parties on sentences of each kind, through the whole
//! pipeline with the shipped entity model.

use tally::doc::{Doc, Role};
use tally::pipeline::Pipeline;

fn run(text: &str) -> Doc {
    let pipeline = Pipeline::load_default().expect("the shipped model loads");
    let mut docs = vec![Doc::new("t", text)];
    pipeline.process(&mut docs).unwrap();
    docs.pop().unwrap()
}

/// The count whose text is `number`: (value, unit, sorted (role, party)).
fn count(doc: &Doc, number: &str) -> (f64, String, Vec<(Role, String)>, bool) {
    let c = doc
        .counts
        .iter()
        .find(|c| doc.slice(c.span) == number)
        .unwrap_or_else(|| panic!("no count {number:?} in {:?}", doc.counts));
    let mut parties: Vec<(Role, String)> = c
        .parties
        .iter()
        .map(|p| (p.role, p.party.clone()))
        .collect();
    parties.sort();
    (
        c.value,
        c.unit.clone().unwrap_or_default(),
        parties,
        c.distributive,
    )
}

fn parties(list: &[(Role, &str)]) -> Vec<(Role, String)> {
    let mut v: Vec<(Role, String)> = list.iter().map(|(r, p)| (*r, p.to_string())).collect();
    v.sort();
    v
}

#[test]
fn coordinated_subjects_with_each_are_distributive_agents() {
    let d = run("Moscow and Kyiv each returned 175 prisoners on Friday.");
    let (v, unit, p, each) = count(&d, "175");
    assert_eq!((v, unit.as_str(), each), (175.0, "prisoner", true));
    assert_eq!(
        p,
        parties(&[(Role::Agent, "Russia"), (Role::Agent, "Ukraine")])
    );
}

#[test]
fn passive_with_by_gives_the_agent_and_a_demonym_the_affiliation() {
    let d = run("In exchange, 175 Russian prisoners were released by Ukraine.");
    let (_, unit, p, each) = count(&d, "175");
    assert_eq!(unit, "prisoner");
    assert!(!each);
    assert_eq!(
        p,
        parties(&[(Role::Agent, "Ukraine"), (Role::Affiliation, "Russia")])
    );
}

#[test]
fn a_combined_count_belongs_to_both_subjects() {
    let d = run("Russia and Ukraine swapped a combined 372 soldiers on Wednesday.");
    let (v, unit, p, each) = count(&d, "372");
    assert_eq!((v, unit.as_str(), each), (372.0, "soldier", false));
    assert_eq!(
        p,
        parties(&[(Role::Agent, "Russia"), (Role::Agent, "Ukraine")])
    );
}

#[test]
fn a_possessive_country_owns_the_counted_people() {
    let d = run("Brazil's 40,000 seamen went on strike on Monday.");
    let (_, unit, p, _) = count(&d, "40,000");
    assert_eq!(unit, "seaman");
    assert_eq!(p, parties(&[(Role::Affiliation, "Brazil")]));
}

#[test]
fn a_demonym_inside_the_counted_phrase_is_the_affiliation() {
    let d = run("The army said it had captured 438 Libyan soldiers.");
    let (_, unit, p, _) = count(&d, "438");
    assert_eq!(unit, "soldier");
    assert!(
        p.contains(&(Role::Affiliation, "Libya".to_string())),
        "{p:?}"
    );
}

#[test]
fn a_pronoun_subject_resolves_to_the_company_that_cuts_its_own_jobs() {
    let d = run("General Motors Corp said it will lay off 1,000 workers next month.");
    let (v, unit, p, _) = count(&d, "1,000");
    assert_eq!((v, unit.as_str()), (1000.0, "worker"));
    assert_eq!(
        p,
        parties(&[
            (Role::Agent, "General Motors"),
            (Role::Affiliation, "General Motors")
        ])
    );
}

#[test]
fn a_place_after_in_is_the_location() {
    let d = run("A suicide bomber killed 12 people in Kabul on Monday, police said.");
    let (_, unit, p, _) = count(&d, "12");
    assert_eq!(unit, "person");
    assert_eq!(p, parties(&[(Role::Location, "Kabul")]));
}

#[test]
fn a_definite_restatement_takes_the_earlier_parties() {
    let d = run(
        "Russia released 22 wounded Ukrainian captives. Zelenskyy said that the return of the 22 severely wounded soldiers was a special case.",
    );
    let (_, _, first, _) = count(&d, "22");
    let second = d
        .counts
        .iter()
        .filter(|c| d.slice(c.span) == "22")
        .nth(1)
        .unwrap();
    let mut p: Vec<(Role, String)> = second
        .parties
        .iter()
        .map(|p| (p.role, p.party.clone()))
        .collect();
    p.sort();
    assert_eq!(p, first);
    assert_eq!(
        first,
        parties(&[(Role::Agent, "Russia"), (Role::Affiliation, "Ukraine")])
    );
}

#[test]
fn each_workforce_is_at_the_plant_its_own_sentence_names() {
    let d = run(
        "Acme Corp said it will close two plants and lay off 900 workers.\n\n\
         The company will shut its Dayton, Ohio, plant in May, idling 500 employees.\n\n\
         Its plant at Tulsa, Okla., will close in June, with 400 workers affected.\n\n\
         A third plant, in Reno, Nev., stays open.",
    );
    let (_, _, p500, _) = count(&d, "500");
    assert!(
        p500.contains(&(Role::Location, "Dayton".into())),
        "{p500:?}"
    );
    assert!(
        !p500.contains(&(Role::Location, "Tulsa".into())),
        "{p500:?}"
    );
    let (_, _, p400, _) = count(&d, "400");
    assert!(p400.contains(&(Role::Location, "Tulsa".into())), "{p400:?}");
    assert!(!p400.contains(&(Role::Location, "Reno".into())), "{p400:?}");
}

#[test]
fn troops_act_for_the_country_that_reports_them() {
    let d = run(
        "Chad's military command said today troops killed 300 Libyan soldiers \
         near the border. It said 40 Chadian soldiers were killed in the fighting.",
    );
    let (_, _, p, _) = count(&d, "300");
    assert_eq!(
        p,
        parties(&[(Role::Agent, "Chad"), (Role::Affiliation, "Libya")])
    );
    let (_, _, p, _) = count(&d, "40");
    assert!(p.contains(&(Role::Affiliation, "Chad".into())), "{p:?}");
    assert!(!p.contains(&(Role::Agent, "Chad".into())), "{p:?}");
}

#[test]
fn the_mill_refers_back_to_the_mill_named_before() {
    let d = run(
        "Pine Paper Inc said 300 members of the paperworkers union went on strike \
         at the company's Bend, Ore., paper mill.\n\n\
         The mill, which employs 525 people, makes newsprint.",
    );
    for n in ["300", "525"] {
        let (_, _, p, _) = count(&d, n);
        assert!(p.contains(&(Role::Location, "Bend".into())), "{n}: {p:?}");
    }
}

#[test]
fn a_place_described_by_a_direction_does_not_act() {
    let d = run("A strong earthquake which struck southwest Japan killed one person today.");
    let (_, unit, p, _) = count(&d, "one");
    assert_eq!(unit, "person");
    assert!(!p.iter().any(|(r, _)| *r == Role::Agent), "{p:?}");
}

#[test]
fn a_part_takes_the_owner_of_its_whole() {
    let d =
        run("In the assembly elections, the Liberal Democratic Party lost 92 of its 1,487 seats.");
    let (_, _, p, _) = count(&d, "1,487");
    assert!(
        p.contains(&(Role::Affiliation, "Liberal Democratic Party".into())),
        "{p:?}"
    );
    let (_, _, p, _) = count(&d, "92");
    assert!(
        p.contains(&(Role::Affiliation, "Liberal Democratic Party".into())),
        "{p:?}"
    );
    assert!(
        p.contains(&(Role::Agent, "Liberal Democratic Party".into())),
        "{p:?}"
    );
}

#[test]
fn counts_with_no_place_of_their_own_happen_where_the_lead_says() {
    let d = run("Floods Hit Farms\n\n\
         Floods and avalanches killed 110 people in northern Georgia this winter, \
         the government daily said.\n\n\
         The newspaper said 8,200 people had been evacuated from mountain areas.");
    let (_, _, p, _) = count(&d, "8,200");
    assert!(p.contains(&(Role::Location, "Georgia".into())), "{p:?}");
}

#[test]
fn in_a_list_of_disasters_each_count_takes_the_place_after_it() {
    let d = run(
        "Last year two ferries sank near Dhaka, 174 people drowned when a ferry \
         capsized in China and 147 died when a launch sank off Borneo.",
    );
    let (_, _, p, _) = count(&d, "174");
    assert_eq!(p, parties(&[(Role::Location, "China")]));
    let (_, _, p, _) = count(&d, "147");
    assert_eq!(p, parties(&[(Role::Location, "Borneo")]));
}

#[test]
fn a_company_based_somewhere_which_employs_people_owns_them() {
    let d = run(
        "The units are Power Equipment Corp, based in Cleveland, which employs \
         880 people; Romek Corp, based in Elyria, Ohio, which employs 262 people.",
    );
    let (_, _, p, _) = count(&d, "880");
    assert_eq!(
        p,
        parties(&[
            (Role::Affiliation, "Power Equipment"),
            (Role::Location, "Cleveland")
        ])
    );
    let (_, _, p, _) = count(&d, "262");
    assert!(p.contains(&(Role::Affiliation, "Romek".into())), "{p:?}");
    assert!(p.contains(&(Role::Location, "Elyria".into())), "{p:?}");
    assert!(!p.iter().any(|(r, _)| *r == Role::Agent), "{p:?}");
}
