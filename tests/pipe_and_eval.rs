//! `tally extract --errors-inline` (one output line per input document, for
//! workers under Spark and the like) and `tally eval`'s output formats,
//! standard input and `--errors` destinations, as a user runs them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn tally() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tally"))
}

fn root(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = tally()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A tally that refuses its arguments exits before reading its input,
    // and may be gone before this write: its status says what happened.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const MIXED: &str = concat!(
    "{\"id\": \"a\", \"text\": \"Police arrested 12 men in Lagos.\"}\n",
    "{\"id\": \"b\", \"text\": \n",
    "\n",
    "{\"id\": \"a\", \"text\": \"Same id again.\"}\n",
    "{\"id\": \"c\", \"text\": \" \"}\n",
    "{\"id\": 7, \"text\": \"Five men were arrested.\", \"source\": \"wire\"}\n",
);

#[test]
fn inline_errors_give_one_line_per_document_in_order_and_exit_zero() {
    let out = run_with_stdin(
        &["extract", "-", "--errors-inline", "--window", "2"],
        MIXED.as_bytes(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines = json_lines(&out.stdout);
    // Five records for five non-blank lines: results and errors in input order.
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["counts"][0]["value"], 12);
    let errors: Vec<(usize, &serde_json::Value, &str)> = lines[1..4]
        .iter()
        .map(|e| {
            assert!(e.get("text").is_none(), "an error record has no text: {e}");
            assert_eq!(e["file"], "-");
            (
                e["line"].as_u64().unwrap() as usize,
                &e["id"],
                e["error"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(errors[0].0, 2);
    assert!(errors[0].1.is_null() && errors[0].2.starts_with("malformed JSON"));
    assert_eq!(
        (errors[1].0, errors[1].1.as_str(), errors[1].2),
        (
            4,
            Some("a"),
            "duplicate id: an earlier document has the same id"
        )
    );
    assert_eq!(
        (errors[2].0, errors[2].1.as_str(), errors[2].2),
        (5, Some("c"), "empty text")
    );
    assert_eq!(lines[4]["id"], 7, "a number id comes back as written");
    assert_eq!(lines[4]["source"], "wire");
    // Standard error still tells, and the summary counts the failures.
    assert!(stderr.contains("3 failed"), "{stderr}");

    // The same records as --errors writes, in the same shape; without
    // --errors-inline the run exits 1 and the output has the documents only.
    let dir = tempfile::tempdir().unwrap();
    let errors_file = dir.path().join("errors.jsonl");
    let out = run_with_stdin(
        &["extract", "-", "--errors", errors_file.to_str().unwrap()],
        MIXED.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out.stdout).len(), 2);
    let from_file: Vec<serde_json::Value> = std::fs::read_to_string(&errors_file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(from_file, lines[1..4].to_vec());
}

#[test]
fn inline_errors_go_into_an_output_file_and_fatal_errors_still_fail() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.jsonl");
    let out = run_with_stdin(
        &[
            "extract",
            "-",
            "--errors-inline",
            "-o",
            out_path.to_str().unwrap(),
        ],
        MIXED.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let written = std::fs::read(&out_path).unwrap();
    assert_eq!(json_lines(&written).len(), 5);
    // An unwritable output is still fatal: exit 2.
    let out = run_with_stdin(
        &[
            "extract",
            "-",
            "--errors-inline",
            "-o",
            dir.path().join("no/such/dir/out.jsonl").to_str().unwrap(),
        ],
        MIXED.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    // `--errors -` does not make a file named "-": it points to the flag.
    let out = run_with_stdin(&["extract", "-", "--errors", "-"], MIXED.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--errors-inline"));
}

/// A prediction file: the seed gold less one entity and one count party, so
/// that macro and micro figures differ and there are mistakes to list.
fn imperfect_pred(dir: &std::path::Path) -> std::path::PathBuf {
    let gold = std::fs::read_to_string(root("eval/gold/seed.jsonl")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(gold.lines().next().unwrap()).unwrap();
    let ents = v["entities"].as_array_mut().unwrap();
    let i = ents.iter().position(|e| e["label"] == "ORG").unwrap();
    ents.remove(i);
    let counts = v["counts"].as_array_mut().unwrap();
    let c = counts
        .iter_mut()
        .find(|c| !c["parties"].as_array().unwrap().is_empty())
        .unwrap();
    c["parties"].as_array_mut().unwrap().remove(0);
    let p = dir.join("pred.jsonl");
    std::fs::write(&p, format!("{v}\n")).unwrap();
    p
}

fn eval(args: &[&str]) -> Output {
    tally().arg("eval").args(args).output().unwrap()
}

#[test]
fn eval_formats_agree_and_report_macro_averages() {
    let dir = tempfile::tempdir().unwrap();
    let gold = root("eval/gold/seed.jsonl");
    let pred = imperfect_pred(dir.path());
    let pred = pred.to_str().unwrap();
    let out = eval(&[&gold, pred, "--format", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // --json is --format json.
    let alias = eval(&[&gold, pred, "--json"]);
    assert_eq!(alias.stdout, out.stdout);
    // Macro over the labels: ORG lost one of 2 entities (recall 1/2), the
    // three other labels are perfect.
    let ent = &v["entities"];
    let org = &ent["per_label"]["ORG"];
    assert_eq!(
        (org["tp"].as_u64(), org["gold"].as_u64()),
        (Some(1), Some(2))
    );
    let macro_r = ent["macro"]["recall"].as_f64().unwrap();
    assert!((macro_r - (3.0 + 0.5) / 4.0).abs() < 1e-12, "{macro_r}");
    assert_eq!(ent["macro"]["classes"], 4);
    let micro_r = ent["micro"]["recall"].as_f64().unwrap();
    assert!((micro_r - 42.0 / 43.0).abs() < 1e-12, "{micro_r}");
    let att = &v["attachments"];
    let mean: f64 = ["agent", "affiliation"]
        .iter()
        .map(|r| att["per_role"][r]["f1"].as_f64().unwrap())
        .sum::<f64>()
        / 2.0;
    assert_eq!(att["macro"]["classes"], 2, "no location in the seed gold");
    assert!((att["macro"]["f1"].as_f64().unwrap() - mean).abs() < 1e-12);
    assert!(att["macro"]["f1"].as_f64().unwrap() < 1.0);

    // The table shows the same macro figures.
    let table = String::from_utf8(eval(&[&gold, pred]).stdout).unwrap();
    let macro_rows: Vec<&str> = table
        .lines()
        .filter(|l| l.trim_start().starts_with("macro average"))
        .collect();
    assert_eq!(macro_rows.len(), 2, "{table}");
    assert!(macro_rows[0].contains(&format!("{macro_r:.4}")), "{table}");

    // conlleval: percentages of the same figures, per type with the
    // number found.
    let c = String::from_utf8(eval(&[&gold, pred, "--format", "conlleval"]).stdout).unwrap();
    let ent_gold = ent["micro"]["gold"].as_u64().unwrap();
    assert!(
        c.contains(&format!(
            "# entities\nprocessed 1 document with {ent_gold} phrases; found: {} phrases; correct: {}.\n",
            ent_gold - 1,
            ent_gold - 1
        )),
        "{c}"
    );
    assert!(
        c.contains(&format!("recall: {:6.2}%", 100.0 * micro_r)),
        "{c}"
    );
    assert!(
        c.contains(&format!(
            "              ORG: precision: 100.00%; recall:  50.00%; FB1:  66.67  {}\n",
            org["predicted"]
        )),
        "{c}"
    );
    assert!(
        c.contains("# counts\n") && c.contains("# attachments\n"),
        "{c}"
    );
    // --json with another format is refused, and so is conlleval for --by-file.
    assert_eq!(
        eval(&[&gold, pred, "--json", "--format", "conlleval"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        eval(&[
            "--by-file",
            &gold,
            "--format",
            "conlleval",
            "--gold-entities"
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn eval_reads_gold_or_predictions_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let gold = root("eval/gold/seed.jsonl");
    let pred = imperfect_pred(dir.path());
    let pred = pred.to_str().unwrap();
    let expected = eval(&[&gold, pred, "--json"]).stdout;
    let pred_bytes = std::fs::read(pred).unwrap();
    let out = run_with_stdin(&["eval", &gold, "-", "--json"], &pred_bytes);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, expected, "PRED from standard input");
    let gold_bytes = std::fs::read(&gold).unwrap();
    let swapped = eval(&[pred, &gold, "--json"]).stdout;
    let out = run_with_stdin(&["eval", "-", &gold, "--json"], &pred_bytes);
    assert!(out.status.success());
    assert_eq!(out.stdout, swapped, "GOLD from standard input");
    // Both from standard input is refused; a bad record on standard input
    // is named by its line.
    let out = run_with_stdin(&["eval", "-", "-"], &gold_bytes);
    assert_eq!(out.status.code(), Some(2));
    let out = run_with_stdin(&["eval", &gold, "-"], b"{\"id\": 1}\nnot json\n");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("-:2: malformed JSON"), "{stderr}");
}

#[test]
fn eval_errors_go_to_standard_output_or_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let gold = root("eval/gold/seed.jsonl");
    let pred_path = imperfect_pred(dir.path());
    let pred = pred_path.to_str().unwrap();
    let plain = String::from_utf8(eval(&[&gold, pred]).stdout).unwrap();
    // Bare --errors and --errors - list the mistakes after the table.
    for args in [vec!["--errors"], vec!["--errors", "-"]] {
        let mut a = vec![gold.as_str(), pred];
        a.extend(args);
        let out = String::from_utf8(eval(&a).stdout).unwrap();
        let rest = out.strip_prefix(plain.as_str()).expect("the table first");
        let mistakes: Vec<&str> = rest.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(mistakes.len(), 2, "{rest}");
        assert!(
            mistakes[0].starts_with("prisoner-swap entity miss (ORG)"),
            "{rest}"
        );
        assert!(mistakes[1].contains("attachment miss"), "{rest}");
    }
    // --errors FILE: the table alone on standard output, the list in FILE
    // (JSON lines with --format json).
    let file = dir.path().join("mistakes.txt");
    let out = eval(&[&gold, pred, "--errors", file.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), plain);
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2);
    let out = eval(&[
        &gold,
        pred,
        "--format",
        "json",
        "--errors",
        file.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("mistakes").is_none());
    let recs = json_lines(&std::fs::read(&file).unwrap());
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["kind"], "entity");
    // With --format json and --errors -, the list is in the JSON.
    let out = eval(&[&gold, pred, "--format", "json", "--errors", "-"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mistakes"].as_array().map(Vec::len), Some(2));
    // A file of documents after --errors is never overwritten.
    let copy = dir.path().join("gold.jsonl");
    std::fs::copy(&gold, &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = eval(&["--errors", copy.to_str().unwrap(), pred]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite"));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    let pred_before = std::fs::read(&pred_path).unwrap();
    let out = eval(&[&gold, pred, "--errors", pred]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&pred_path).unwrap(), pred_before);
}
