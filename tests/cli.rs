//! The command line as a user runs it.

use std::io::Write;
use std::process::{Command, Stdio};

fn tally() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tally"))
}

fn root(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_seed_gold_scores_one_against_itself() {
    let gold = root("eval/gold/seed.jsonl");
    let out = tally()
        .args(["eval", &gold, &gold, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for path in ["/entities/micro", "/counts/micro", "/attachments/micro"] {
        for k in ["precision", "recall", "f1"] {
            assert_eq!(
                v.pointer(&format!("{path}/{k}")).unwrap(),
                1.0,
                "{path}/{k}"
            );
        }
    }
    for label in ["PER", "ORG", "LOC", "MISC"] {
        assert_eq!(v["entities"]["per_label"][label]["f1"], 1.0);
    }
    for role in ["agent", "affiliation", "location"] {
        assert_eq!(v["attachments"]["per_role"][role]["f1"], 1.0);
    }
    assert_eq!(v["counts"]["unit_accuracy"], 1.0);
    // The table says the same.
    let out = tally().args(["eval", &gold, &gold]).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("attachments") && l.contains("1.0000    1.0000    1.0000")),
        "{table}"
    );
}

#[test]
fn bad_input_is_reported_and_no_document_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("a.txt"),
        "Russia released 22 wounded Ukrainian captives.",
    )
    .unwrap();
    std::fs::write(p.join("b.txt"), b"\xff\xfe not utf-8").unwrap();
    std::fs::write(p.join("c.txt"), "").unwrap();
    std::fs::write(p.join("d.txt"), b"\x00\x01\x02").unwrap();
    std::fs::write(
        p.join("e.jsonl"),
        "{\"id\": \"e1\", \"text\": \"GM idled 3,500 workers.\", \"source\": \"wire\"}\n{\"id\": \"e2\", \"text\": \n{\"text\": \"no id\"}\n{\"id\": \"a\", \"text\": \"dup of a.txt\"}\n{\"id\": \"e3\", \"text\": \"Five men were arrested.\"}\n",
    )
    .unwrap();
    let errors = p.join("errors.jsonl");
    let out = tally()
        .args([
            "extract",
            p.to_str().unwrap(),
            "--threads",
            "2",
            "--window",
            "2",
            "--errors",
            errors.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "some documents failed");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["a", "e1", "e3"], "good documents in input order");
    let first: serde_json::Value = serde_json::from_str(stdout.lines().nth(1).unwrap()).unwrap();
    assert_eq!(first["source"], "wire", "other fields are carried through");
    let errs: Vec<serde_json::Value> = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let reasons: Vec<String> = errs
        .iter()
        .map(|e| {
            format!(
                "{}:{} {}",
                e["file"].as_str().unwrap().rsplit('/').next().unwrap(),
                e["line"],
                e["error"]
            )
        })
        .collect();
    assert_eq!(errs.len(), 6, "{reasons:?}");
    assert!(
        reasons[0].starts_with("b.txt:null \"invalid UTF-8"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("c.txt:null \"empty text\""),
        "{reasons:?}"
    );
    assert!(reasons[2].contains("binary"), "{reasons:?}");
    assert!(
        reasons[3].starts_with("e.jsonl:2 \"malformed JSON"),
        "{reasons:?}"
    );
    assert!(
        reasons[4].starts_with("e.jsonl:3") && reasons[4].contains("no \\\"id\\\""),
        "{reasons:?}"
    );
    assert!(
        reasons[5].starts_with("e.jsonl:4") && reasons[5].contains("duplicate id"),
        "{reasons:?}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("e.jsonl:2: malformed JSON"), "{stderr}");
    assert!(stderr.contains("3 documents written, 6 failed"), "{stderr}");
}

#[test]
fn standard_input_and_output_keep_order_and_offsets() {
    let mut child = tally()
        .args(["extract", "-", "--threads", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for i in 0..20 {
        input.push_str(&format!(
            "{{\"id\": \"doc{i}\", \"text\": \"“Kyiv” said {} soldiers were freed by Russia.\"}}\n",
            i + 2
        ));
    }
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 20);
    for (i, v) in lines.iter().enumerate() {
        assert_eq!(v["id"], format!("doc{i}"));
        let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
        for span in v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .chain(v["counts"].as_array().unwrap())
        {
            let (s, e) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                text[s..e].iter().collect::<String>(),
                span["text"].as_str().unwrap(),
                "code-point offsets"
            );
        }
        assert_eq!(v["counts"][0]["value"], i + 2);
        assert_eq!(
            v["counts"][0]["start"], 12,
            "offsets count the curly quotes as one each"
        );
    }
}

#[test]
fn a_missing_input_fails_with_its_name() {
    let out = tally().args(["extract", "/no/such/dir"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/no/such/dir: no such file or directory")
    );
}

#[test]
fn an_output_file_inside_the_input_directory_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Five men were arrested.").unwrap();
    let out_path = dir.path().join("out.jsonl");
    let errors = dir.path().join("errors.jsonl");
    let out = tally()
        .args([
            "extract",
            dir.path().to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
            "--errors",
            errors.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(written.lines().count(), 1);
    assert_eq!(std::fs::read_to_string(&errors).unwrap(), "");
}

/// Runs `tally extract` with `args` in `dir`, feeding `stdin`.
fn extract_in(dir: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = tally()
        .arg("extract")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_output_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = "{\"id\": \"a\", \"text\": \"Russia freed 5 soldiers.\"}\n";
    for args in [&["-", "-o", "-"][..], &["-"][..]] {
        let out = extract_in(dir.path(), args, input);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.lines().count(), 1, "{args:?}: {stdout}");
        let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(v["id"], "a");
        assert_eq!(v["counts"][0]["value"], 5);
        assert!(
            !dir.path().join("-").exists(),
            "{args:?}: no file named - is created"
        );
    }
}

#[test]
fn an_input_file_is_never_overwritten_by_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("docs.jsonl");
    let content = "{\"id\": \"a\", \"text\": \"Russia freed 5 soldiers.\"}\n";
    std::fs::write(&input, content).unwrap();
    let p = input.to_str().unwrap();
    for flag in ["-o", "--errors"] {
        let out = tally().args(["extract", p, flag, p]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("{p} is both an input and an output file")),
            "{stderr}"
        );
        assert_eq!(std::fs::read_to_string(&input).unwrap(), content);
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        std::fs::write(
            dir.path().join(format!("d{i:02}.txt")),
            format!("Police arrested {} men in Paris.", i + 2),
        )
        .unwrap();
    }
    let mut child = tally()
        .args(["extract", dir.path().to_str().unwrap(), "--window", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -1`: read one line, then close the pipe.
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("\"id\":\"d00\""), "{first}");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr, "", "no message on a closed pipe");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
            "{:?}",
            out.status
        );
    }
}

fn gzip(data: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// The ids of the output lines, as JSON text.
fn output_ids(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect()
}

#[test]
fn files_are_typed_by_content_and_decompressed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let rec = |id: &str| format!("{{\"id\": \"{id}\", \"text\": \"Police arrested 12 men.\"}}\n");
    std::fs::write(p.join("a.ndjson"), rec("a")).unwrap();
    std::fs::write(p.join("b.json"), format!("\n  {}", rec("b"))).unwrap();
    std::fs::write(p.join("c.jsonl.gz"), gzip(&rec("c"))).unwrap();
    std::fs::write(p.join("d.txt.gz"), gzip("Rebels freed 30 hostages.")).unwrap();
    std::fs::write(
        p.join("e.jsonl.zst"),
        zstd::encode_all(rec("e").as_bytes(), 3).unwrap(),
    )
    .unwrap();
    std::fs::write(
        p.join("f.txt.zst"),
        zstd::encode_all("Troops killed 4 gunmen.".as_bytes(), 3).unwrap(),
    )
    .unwrap();
    std::fs::write(p.join("g.txt"), "Five men were arrested.").unwrap();
    std::fs::write(p.join("notes.md"), "Not a document.").unwrap();
    std::fs::write(p.join("broken.gz"), b"not gzip at all").unwrap();
    let errors = p.join("errors.out");
    let out = tally()
        .args(["extract", p.to_str().unwrap(), "--errors"])
        .arg(&errors)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        output_ids(&out.stdout),
        ["\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"e\"", "\"f\"", "\"g\""],
        "{stderr}"
    );
    // The .gz that is not gzip data fails; notes.md is only skipped.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("broken.gz: named .gz but not gzip data"),
        "{stderr}"
    );
    assert!(
        stderr.contains("notes.md: skipped: not a document"),
        "{stderr}"
    );
    assert!(
        stderr.contains("7 documents written, 1 failed, 1 file skipped"),
        "{stderr}"
    );
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{records:?}");
    let notes = records
        .iter()
        .find(|r| r["file"].as_str().unwrap().ends_with("notes.md"))
        .unwrap();
    assert_eq!(notes["skipped"], true);

    // Named on the command line: JSONL by content, text otherwise.
    let story = p.join("story.md");
    std::fs::write(&story, "Rebels freed 30 hostages in Mali.").unwrap();
    let out = tally()
        .arg("extract")
        .args([p.join("b.json"), story, p.join("d.txt.gz")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(output_ids(&out.stdout), ["\"b\"", "\"story\"", "\"d\""]);
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().nth(2).unwrap()).unwrap();
    assert_eq!(last["text"], "Rebels freed 30 hostages.");
    assert_eq!(last["counts"][0]["value"], 30);
}

#[test]
fn ids_are_paths_in_a_directory_and_json_ids_keep_their_type() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for month in ["2024-01", "2024-02"] {
        std::fs::create_dir(p.join(month)).unwrap();
        std::fs::write(
            p.join(month).join("story.txt"),
            format!("In {month}, police arrested 12 men."),
        )
        .unwrap();
    }
    let out = tally().arg("extract").arg(p).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        output_ids(&out.stdout),
        ["\"2024-01/story\"", "\"2024-02/story\""]
    );
    // A file named on the command line keeps its file stem.
    let out = tally()
        .arg("extract")
        .arg(p.join("2024-02/story.txt"))
        .output()
        .unwrap();
    assert_eq!(output_ids(&out.stdout), ["\"story\""]);

    // A number stays a number; "7" is another id than 7.
    let input = "{\"id\": 7, \"text\": \"Police arrested 12 men.\"}\n\
                 {\"id\": \"7\", \"text\": \"Police arrested 13 men.\"}\n\
                 {\"id\": 7, \"text\": \"Police arrested 14 men.\"}\n";
    let out = extract_in(p, &["-"], input);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(output_ids(&out.stdout), ["7", "\"7\""]);
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert!(first["id"].is_u64());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("-:3: document 7: duplicate id"), "{stderr}");
}

#[test]
fn standard_input_is_a_long_lived_filter() {
    use std::io::BufRead;
    let mut child = tally()
        .args(["extract", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    // One document in, stdin left open: its line must come back.
    for (i, n) in [(1, 12), (2, 40)] {
        writeln!(
            stdin,
            "{{\"id\": \"d{i}\", \"text\": \"Police arrested {n} men.\"}}"
        )
        .unwrap();
        stdin.flush().unwrap();
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("an output line while the input stays open");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["id"], format!("d{i}"));
        assert_eq!(v["counts"][0]["value"], n);
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(rx.recv().is_err(), "no more output after the two lines");
}

/// The first 12 hex digits of the shipped weights' SHA-256.
fn model_id() -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(root("models/ner/model.safetensors")).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn version_names_the_model() {
    let out = tally().arg("--version").output().unwrap();
    assert!(out.status.success());
    let v = String::from_utf8(out.stdout).unwrap();
    assert!(
        v.starts_with(&format!("tally {} ", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    assert!(v.contains(&format!("sha256 {}", model_id())), "{v}");
}

#[test]
fn the_model_is_found_from_anywhere_and_can_be_overridden() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("story.txt"),
        "Russian troops freed 22 Ukrainian soldiers in Kyiv.",
    )
    .unwrap();
    let run = |model: Option<&str>, flag: Option<&str>| {
        let mut cmd = tally();
        cmd.current_dir(dir.path())
            .env_remove("TALLY_MODEL")
            .env_remove("TALLY_MODELS")
            .args(["extract", "story.txt"]);
        if let Some(m) = model {
            cmd.env("TALLY_MODEL", m);
        }
        if let Some(f) = flag {
            cmd.args(["--model", f]);
        }
        cmd.output().unwrap()
    };
    // From a folder outside the crate, with no model named: the shipped one.
    let shipped = run(None, None);
    assert!(
        shipped.status.success(),
        "{}",
        String::from_utf8_lossy(&shipped.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&shipped.stdout).unwrap();
    let labels: Vec<&str> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"LOC"), "{v}");
    // The same model named by folder gives the same output.
    let ner = root("models/ner");
    for (env, flag) in [(Some(ner.as_str()), None), (None, Some(ner.as_str()))] {
        let out = run(env, flag);
        assert!(out.status.success());
        assert_eq!(out.stdout, shipped.stdout);
    }
    // An override that is no model fails, naming its folder.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for (env, flag) in [(empty.to_str(), None), (None, empty.to_str())] {
        let out = run(env, flag);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "loading the entity model from {}",
                empty.display()
            )),
            "{stderr}"
        );
    }
}

#[test]
fn each_command_is_described_by_its_own_help() {
    let out = tally().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let line = |cmd: &str| {
        help.lines()
            .find(|l| l.trim_start().starts_with(&format!("{cmd} ")))
            .unwrap_or_else(|| panic!("no {cmd} in {help}"))
            .to_string()
    };
    assert!(line("extract").contains("Extract entities and counts"));
    assert!(line("eval").contains("Score predictions against gold"));
    assert!(line("bench").contains("Measure speed"));
    assert!(
        line("train").contains("Fine-tune the entity model"),
        "{help}"
    );
    assert!(line("average").contains("Average the weights"), "{help}");
    for (cmd, first) in [
        ("train", "Fine-tune the entity model"),
        ("train-head", "Refit the entity model's tag head"),
        ("average", "Average the weights"),
    ] {
        let out = tally().args([cmd, "--help"]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with(first), "{cmd}: {text}");
    }
}

#[test]
fn eval_names_only_the_first_unmatched_ids() {
    let dir = tempfile::tempdir().unwrap();
    let gold = root("eval/gold/seed.jsonl");
    let mut pred = std::fs::read_to_string(&gold).unwrap();
    for i in 0..20 {
        pred.push_str(&format!("{{\"id\": \"x{i:02}\", \"text\": \"t\"}}\n"));
    }
    let pred_path = dir.path().join("pred.jsonl");
    std::fs::write(&pred_path, pred).unwrap();
    let out = tally()
        .arg("eval")
        .arg(&gold)
        .arg(&pred_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("predicted documents not in gold: 20 (x00, x01, x02, x03, x04, …)\n"),
        "{table}"
    );
    assert!(!table.contains("x05"), "{table}");
    // --json still lists them all.
    let out = tally()
        .arg("eval")
        .arg(&gold)
        .arg(&pred_path)
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["not_in_gold"].as_array().map(Vec::len), Some(20));
}

#[test]
fn a_run_that_fails_early_leaves_the_old_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Five men were arrested.").unwrap();
    let old = "{\"id\": \"old\", \"text\": \"yesterday's run\"}\n";
    std::fs::write(dir.path().join("out.jsonl"), old).unwrap();
    let out = tally()
        .args([
            "extract",
            "a.txt",
            "--errors",
            "no/such/dir/err.jsonl",
            "-o",
            "out.jsonl",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot create no/such/dir/err.jsonl"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap(),
        old
    );
    // No temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.txt", "out.jsonl"]);
    // A run that succeeds replaces the old bytes.
    let out = tally()
        .args(["extract", "a.txt", "-o", "out.jsonl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let written = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(output_ids(written.as_bytes()), ["\"a\""]);
}

#[test]
fn output_and_errors_must_be_different_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Five men were arrested.").unwrap();
    for (o, e) in [("same.jsonl", "same.jsonl"), ("same.jsonl", "./same.jsonl")] {
        let out = tally()
            .args(["extract", "a.txt", "-o", o, "--errors", e])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{o} {e}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("are the same file"), "{stderr}");
        assert!(!dir.path().join("same.jsonl").exists());
    }
}

#[test]
fn an_existing_output_inside_the_input_directory_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Five men were arrested.").unwrap();
    // An old output that would be read as JSONL documents if it were taken
    // for input.
    std::fs::write(
        dir.path().join("out.jsonl"),
        "{\"id\": \"old\", \"text\": \"Two men.\"}\n",
    )
    .unwrap();
    let out = tally()
        .args(["extract", ".", "-o", "out.jsonl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(output_ids(written.as_bytes()), ["\"a\""]);
}

/// Sends `signal` to a running `tally extract -` fed a large JSONL input
/// once its first line is out; returns the exit code, the output and the
/// standard error.
#[cfg(unix)]
fn interrupt_extract(signal: i32, dir: &std::path::Path) -> (Option<i32>, Vec<u8>, String) {
    use std::io::Read;
    let mut child = tally()
        .args(["extract", "-", "--window", "8"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for i in 0..200_000 {
            let line = format!(
                "{{\"id\": \"d{i}\", \"text\": \"Police in Paris arrested {} men and freed twenty-two women on Monday.\"}}\n",
                i % 90 + 2
            );
            // Tally stops reading: the pipe closes, and so does the writer.
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut out = Vec::new();
    let mut byte = [0u8; 1];
    // Waits for the first line, then about a second more.
    while !out.contains(&b'\n') {
        assert_eq!(stdout.read(&mut byte).unwrap(), 1, "tally ended early");
        out.push(byte[0]);
    }
    std::thread::sleep(std::time::Duration::from_millis(1000));
    // SAFETY: sending a signal to our own child.
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
    stdout.read_to_end(&mut out).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    writer.join().unwrap();
    (status.code(), out, stderr)
}

#[cfg(unix)]
#[test]
fn a_signal_stops_the_run_with_whole_lines_written() {
    let dir = tempfile::tempdir().unwrap();
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        let (status, out, stderr) = interrupt_extract(signal, dir.path());
        assert_eq!(status, Some(code), "{stderr}");
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with('\n'), "the last line is whole");
        let n = text.lines().count();
        for l in text.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(v["counts"].is_array());
        }
        assert!(n < 200_000, "the run stopped early");
        let last = stderr.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("tally: interrupted by SIG")
                && last.contains(&format!("{n} documents written")),
            "{stderr}"
        );
    }
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_keeps_what_it_wrote_in_the_output_file() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let mut child = tally()
        .args(["extract", "-", "-o", "out.jsonl", "--window", "8"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A filter that stays open: tally waits for more input when it gets
    // the signal.
    stdin
        .write_all(b"{\"id\": \"a\", \"text\": \"Russia freed 5 soldiers.\"}\n")
        .unwrap();
    stdin.flush().unwrap();
    let tmp_out = dir.path().join("out.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    // The line is written (to the temporary file) once the model is loaded.
    loop {
        let written: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum();
        if written > 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "nothing written");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(!tmp_out.exists(), "the real name comes at the end");
    // SAFETY: sending a signal to our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    assert_eq!(status.code(), Some(143), "{stderr}");
    let written = std::fs::read_to_string(&tmp_out).unwrap();
    assert_eq!(output_ids(written.as_bytes()), ["\"a\""]);
    assert!(stderr.contains("1 documents written"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_in_an_input_directory_is_skipped_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Five men were arrested.").unwrap();
    let fifo = dir.path().join("pipe.txt");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let mut child = tally()
        .args(["extract", "."])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Opening the FIFO would wait for a writer forever.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("tally waited on the FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a skipped file is no failure: {stderr}"
    );
    assert_eq!(output_ids(&out.stdout), ["\"a\""]);
    assert!(
        stderr.contains("pipe.txt: skipped: a FIFO is not a regular file"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_end_and_read_each_directory_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("sub/deeper")).unwrap();
    std::fs::write(p.join("a.txt"), "Five men were arrested.").unwrap();
    std::fs::write(p.join("sub/b.txt"), "Two women were freed.").unwrap();
    std::fs::write(p.join("sub/deeper/c.txt"), "Three boys were found.").unwrap();
    // Two loops: back to the top, and from deep down back to sub.
    std::os::unix::fs::symlink(p, p.join("sub/top")).unwrap();
    std::os::unix::fs::symlink(p.join("sub"), p.join("sub/deeper/up")).unwrap();
    let out = tally()
        .args(["extract", p.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        output_ids(&out.stdout),
        ["\"a\"", "\"sub/b\"", "\"sub/deeper/c\""]
    );
    assert!(!stderr.contains("duplicate id"), "{stderr}");
    assert!(stderr.contains("a directory already read"), "{stderr}");
}

#[test]
fn a_missing_file_among_good_ones_is_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), "Five men were arrested.").unwrap();
    let errors = dir.path().join("errors.jsonl");
    let out = tally()
        .args([
            "extract",
            "good.txt",
            "missing.txt",
            "--errors",
            errors.to_str().unwrap(),
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(output_ids(&out.stdout), ["\"good\""]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing.txt: no such file or directory"),
        "{stderr}"
    );
    let err: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&errors).unwrap().trim()).unwrap();
    assert_eq!(err["file"], "missing.txt");
    assert_eq!(err["error"], "no such file or directory");
}

#[cfg(unix)]
#[test]
fn an_unreadable_directory_among_good_ones_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("locked")).unwrap();
    std::fs::write(dir.path().join("locked/x.txt"), "Six men.").unwrap();
    std::fs::write(dir.path().join("a.txt"), "Five men were arrested.").unwrap();
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_ok() {
        // Running as root: permissions do not apply.
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let out = tally()
        .args(["extract", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(output_ids(&out.stdout), ["\"a\""]);
    assert!(
        stderr.contains("locked: cannot read the directory"),
        "{stderr}"
    );
}

#[test]
fn a_byte_order_mark_is_accepted_in_jsonl_files_and_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let line = "{\"id\": \"a\", \"text\": \"Russia freed 5 soldiers.\"}\n";
    let with_bom = format!("\u{feff}{line}");
    std::fs::write(dir.path().join("docs.jsonl"), &with_bom).unwrap();
    // Typed by content too: the first character after the mark is '{'.
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("d/docs.data"), &with_bom).unwrap();
    for args in [&["docs.jsonl"][..], &["-"][..], &["d"][..]] {
        let out = extract_in(dir.path(), args, &with_bom);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["id"], "a", "{args:?}");
        assert_eq!(v["counts"][0]["value"], 5, "{args:?}");
    }
}

#[test]
fn an_error_names_the_document_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = extract_in(dir.path(), &["-"], "{\"id\": \"x1\", \"text\": 5}\n");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("-:1: document \"x1\": \"text\" is not a string\n"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("x1").count(), 1, "{stderr}");
}

#[test]
fn too_many_threads_are_capped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let line = "{\"id\": \"a\", \"text\": \"Russia freed 5 soldiers.\"}\n";
    let out = extract_in(dir.path(), &["-", "--threads", "100000"], line);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: --threads 100000 is more than 8 per core"),
        "{stderr}"
    );
    assert_eq!(output_ids(&out.stdout), ["\"a\""]);
}

#[test]
fn explain_names_the_rule_of_each_party_and_nothing_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Moscow and Kyiv each returned 175 prisoners.";
    std::fs::write(dir.path().join("swap.txt"), text).unwrap();
    let input = dir.path().join("swap.txt");
    let run = |extra: &[&str]| {
        let out = tally()
            .arg("extract")
            .arg(&input)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["counts"][0]["parties"].as_array().unwrap().clone()
    };
    let plain = run(&[]);
    assert!(!plain.is_empty());
    assert!(plain.iter().all(|p| p.get("rule").is_none()), "{plain:?}");
    let explained = run(&["--explain"]);
    assert_eq!(explained.len(), plain.len());
    for (p, q) in explained.iter().zip(&plain) {
        assert_eq!(p["party"], q["party"]);
        assert_eq!(p["rule"], "subject-agent", "{p}");
    }

    // eval --errors --explain: against a gold file that gives the count no
    // parties, every party is a false positive, named with its rule.
    let gold = dir.path().join("gold.jsonl");
    let record = serde_json::json!({"id": "swap", "text": text, "entities": [],
        "counts": [{"start": 30, "end": 33, "text": "175", "value": 175, "unit": "prisoner", "parties": []}]});
    std::fs::write(&gold, format!("{record}\n")).unwrap();
    let eval = |extra: &[&str]| {
        let out = tally()
            .arg("eval")
            .arg(&gold)
            .args(["--errors", "-"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let fp = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains("attachment false positive"))
            .map(String::from)
            .collect()
    };
    let explained = fp(&eval(&["--explain"]));
    assert_eq!(explained.len(), plain.len(), "{explained:?}");
    assert!(
        explained
            .iter()
            .all(|l| l.contains("; rule subject-agent)")),
        "{explained:?}"
    );
    let plain_lines = fp(&eval(&[]));
    assert!(
        plain_lines.iter().all(|l| !l.contains("rule")),
        "{plain_lines:?}"
    );
}

#[test]
fn pipeline_stages_are_left_out_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("d.txt");
    std::fs::write(&input, "Police in Lagos arrested 12 men on Monday.").unwrap();
    let run = |extra: &[&str]| {
        let out = tally()
            .arg("extract")
            .arg(&input)
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let doc = serde_json::from_slice::<serde_json::Value>(&out.stdout).ok();
        (out.status.code(), doc, stderr)
    };
    let (code, all, stderr) = run(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    let all = all.unwrap();
    assert_eq!(all["entities"][0]["text"], "Lagos", "{all}");
    assert!(!all["counts"][0]["parties"].as_array().unwrap().is_empty());
    // Without attachment: the same count, no parties.
    let (code, doc, stderr) = run(&["--disable", "attach"]);
    assert_eq!(code, Some(0), "{stderr}");
    let doc = doc.unwrap();
    assert_eq!(doc["entities"], all["entities"]);
    assert_eq!(doc["counts"][0]["value"], 12);
    assert_eq!(doc["counts"][0]["parties"], serde_json::json!([]));
    // Without the entity model (and canon, which requires it): no entities,
    // the count still found.
    let (code, doc, stderr) = run(&["--disable", "ner", "--disable", "canon"]);
    assert_eq!(code, Some(0), "{stderr}");
    let doc = doc.unwrap();
    assert_eq!(doc["entities"], serde_json::json!([]));
    assert_eq!(doc["counts"][0]["value"], 12);
    // An unknown stage is refused with the names; so is a stage another
    // one left on requires. Nothing is written.
    let (code, doc, stderr) = run(&["--disable", "parser"]);
    assert_eq!(code, Some(2));
    assert!(doc.is_none());
    assert!(
        stderr.contains("\"parser\"") && stderr.contains("segment, ner, canon, counts, attach"),
        "{stderr}"
    );
    let (code, doc, stderr) = run(&["--disable", "ner"]);
    assert_eq!(code, Some(2));
    assert!(doc.is_none());
    assert!(
        stderr.contains("cannot disable ner: canon requires it"),
        "{stderr}"
    );
}

#[test]
fn bench_times_every_stage_from_the_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.txt"),
        "Police in Lagos arrested 12 men on Monday. Three were later released.",
    )
    .unwrap();
    let out = tally()
        .arg("bench")
        .arg(dir.path())
        .args(["--repeat", "1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("1 documents, 12 words"), "{stdout}");
    for stage in [
        "segment",
        "entity model alone (ner)",
        "canon",
        "counts",
        "attach",
        "whole pipeline",
        "syntax head alone",
        "whole pipeline with syntax",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(stage) && l[stage.len()..].starts_with(' '))
            .unwrap_or_else(|| panic!("no row {stage}: {stdout}"));
        let figures: Vec<f64> = line[34..]
            .split_whitespace()
            .map(|f| f.parse().unwrap())
            .collect();
        // seconds, words/s, tokens/s, pieces/s, encoder positions
        assert_eq!(figures.len(), 5, "{line}");
        // Seconds (rounded to 0.000 for a quick stage) and words/s.
        assert!(figures[0] >= 0.0 && figures[1] > 0.0, "{line}");
        // The head alone runs on features computed beforehand: no
        // encoder positions of its own.
        let model_rows = stage.contains("ner") || stage.starts_with("whole pipeline");
        assert_eq!(figures[4] > 0.0, model_rows, "{line}");
    }
}

#[test]
fn eval_conll_scores_strict_spans_in_the_one_table_layout() {
    let dir = tempfile::tempdir().unwrap();
    let conll = dir.path().join("dev.txt");
    std::fs::write(
        &conll,
        "-DOCSTART- -X- -X- O\n\nMarta NNP B-NP B-PER\nOlsen NNP I-NP I-PER\nvisited VBD B-VP O\nLisbon NNP B-NP B-LOC\n. . O O\n",
    )
    .unwrap();
    let out = tally()
        .arg("eval")
        .arg("--conll")
        .arg(&conll)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].ends_with(": 1 documents (strict spans, conlleval semantics)"),
        "{table}"
    );
    assert_eq!(
        lines[2], "           precision    recall        F1      tp    pred    gold",
        "{table}"
    );
    assert!(
        lines[3].starts_with("all   ") && lines[3].ends_with("      2"),
        "{table}"
    );
    assert!(lines.iter().any(|l| l.starts_with("PER ")), "{table}");
    assert!(lines.last().unwrap().starts_with("macro "), "{table}");
    let out = tally()
        .arg("eval")
        .arg("--conll")
        .arg(&conll)
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["micro"]["gold"], 2);
    assert_eq!(v["tokens"], 5);
}

/// A file in a directory nested deeper than the system's longest path
/// (PATH_MAX, 4,096 bytes on Linux) is an error record naming it; the
/// rest is processed.
#[cfg(unix)]
#[test]
fn a_file_deeper_than_the_longest_path_is_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("top.txt"), "Police arrested 12 men.").unwrap();
    // 250 levels of 17 bytes: over 4,096 bytes below the temporary
    // directory. Made one level at a time from inside the previous one
    // (mkdirat/openat), so that no single call sees the whole path.
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let root = CString::new(dir.path().as_os_str().as_bytes()).unwrap();
    let name = CString::new("nested-directory").unwrap();
    let file = CString::new("deep.txt").unwrap();
    let text = b"Police arrested 7 men.";
    // SAFETY: plain system calls on file descriptors this test owns, with
    // NUL-terminated names; every descriptor is closed.
    unsafe {
        let mut fd = libc::open(root.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
        assert!(fd >= 0);
        for _ in 0..250 {
            assert_eq!(libc::mkdirat(fd, name.as_ptr(), 0o755), 0);
            let next = libc::openat(fd, name.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
            assert!(next >= 0);
            libc::close(fd);
            fd = next;
        }
        let f = libc::openat(fd, file.as_ptr(), libc::O_WRONLY | libc::O_CREAT, 0o644);
        assert!(f >= 0);
        assert_eq!(
            libc::write(f, text.as_ptr().cast(), text.len()),
            text.len() as isize
        );
        libc::close(f);
        libc::close(fd);
    }
    let errors = dir.path().join("errors.jsonl");
    let out = tally()
        .arg("extract")
        .arg(dir.path())
        .arg("--errors")
        .arg(&errors)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(output_ids(&out.stdout), ["\"top\""]);
    let err: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&errors).unwrap().trim()).unwrap();
    let file = err["file"].as_str().unwrap();
    assert!(file.ends_with("/nested-directory"), "{err}");
    assert!(file.len() > 4096, "{err}");
    let reason = err["error"].as_str().unwrap();
    assert!(
        reason.starts_with("cannot read: the path is longer than the system allows"),
        "{reason}"
    );
}

#[test]
fn a_ranker_is_trained_from_gold_and_used_by_eval() {
    let dir = tempfile::tempdir().unwrap();
    let gold = root("eval/gold/test.jsonl");
    let ranker = dir.path().join("ranker.json");
    let out = tally()
        .args(["train-ranker", &gold, "-o"])
        .arg(&ranker)
        .args(["--folds", "2"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("held-out attachments"), "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&ranker).unwrap()).unwrap();
    assert!(v["about"].as_str().unwrap().contains("test.jsonl"), "{v}");
    // Every proposal of the rules stands unless --choose-keep.
    assert_eq!(v["keep"], 0.0, "{v}");
    assert!(
        v["about"].as_str().unwrap().contains("keep 0.00 (fixed)"),
        "{v}"
    );
    assert!(!v["weights"].as_object().unwrap().is_empty());
    // eval with that ranker, with none, and with the shipped one.
    let f1 = |extra: &[&str]| {
        let out = tally()
            .args(["eval", &gold, "--json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["attachments"]["micro"]["f1"].as_f64().unwrap()
    };
    let own = f1(&["--ranker", ranker.to_str().unwrap()]);
    let rules = f1(&["--no-ranker"]);
    let shipped = f1(&[]);
    assert!(
        own > 0.0 && rules > 0.0 && shipped > 0.0,
        "{own} {rules} {shipped}"
    );
    // A missing ranker file is an error that names it.
    let out = tally()
        .args(["eval", &gold, "--ranker", "no-such-ranker.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-ranker.json"), "{err}");
    // Predictions from a file have their parties already.
    let out = tally()
        .args(["eval", &gold, &gold, "--no-ranker"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--no-ranker") && err.contains("no PRED"),
        "{err}"
    );
}

#[test]
fn extract_adds_the_rankers_parties_unless_told_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cars.txt");
    std::fs::write(
        &input,
        "Car Sales Fall In Brazil\n\nCar sales fell sharply in March, the industry \
         association said. Brazil's motor industry employs more than 150,000 people.\n",
    )
    .unwrap();
    let parties = |extra: &[&str]| {
        let out = tally()
            .arg("extract")
            .arg(&input)
            .arg("--explain")
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let c = &v["counts"][0];
        assert_eq!(c["text"], "150,000", "{v}");
        c["parties"].as_array().unwrap().clone()
    };
    // The rules find no owner of the 150,000; the ranker takes Brazil, the
    // possessor before them, and says it did.
    let ranked = parties(&[]);
    assert!(
        ranked
            .iter()
            .any(|p| p["party"] == "Brazil" && p["role"] == "affiliation" && p["rule"] == "ranker"),
        "{ranked:?}"
    );
    let rules = parties(&["--no-ranker"]);
    assert!(rules.iter().all(|p| p["rule"] != "ranker"), "{rules:?}");
    for p in &rules {
        assert!(ranked.contains(p), "{p} dropped by the ranker");
    }
}

/// `train-head` refits the tag head on gold news: the adapted model finds
/// the gold's entities in that news, and the syntax head still runs on it
/// (the encoder is unchanged).
#[test]
fn train_head_adapts_the_tags_to_gold_and_keeps_the_syntax_head() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Kelvane said it would cut 300 jobs at its Osterby plant. Kelvane employs 2,000 people, Marta Olsen of Kelvane said.";
    let mut entities = Vec::new();
    for (word, label) in [
        ("Kelvane", "ORG"),
        ("Osterby", "LOC"),
        ("Marta Olsen", "PER"),
    ] {
        for (at, _) in text.match_indices(word) {
            entities.push((at, at + word.len(), label));
        }
    }
    entities.sort();
    let entities: Vec<serde_json::Value> = entities
        .into_iter()
        .map(|(s, e, l)| serde_json::json!({"start": s, "end": e, "label": l}))
        .collect();
    let gold = dir.path().join("gold.jsonl");
    let line = serde_json::json!({"id": "k", "text": text, "entities": entities, "counts": []});
    std::fs::write(&gold, format!("{line}\n")).unwrap();
    let conll = dir.path().join("conll.txt");
    std::fs::write(
        &conll,
        "-DOCSTART- -X- -X- O\n\nMarta NNP B-NP B-PER\nOlsen NNP I-NP I-PER\nvisited VBD B-VP O\nLisbon NNP B-NP B-LOC\n. . O O\n",
    )
    .unwrap();
    let out = dir.path().join("adapted");
    let run = tally()
        .arg("train-head")
        .arg("--conll")
        .arg(&conll)
        .arg("--gold")
        .arg(&gold)
        .arg("--out")
        .arg(&out)
        .args([
            "--gold-weight",
            "20",
            "--epochs",
            "40",
            "--lr",
            "0.01",
            "--l2",
            "0",
            "--batch",
            "8",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("unchanged"), "{err}");
    let f1 = |model: Option<&std::path::Path>| {
        let mut cmd = tally();
        cmd.arg("eval").arg(&gold).args(["--format", "json"]);
        if let Some(m) = model {
            cmd.arg("--model").arg(m);
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["entities"]["micro"]["f1"].as_f64().unwrap()
    };
    let (before, after) = (f1(None), f1(Some(&out)));
    assert!(after > before && after > 0.99, "{before} → {after}");
    let parsed = extract_in(
        dir.path(),
        &["--syntax", "--model", out.to_str().unwrap(), "-"],
        "{\"id\":\"b\",\"text\":\"Kelvane said it would close a plant.\"}\n",
    );
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
    assert_eq!(v["entities"][0]["label"], "ORG", "{v}");
    assert_eq!(v["tokens"][1]["deprel"], "root", "{v}");
    // Without gold there is nothing to adapt to.
    let none = tally()
        .arg("train-head")
        .arg("--conll")
        .arg(&conll)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("--gold"));
}
