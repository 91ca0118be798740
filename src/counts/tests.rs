//! Unit tests of the counts stage: what is a count, with which value, range,
//! hedge and unit, and what is none.

use super::{explain, find_counts};
use crate::doc::{Approx, Count, Doc, Label, Span};
use crate::{format, segment};

fn counts_of(text: &str) -> (Doc, Vec<Count>) {
    let mut doc = Doc::new("t", text);
    segment::segment(&mut doc);
    let counts = find_counts(&doc);
    (doc, counts)
}

/// (text, span, value, value_max, approx, unit): the count whose span
/// is `span` in `text`.
type Case = (
    &'static str,
    &'static str,
    f64,
    Option<f64>,
    Option<Approx>,
    &'static str,
);

#[rustfmt::skip]
const COUNTS: &[Case] = &[
    ("Russia and Ukraine swap 372 prisoners.", "372", 372.0, None, None, "prisoner"),
    ("They released 1,200 detainees.", "1,200", 1200.0, None, None, "detainee"),
    ("Russia also released 22 wounded Ukrainian captives.", "22", 22.0, None, None, "captive"),
    ("It freed 175 Ukrainian prisoners of war.", "175", 175.0, None, None, "prisoner"),
    ("Twenty-two soldiers died.", "Twenty-two", 22.0, None, None, "soldier"),
    ("The fire killed twenty two people.", "twenty two", 22.0, None, None, "person"),
    ("The flood displaced 1.5 million people.", "1.5 million", 1_500_000.0, None, None, "person"),
    ("The union has 2 mln members.", "2 mln", 2_000_000.0, None, None, "member"),
    ("It serves 3bn customers.", "3bn", 3e9, None, None, "customer"),
    ("It hired one hundred and five nurses.", "one hundred and five", 105.0, None, None, "nurse"),
    ("A quarter of a million refugees fled.", "A quarter of a million", 250_000.0, None, None, "refugee"),
    ("Half a million children are at risk.", "Half a million", 500_000.0, None, None, "child"),
    ("A billion users logged in.", "A billion", 1e9, None, None, "user"),
    ("Five thousand workers marched.", "Five thousand", 5000.0, None, None, "worker"),
    ("It bought a dozen banks.", "a dozen", 12.0, None, None, "bank"),
    ("Two dozen men were held.", "Two dozen", 24.0, None, None, "man"),
    ("Some 300 women joined.", "300", 300.0, None, Some(Approx::About), "woman"),
    ("About 300 police were deployed.", "300", 300.0, None, Some(Approx::About), "police"),
    ("An estimated 445,000 bags went unsold.", "445,000", 445_000.0, None, Some(Approx::About), "bag"),
    ("Roughly 40 firms bid.", "40", 40.0, None, Some(Approx::About), "firm"),
    ("Over 345 Muslim pilgrims died.", "345", 345.0, None, Some(Approx::Over), "pilgrim"),
    ("At least 76 people were killed.", "76", 76.0, None, Some(Approx::Over), "person"),
    ("More than two mln people are on strike.", "two mln", 2e6, None, Some(Approx::Over), "person"),
    ("Up to 140 bodies could be inside.", "140", 140.0, None, Some(Approx::Under), "body"),
    ("Nearly 110,000 members voted.", "110,000", 110_000.0, None, Some(Approx::Under), "member"),
    ("Fewer than 30 students came.", "30", 30.0, None, Some(Approx::Under), "student"),
    ("It will sell between 7,000 and 8,000 vehicles.", "7,000 and 8,000", 7000.0, Some(8000.0), Some(Approx::Range), "vehicle"),
    ("It will employ 300 to 400 workers.", "300 to 400", 300.0, Some(400.0), Some(Approx::Range), "worker"),
    ("It will employ 7,000-8,000 workers.", "7,000-8,000", 7000.0, Some(8000.0), Some(Approx::Range), "worker"),
    ("It affects 280,000 to 300,000 people.", "280,000 to 300,000", 280_000.0, Some(300_000.0), Some(Approx::Range), "person"),
    ("They expect 40 to 50 questions.", "40 to 50", 40.0, Some(50.0), Some(Approx::Range), "question"),
    ("It shut six of its car assembly plants.", "six", 6.0, None, None, "plant"),
    ("Five of the plants are in the United States.", "Five", 5.0, None, None, "plant"),
    ("The automaker will shut three plants each in its two groups.", "two", 2.0, None, None, "group"),
    ("Wentsville, Mo. (4,900 workers), and Flint.", "4,900", 4900.0, None, None, "worker"),
    ("Gm <Gm> To Idle Six Plants, 21,600 Workers", "Six", 6.0, None, None, "plant"),
    ("Gm <Gm> To Idle Six Plants, 21,600 Workers", "21,600", 21_600.0, None, None, "worker"),
    ("RUSSIA AND UKRAINE SWAP 372 PRISONERS", "372", 372.0, None, None, "prisoner"),
    ("Chad Says Troops Killed 1,200 Libyans In Battle", "1,200", 1200.0, None, None, "libyan"),
    ("One man was killed.", "One", 1.0, None, None, "man"),
    ("The blast killed one miner and hurt two.", "one", 1.0, None, None, "miner"),
    ("It will have one car plant.", "one", 1.0, None, None, "plant"),
    ("The plan would merge 35 agencies into nine.", "nine", 9.0, None, None, "agency"),
    ("Officials detained 12 activists. The five were later released.", "five", 5.0, None, None, "activist"),
    ("It lays off 9,800 workers, bringing to 11,900 the number idled.", "11,900", 11_900.0, None, None, "worker"),
    ("He thanked the 22 severely wounded soldiers.", "22", 22.0, None, None, "soldier"),
    ("The 48 cancer patients were treated.", "48", 48.0, None, None, "patient"),
    ("14 AIDS patients took part.", "14", 14.0, None, None, "patient"),
    ("Estimates suggest 8000 migrants may be at sea.", "8000", 8000.0, None, None, "migrant"),
    ("It killed 12 gunmen.", "12", 12.0, None, None, "gunman"),
    ("The ten children and their wives left.", "ten", 10.0, None, None, "child"),
    ("Police arrested 15 people.", "15", 15.0, None, None, "person"),
    ("GM will idle six plants and lay off 21,600 workers at the 1.1 mln-member union.", "1.1 mln", 1_100_000.0, None, None, "member"),
    ("Troops routed a 5,000-strong force.", "5,000", 5000.0, None, None, "force"),
    ("The six-member team arrived.", "six", 6.0, None, None, "member"),
    ("It elected a 120-seat parliament in 1990.", "120", 120.0, None, None, "seat"),
    ("A storm killed 107 or more and wounded 238.", "238", 238.0, None, None, "person"),
    ("A storm killed 107 or more and wounded 238.", "107", 107.0, None, Some(Approx::Over), "person"),
    ("At least 107 killed in Mecca crane collapse", "107", 107.0, None, Some(Approx::Over), "person"),
    ("Japan Earthquake Kills One, Cuts Phone Lines", "One", 1.0, None, None, "person"),
    ("29 Chadian soldiers were killed and 58 wounded.", "58", 58.0, None, None, "soldier"),
    ("Two ferries sank, 174 drowned when a ferry capsized.", "174", 174.0, None, None, "person"),
    ("It affects about 195 of the facility's 425 employees.", "195", 195.0, None, Some(Approx::About), "employee"),
    ("The LDP lost 92 of its previously held 1,487 seats.", "92", 92.0, None, None, "seat"),
    ("The MDP won six out of the 14 places.", "six", 6.0, None, None, "place"),
    ("Another 500 workers of the 5,100 employed at the plant will stay.", "5,100", 5100.0, None, None, "worker"),
    ("Police questioned four inspectors. None of the four had looked at the repair.", "four", 4.0, None, None, "inspector"),
    ("The strike halted a total of 158 vessels, including 50 in Santos.", "50", 50.0, None, None, "vessel"),
    ("Indefinite layoffs remain unchanged at 37,000.", "37,000", 37_000.0, None, None, "layoff"),
    ("Brazil Motor Industry Sends 9,000 On Leave\n\nIt sent nearly 9,000 of its 56,500 employees home.", "9,000", 9000.0, None, None, "employee"),
    ("Fiat will give 2,000 workers a month's holiday.", "2,000", 2000.0, None, None, "worker"),
    ("It will tell half of its 21,000 workforce to stay home.", "21,000", 21_000.0, None, None, "workforce"),
    ("It sent troops to occupy nine oil refineries.", "nine", 9.0, None, None, "refinery"),
    ("It will lay off 20,000 steel workers.", "20,000", 20_000.0, None, None, "worker"),
    ("The company said the layoffs will bring to 11,900 the number of General Motors workers idled.", "11,900", 11_900.0, None, None, "worker"),
    ("It will cut 300 to 400 jobs.", "300 to 400", 300.0, Some(400.0), Some(Approx::Range), "job"),
    ("It hopes to hire two or three engineers.", "two or three", 2.0, Some(3.0), Some(Approx::Range), "engineer"),
    ("It will spend 200 to 250 mln on 5 to 10 new plants.", "5 to 10", 5.0, Some(10.0), Some(Approx::Range), "plant"),
    ("The rescuers saved 700 asylum seekers and 200 more after that.", "200", 200.0, None, None, "seeker"),
    ("The death toll would have been more than a thousand.", "a thousand", 1000.0, None, Some(Approx::Over), "person"),
    ("The fire killed one man.", "one", 1.0, None, None, "man"),
    ("Gunmen killed five more people.", "five", 5.0, None, None, "person"),
    ("On March 23, 3,500 other workers will return.", "3,500", 3500.0, None, None, "worker"),
    ("Some 5,000 U.S. troops will leave.", "5,000", 5000.0, None, Some(Approx::About), "troop"),
    ("Floods killed 30 – 40 people.", "30 – 40", 30.0, Some(40.0), Some(Approx::Range), "person"),
    ("At least 12 dead in floods.", "12", 12.0, None, Some(Approx::Over), "person"),
    ("UN Says 1,000 Dead In Floods", "1,000", 1000.0, None, None, "person"),
    ("It raised 3.5bn dlrs from 10k investors.", "10k", 10_000.0, None, None, "investor"),
    ("Of 12 activists held, police arrested about 40 of them.", "40", 40.0, None, Some(Approx::About), "activist"),
    ("One Rohingya, Muhammad Amin, spoke.", "One", 1.0, None, None, "rohingya"),
    // A figure noun before a bare number (figure_of).
    ("Car sales were up 6.9 pct to 157,031 from 146,898.", "157,031", 157_031.0, None, None, "sale"),
    ("Car sales were up 6.9 pct to 157,031 from 146,898.", "146,898", 146_898.0, None, None, "sale"),
    ("Vehicle exports fell 9.3 pct in May to 531,253.", "531,253", 531_253.0, None, None, "export"),
    ("Layoffs could reach 2,000, the automaker said.", "2,000", 2000.0, None, None, "layoff"),
    // The bare object of a verb of employing (employed).
    ("The unit employs 17,000.", "17,000", 17_000.0, None, None, "employee"),
    ("The plant, employing about 356, will close.", "356", 356.0, None, Some(Approx::About), "employee"),
    // Shares are counted, not money.
    ("It bought 918,900 shares of common stock.", "918,900", 918_900.0, None, None, "share"),
    ("Volume was 39.7 mln shares.", "39.7 mln", 39_700_000.0, None, None, "share"),
    // Plural model designations, and a model before the noun.
    ("In 1985 it ordered six MD-82s.", "six", 6.0, None, None, "md-82"),
    ("It ordered three short-haul A320s.", "three", 3.0, None, None, "a320"),
    ("Some 63 Dash 8s are on order.", "63", 63.0, None, Some(Approx::About), "dash 8"),
    ("It bought 15 747s from Boeing.", "15", 15.0, None, None, "747"),
    ("It ordered two additional 737-200 twinjets.", "two", 2.0, None, None, "twinjet"),
    // "of these", "of those" refer back.
    ("It ordered six MD-82s. Four of these are in service.", "Four", 4.0, None, None, "md-82"),
    // A source noun that is no source of a statement.
    ("One official was killed, police said.", "One", 1.0, None, None, "official"),
    // Modifiers joined by "and", "or" or commas share the plural noun
    // (shared_head).
    ("The company will close two of its truck and bus plants.", "two", 2.0, None, None, "plant"),
    ("Three of the five car and engine factories will close.", "five", 5.0, None, None, "factory"),
    ("Three of the five car and engine factories will close.", "Three", 3.0, None, None, "factory"),
    ("It will lay off about 500 hourly, salaried and contract workers.", "500", 500.0, None, Some(Approx::About), "worker"),
    ("It bought 20,000 common and preferred shares.", "20,000", 20_000.0, None, None, "share"),
    // A hyphen cut from its word (is_broken_hyphen).
    ("Rebels captured 40 anti- tank missiles.", "40", 40.0, None, None, "missile"),
    ("Rebels captured 40 anti -tank missiles.", "40", 40.0, None, None, "missile"),
    // "more" before a model designation.
    ("The airline will take three more 767-200 freighters.", "three", 3.0, None, None, "freighter"),
    // "which one" with a noun (which_one_noun).
    ("It was a blaze in which one firefighter died.", "one", 1.0, None, None, "firefighter"),
    // An elided "one" after "and" (elliptic_one).
    ("It has six plants in Ohio and one in Texas.", "one", 1.0, None, None, "plant"),
    // A vote tally (vote_tally), even where a number looks like a year.
    ("The delegates voted 1450 to 12 to approve the deal.", "1450", 1450.0, None, None, "vote"),
    ("The delegates voted 1450 to 12 to approve the deal.", "12", 12.0, None, None, "vote"),
    ("It passed by a vote of 215 to 190.", "190", 190.0, None, None, "vote"),
    // A year after "in" joins nothing (year_adverbial).
    ("The number of patients rose from 52 in 1990 to 210 the next year.", "210", 210.0, None, None, "patient"),
    // A partitive after a date still counts.
    ("Three plants closed by March 31 and two of them will reopen.", "two", 2.0, None, None, "plant"),
    // An adverb and its participle inside a singular phrase.
    ("It opened one newly built plant.", "one", 1.0, None, None, "plant"),
];

#[test]
fn finds_counts() {
    let mut failures = Vec::new();
    for &(text, span, value, value_max, approx, unit) in COUNTS {
        let (doc, counts) = counts_of(text);
        let found = counts.iter().find(|c| doc.slice(c.span) == span);
        let ok = found.is_some_and(|c| {
            c.value == value
                && c.value_max == value_max
                && c.approx == approx
                && c.unit.as_deref() == Some(unit)
                && c.parties.is_empty()
                && !c.distributive
        });
        if !ok {
            failures.push(format!(
                "{text:?} {span:?}: got {found:?}; read as {:?}",
                explain(&doc)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unit_span_points_at_the_head() {
    let (doc, counts) = counts_of("It shut six of its car assembly plants.");
    assert_eq!(doc.slice(counts[0].unit_span.unwrap()), "plants");
    let (doc, counts) = counts_of("Russia also released 22 wounded Ukrainian captives.");
    assert_eq!(doc.slice(counts[0].unit_span.unwrap()), "captives");
    // The tokenizer keeps "man." whole (Manitoba); the head is "man".
    let (doc, counts) = counts_of("The fire killed one man.");
    assert_eq!(doc.slice(counts[0].unit_span.unwrap()), "man");
    let (doc, counts) = counts_of("Troops routed a 5,000-strong force.");
    assert_eq!(doc.slice(counts[0].unit_span.unwrap()), "force");
    // A unit taken over from another mention is not written there.
    let (_, counts) = counts_of("It will merge 35 agencies into nine.");
    assert_eq!(counts[1].unit_span, None);
}

/// (text, number): `number` in `text` is no count.
#[rustfmt::skip]
const NOT_COUNTS: &[(&str, &str)] = &[
    ("In 1987, sales fell.", "1987"),
    ("Sales were weak in 2022 overall.", "2022"),
    ("The 1987 bargaining round began.", "1987"),
    ("The plants close starting August six for inventory.", "six"),
    ("It happened on April 7 in Tokyo.", "7"),
    ("The March five earthquake killed up to 300 people.", "five"),
    ("It will be signed on 7 April.", "7"),
    ("News Highlights 1300 Gmt April 7", "1300"),
    ("They met at 10:30 in the morning.", "10"),
    ("He has lived there for 43 years.", "43"),
    ("The talks lasted three weeks.", "three"),
    ("The working week was cut to 35 hours.", "35"),
    ("The man, aged 45, was arrested.", "45"),
    ("A 45-year-old man was arrested.", "45-year-old"),
    ("John Smith, 45, was arrested.", "45"),
    ("The sixth is in Canada.", "sixth"),
    ("He finished 1st in the race.", "1st"),
    ("One in six adults smokes.", "six"),
    ("One in six adults smokes.", "One"),
    ("Call 555-1234 for details.", "555-1234"),
    ("England won 2-1 in the final.", "2-1"),
    ("Tunisia lost 1 – 2 to England in the match.", "1 – 2"),
    ("It lost 800 mln dlrs in oil revenue.", "800 mln"),
    ("It costs $5 a month.", "5"),
    ("It paid 5 dollars.", "5"),
    ("Prices rose 10 cts.", "10"),
    ("It will invest 1.7 billion yen.", "1.7 billion"),
    ("It owes 600 million marks.", "600 million"),
    ("It owes 600 mln Canadian dlrs.", "600 mln"),
    ("A 450 mln Canadian dlr loan was signed.", "450 mln"),
    ("Sales rose 29.5 pct in March.", "29.5"),
    ("Support stands at 30 percent.", "30"),
    ("Output rose 17 per cent.", "17"),
    ("Turnout was 5% higher.", "5"),
    ("The index lost 15.29 points to 2,664.70.", "15.29"),
    ("The index lost 15.29 points to 2,664.70.", "2,664.70"),
    ("Output reached 70 million tonnes.", "70 million"),
    ("The border is 100 km away.", "100"),
    ("The quake measured 4.2 on the Richter scale.", "4.2"),
    ("It pumps 250,000 barrels per day.", "250,000"),
    ("The farm covers 500 acres.", "500"),
    ("It covers 20 hectares.", "20"),
    ("Police seized 50 kilos of cocaine.", "50"),
    ("They walked 500 miles.", "500"),
    ("The wall is 6,000 feet long.", "6,000"),
    ("It was 30 degrees.", "30"),
    ("The Boeing 747 crashed.", "747"),
    ("He drove a Rover 75 to work.", "75"),
    ("The Guildford Four were freed.", "Four"),
    ("Airbus launched the A340 plane.", "A340"),
    ("Hundreds of people marched.", "Hundreds"),
    ("Thousands fled and dozens died.", "dozens"),
    ("It is one of the largest exchanges.", "one"),
    ("Russia And Ukraine Swap 372 Prisoners In One Of The Largest War Exchanges Yet", "One"),
    ("One thing is certain.", "One"),
    ("No one was hurt.", "one"),
    ("It hopes for a five-fold rise.", "five-fold"),
    ("It signed a two-year deal.", "two-year"),
    ("Seagram fell 2-1/8 to 100-3/8.", "2-1"),
    ("It sold the 747 jumbo jet.", "747"),
    ("It takes two to make peace, but only one to make war.", "two"),
    ("It takes two to make peace, but only one to make war.", "one"),
    ("The death toll rose three times.", "three"),
    ("Output fell to 7,000 per month.", "7,000"),
    ("Zero deaths were reported.", "Zero"),
    ("Several hundred patients came.", "hundred"),
    ("One source said the talks failed.", "One"),
    ("It owns 40,000 tonnes of wheat, Algeria 64,896 wheat.", "64,896"),
    ("Police posts 542 and 543 were hit.", "542 and 543"),
    ("The Centre Party gained three to 40 and the Greens lost one.", "three to 40"),
    ("The Centre Party gained three to 40 and the Greens lost one.", "one"),
    ("Boeing makes the long-range 767-300 planes.", "767-300"),
    ("Output fell 12 in 1987.", "1987"),
    ("One broker said prices would rise.", "One"),
    ("It bought one of the strike leaders a drink.", "one"),
    ("Lechin, 83, joined the strike.", "83"),
    ("It will be one of the most difficult rounds.", "one"),
    ("England won 3 – 1 in the final.", "3"),
    ("Seagram fell 2-1/8 to 100-3/8.", "100-3"),
    ("The index rose 139 points in the last three sessions.", "three"),
    ("The Treasury wants 3.8 billion dlrs, and 8.5 billion for them.", "8.5 billion"),
    ("It has a 24-hour hotline.", "24-hour"),
    ("He fled Haiti fourteen months ago.", "fourteen"),
    ("Two thirds of the staff left.", "Two"),
    ("He served in World War Two.", "Two"),
    ("They watched Channel 4 news.", "4"),
    ("The plant runs 24/7.", "24"),
    ("Jobs fell 1,200 in the 9/11 attacks aftermath.", "9"),
    ("The meeting is on Jan. 5 in Paris.", "5"),
    ("Men aged between 18 and 25 must register.", "18 and 25"),
    ("He is in his 20s.", "20s"),
    ("Troops fired COVID-19 tests.", "19"),
    ("It uses three times as many workers.", "three"),
    ("The talks start at 9 a.m. today.", "9"),
    ("It was a three-time winner.", "three-time"),
    // "one of X" is never a count (FORMAT decision 8).
    ("It will lay off 3,500 workers at one of its car assembly plants.", "one"),
    ("It cost less than one of Boeing's 747s.", "one"),
    // "one" before a quoted source (quoted_source).
    ("\"No deal,\" said one analyst, who asked not to be named.", "one"),
    ("One foreign banker speculated that Bolivia might default.", "One"),
    ("One money market dealer for a major foreign bank said rates would fall.", "One"),
    // No figure of bulk goods, nor of money (figure_of).
    ("Sugar exports rose to 300,000 from 250,000.", "300,000"),
    ("Sales rose to 450,000 from 300,000 dlrs.", "450,000"),
    ("It forecast exports of 22.9 mln of crude against 63.3 mln last year.", "63.3 mln"),
    // A decade is no designation.
    ("Two 1980s recessions hurt it.", "Two"),
    // A bulk good is no modifier of a shared noun (shared_head).
    ("It forecast exports of 22.9 mln of crude and products against 63.3 mln.", "22.9 mln"),
    // Exchange ratios (exchange_ratio, ANNOTATE decision 17).
    ("It offered one share for every three shares held.", "one"),
    ("It offered one share for every three shares held.", "three"),
    ("Holders get two new shares for each five held.", "two"),
    ("Holders get two new shares for each five held.", "five"),
    // A model's capacity (model_capacity, ANNOTATE decision 15).
    ("It builds the 70-seat ATR 72 turboprop.", "70"),
    ("Airlines ordered the 150-seat A320.", "150"),
    // "one" with an adverb and participle before an idiom noun.
    ("One widely cited possibility is a merger.", "One"),
    // "which one" without a noun stays a pronoun.
    ("Nobody knew which one was hit.", "one"),
    // A year after a vote word but no tally.
    ("They voted in 1987 on the plan.", "1987"),
];

#[test]
fn skips_what_is_no_count() {
    let mut failures = Vec::new();
    for &(text, number) in NOT_COUNTS {
        let (doc, counts) = counts_of(text);
        let at = text.find(number).expect("number in text");
        let span = Span::new(at, at + number.len());
        if let Some(hit) = counts.iter().find(|c| c.span.overlaps(span)) {
            failures.push(format!(
                "{text:?} {number:?}: got {hit:?}; read as {:?}",
                explain(&doc)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn reads_whole_numbers_only() {
    let (doc, counts) = counts_of("Sales reached 4,300 units.");
    let texts: Vec<&str> = counts.iter().map(|c| doc.slice(c.span)).collect();
    assert_eq!(texts, ["4,300"]);
}

#[test]
fn skips_numbers_inside_entities() {
    let mut doc = Doc::new("t", "The Group of Seven met; 5 ministers came.");
    segment::segment(&mut doc);
    let at = doc.text.find("Group").unwrap();
    doc.entities.push(crate::doc::Entity {
        span: Span::new(at, at + "Group of Seven".len()),
        label: Label::Org,
        canonical: "G7".into(),
        score: None,
    });
    let counts = find_counts(&doc);
    let texts: Vec<&str> = counts.iter().map(|c| doc.slice(c.span)).collect();
    assert_eq!(texts, ["5"]);
}

#[test]
fn no_panic_on_odd_input() {
    for text in [
        "",
        " ",
        "1",
        "one",
        "a",
        "- - 5 -",
        "“五 300 → 4 ½ prisoners”",
        "1,000,000,000,000,000,000,000 people",
        "a quarter of",
        "one hundred and",
        "3-",
        "-3",
        "5 –",
    ] {
        let _ = counts_of(text);
    }
    // Without segmentation the function tokenizes by itself.
    let doc = Doc::new("t", "Police arrested 15 people.");
    assert_eq!(find_counts(&doc).len(), 1);
}

#[test]
fn counts_are_sorted_and_disjoint() {
    let (_, counts) =
        counts_of("Between 20 and 30 men and 300 to 400 women, 5 children and one dog.");
    assert_eq!(counts.len(), 4);
    for w in counts.windows(2) {
        assert!(w[0].span.end <= w[1].span.start);
    }
}

#[test]
fn seed_article_matches_gold() {
    let line = include_str!("../../eval/gold/seed.jsonl")
        .lines()
        .next()
        .expect("a gold line");
    let value: serde_json::Value = serde_json::from_str(line).expect("gold json");
    let gold = format::annotated_from_json(value).expect("gold record");
    let mut doc = Doc::new(gold.id.clone(), gold.text.clone());
    doc.entities = gold.entities.clone();
    segment::segment(&mut doc);
    let got: Vec<(Span, f64, Option<String>)> = find_counts(&doc)
        .into_iter()
        .map(|c| (c.span, c.value, c.unit))
        .collect();
    let want: Vec<(Span, f64, Option<String>)> = gold
        .counts
        .iter()
        .map(|c| (c.span, c.value, c.unit.clone()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn counts_hand_their_tokens_head_and_compound_forward() {
    let mut doc = Doc::new(
        "t",
        "Police freed 372 prisoners. The 1.1 mln-member union struck.",
    );
    crate::segment::segment(&mut doc);
    let counts = find_counts(&doc);
    let words = |c: &Count| -> Vec<&str> { c.tokens.clone().map(|t| doc.token_text(t)).collect() };
    assert_eq!(counts.len(), 2);
    assert_eq!(words(&counts[0]), ["372"]);
    assert_eq!(counts[0].head.map(|h| doc.token_text(h)), Some("prisoners"));
    assert_eq!(counts[0].compound, None);
    assert_eq!(words(&counts[1]), ["1.1", "mln-member"]);
    assert_eq!(counts[1].head.map(|h| doc.token_text(h)), Some("union"));
    assert_eq!(counts[1].compound.as_deref(), Some("member"));
}
