//! What comes back is what went in: carried fields and ids exactly as
//! written, a document too large to hold reported (not read), output that
//! cannot be written is an error, and a standard error that cannot be
//! written never stops a run.

use std::process::{Command, Output, Stdio};

fn tally() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tally"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn lines(o: &Output) -> Vec<String> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn carried_fields_and_number_ids_come_back_exactly_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    // Numbers a 64-bit float would change, in an order a sorted map would
    // change, and ids whose type and spelling must survive.
    let fields = r#""f":0.30000000000000004,"pi":3.141592653589793238462,"big":123456789012345678901234567890,"z":-0,"e":1E2,"huge":1e400,"n":{"b":1,"a":[2.50,-0.0]},"s":"caf\u00e9""#;
    let records = [
        format!(r#"{{"id":"a","text":"Five men came.",{fields}}}"#),
        r#"{"id":12345678901234567890123,"text":"Two dogs barked."}"#.to_string(),
        r#"{"id":1E2,"text":"Two cats."}"#.to_string(),
        r#"{"id":1,"text":"One bird."}"#.to_string(),
        r#"{"id":"1","text":"Three birds."}"#.to_string(),
    ];
    std::fs::write(&input, records.join("\n") + "\n").unwrap();
    let out = tally().arg("extract").arg(&input).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 5, "{got:?}");
    assert!(
        got[0].starts_with(&format!(
            r#"{{"id":"a","text":"Five men came.",{fields},"entities":"#
        )),
        "{}",
        got[0]
    );
    assert!(
        got[1].starts_with(r#"{"id":12345678901234567890123,"#),
        "{}",
        got[1]
    );
    assert!(got[2].starts_with(r#"{"id":1E2,"#), "{}", got[2]);
    // 1 and "1" are two documents, not a duplicate.
    assert!(got[3].starts_with(r#"{"id":1,"#), "{}", got[3]);
    assert!(got[4].starts_with(r#"{"id":"1","#), "{}", got[4]);
    // And every line is JSON that tally's own counts can be read from.
    let v: serde_json::Value = serde_json::from_str(&got[1]).unwrap();
    assert_eq!(v["counts"][0]["value"], 2);
}

#[test]
fn an_error_record_keeps_the_id_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let errors = dir.path().join("err.jsonl");
    std::fs::write(
        &input,
        "{\"id\":98765432109876543210987,\"text\":\"\"}\n[1]\n",
    )
    .unwrap();
    let out = tally()
        .arg("extract")
        .arg(&input)
        .arg("--errors")
        .arg(&errors)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = std::fs::read_to_string(&errors).unwrap();
    let err: Vec<&str> = err.lines().collect();
    assert_eq!(err.len(), 2, "{err:?}");
    assert!(
        err[0].contains(r#""line":1,"id":98765432109876543210987,"error":"empty text""#),
        "{}",
        err[0]
    );
    // A line that is not an object has no id, even if it holds a number.
    assert!(err[1].contains(r#""line":2,"id":null,"#), "{}", err[1]);
}

#[test]
fn input_fields_that_tally_writes_are_replaced_with_a_warning_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"Two dogs.\",\"entities\":\"mine\",\"counts\":[1]}\n\
         {\"id\":\"b\",\"text\":\"Two cats.\",\"counts\":7}\n",
    )
    .unwrap();
    let out = tally().arg("extract").arg(&input).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    assert!(
        err.contains("in.jsonl:1") && err.contains("\"entities\""),
        "{err}"
    );
    for line in lines(&out) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert!(v["entities"].is_array() && v["counts"].is_array(), "{line}");
        assert_eq!(v["counts"][0]["value"], 2, "{line}");
        // Each key once.
        assert_eq!(line.matches("\"counts\":").count(), 1, "{line}");
    }
}

#[test]
fn a_document_over_the_size_limit_is_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let big = "Five men came. ".repeat(200);
    std::fs::write(
        &input,
        format!(
            "{{\"id\":\"big\",\"text\":\"{big}\"}}\n{{\"id\":\"small\",\"text\":\"Two dogs.\"}}\n"
        ),
    )
    .unwrap();
    let text = dir.path().join("long.txt");
    std::fs::write(&text, &big).unwrap();
    let errors = dir.path().join("err.jsonl");
    let out = tally()
        .arg("extract")
        .arg(&input)
        .arg(&text)
        .args(["--max-doc-bytes", "1000", "--errors"])
        .arg(&errors)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with(r#"{"id":"small","#));
    let err = std::fs::read_to_string(&errors).unwrap();
    let err: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(err.len(), 2, "{err:?}");
    assert_eq!(err[0]["line"], 1);
    assert!(
        err[0]["error"]
            .as_str()
            .unwrap()
            .contains("3022 bytes, more than --max-doc-bytes 1000"),
        "{err:?}"
    );
    assert_eq!(err[1]["id"], "long");
    // With no limit, both are read.
    let out = tally()
        .arg("extract")
        .arg(&input)
        .arg(&text)
        .args(["--max-doc-bytes", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 3);
}

#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_an_error_not_a_silent_success() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(&story, "Russia freed 22 soldiers.").unwrap();
    let mut cmd = tally();
    cmd.arg("extract").arg(&story).stderr(Stdio::piped());
    // SAFETY: only close(2) runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::close(1);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("standard output is closed"),
        "{}",
        stderr(&out)
    );
    // A full disk on the output is an error too.
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = tally()
            .arg("extract")
            .arg(&story)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("No space left"), "{}", stderr(&out));
    }
    // `> /dev/null` is what the user asked for: no error.
    let out = tally()
        .arg("extract")
        .arg(&story)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn a_standard_error_that_cannot_be_written_does_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    // A bad line makes tally report on standard error.
    std::fs::write(&input, "{\"id\":\"a\",\"text\":\"Two dogs.\"}\nnot json\n").unwrap();
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let out = tally()
        .arg("extract")
        .arg(&input)
        .stderr(full)
        .output()
        .unwrap();
    // The failed document sets the status to 1; no panic (101).
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out).len(), 1);
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_reported_not_given_a_lossy_id() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    if std::fs::write(&bad, "Two dogs.").is_err() {
        return; // a file system that refuses such names
    }
    // The name the lossy id would take.
    std::fs::write(dir.path().join("caf\u{fffd}.txt"), "Two cats.").unwrap();
    let out = tally().arg("extract").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("Two cats"), "{}", got[0]);
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
}
