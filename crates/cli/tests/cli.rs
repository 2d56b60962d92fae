//! The command line as a user meets it: help, version, tokenize output, errors that say where.

use std::io::Write;
use std::process::{Command, Stdio};

fn marsad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
}

fn run_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut c = marsad()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(input).unwrap();
    c.wait_with_output().unwrap()
}

#[test]
fn help_and_version() {
    let o = marsad().arg("--help").output().unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("tokenize"));
    let o = marsad().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("marsad "));
    let o = marsad().args(["tokenize", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("Example"));
}

#[test]
fn tokenize_tsv_columns_and_offsets() {
    let text = "والكاظمي في بغداد لإيران.";
    let o = run_stdin(&["tokenize", "-"], text.as_bytes());
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("start\tend\tsurface\tmatch\tsegments\tstem")
    );
    let chars: Vec<char> = text.chars().collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    for r in &rows {
        let (s, e): (usize, usize) = (r[0].parse().unwrap(), r[1].parse().unwrap());
        assert_eq!(chars[s..e].iter().collect::<String>(), r[2]);
    }
    assert_eq!(rows[0][4], "و+ال+كاظمي");
    assert_eq!(rows[3][4], "ل+إيران");
    assert_eq!(rows[2][4], "بغداد");
}

#[test]
fn tokenize_json() {
    let o = run_stdin(&["tokenize", "-", "--format", "json"], "بالرئيس".as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["tokens"][0]["segments"], "ب+ال+رئيس");
    assert_eq!(v["tokens"][0]["stem_start"], 3);
}

#[test]
fn invalid_utf8_names_file_and_offset() {
    let dir = std::env::temp_dir().join(format!("marsad-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.txt");
    let mut bytes = "قال ".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice("الرئيس".as_bytes());
    std::fs::write(&f, &bytes).unwrap();
    let o = marsad()
        .args(["tokenize", f.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.txt") && err.contains("byte offset 7"),
        "{err}"
    );
    let o = marsad()
        .args(["tokenize", f.to_str().unwrap(), "--lossy"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("replaced"));
    let o = marsad()
        .args(["tokenize", dir.join("missing.txt").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.txt"));
}

#[test]
fn empty_and_odd_inputs() {
    for input in ["", "...", "\u{200f}\u{064e}", "Trump والرئيس 3.5"] {
        let o = run_stdin(&["tokenize", "-"], input.as_bytes());
        assert!(o.status.success(), "{input:?}");
    }
}

#[test]
fn analyze_text_and_json() {
    let o = run_stdin(
        &["analyze", "-", "--date", "2020-08-19", "--format", "json"],
        "اجتمع الكاظمي مع ترامب في واشنطن اليوم.".as_bytes(),
    );
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["events"][0]["code"], "040");
    assert_eq!(v["events"][0]["date"], "2020-08-19");
    let o = run_stdin(&["analyze", "-", "--date", "19/08/2020"], b"x");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("YYYY-MM-DD"));
}

/// Cross-validation on a tiny file, with the O-penalty sweep: one pooled line per penalty; the
/// line of the penalty the models were trained with repeats the plain pooled counts, and a large
/// penalty predicts more spans.
#[test]
fn ner_cross_validation_with_penalty_sweep() {
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/../ner/tests/data/tiny.conll");
    let out = std::env::temp_dir().join(format!("marsad-cv-{}.bin", std::process::id()));
    let o = marsad()
        .args(["ner", "train", "--train", tiny, "--out"])
        .arg(&out)
        .args([
            "--cv",
            "2",
            "--no-clusters",
            "--no-gazetteers",
            "--bits",
            "14",
            "--epochs",
            "3",
            "--ensemble",
            "1",
            "--folds",
            "2",
            "--o-penalty",
            "0",
            "--cv-o-penalties",
            "0,100",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // "micro P R F1 gold pred corr" and "O penalty p: ... (gold g, predicted n, correct c)"
    let micro: Vec<&str> = stdout
        .lines()
        .find(|l| l.starts_with("micro"))
        .unwrap()
        .split_whitespace()
        .collect();
    let counts = |p: &str| -> Vec<String> {
        let l = stdout
            .lines()
            .find(|l| l.starts_with(&format!("O penalty {p}:")))
            .unwrap_or_else(|| panic!("no line for penalty {p}: {stdout}"));
        let inside = l.rsplit_once('(').unwrap().1.trim_end_matches(')');
        inside
            .split(", ")
            .map(|kv| kv.rsplit(' ').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(counts("0"), micro[4..7].to_vec(), "{stdout}");
    let predicted = |p: &str| counts(p)[1].parse::<usize>().unwrap();
    assert!(predicted("100") > predicted("0"), "{stdout}");
    assert!(!out.exists(), "cross-validation writes no model");
    // the sweep needs --cv
    let o = marsad()
        .args([
            "ner",
            "train",
            "--train",
            tiny,
            "--out",
            "x.bin",
            "--cv-o-penalties",
            "0",
        ])
        .output()
        .unwrap();
    assert!(!o.status.success());
}

/// A model file knows its training sentences: `ner eval` on them says that the score is no
/// held-out score (before the report, whose last line stays `F1 <value>`), and on a file the
/// model never saw it says nothing.
#[test]
fn ner_eval_says_when_the_test_sentences_were_trained_on() {
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/../ner/tests/data/tiny.conll");
    let dir = std::env::temp_dir().join(format!("marsad-seen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("m.bin");
    let o = marsad()
        .args(["ner", "train", "--train", tiny, "--out"])
        .arg(&model)
        .args(["--no-clusters", "--no-gazetteers", "--bits", "14"])
        .args(["--epochs", "2", "--ensemble", "1", "--folds", "2"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let eval = |test: &std::path::Path| {
        let o = marsad()
            .args(["ner", "eval", "--model"])
            .arg(&model)
            .arg("--test")
            .arg(test)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let seen = eval(std::path::Path::new(tiny));
    assert!(
        seen.contains("are sentences the model was trained on: this is no held-out score"),
        "{seen}"
    );
    assert!(seen.trim_end().lines().last().unwrap().starts_with("F1 "));
    let other = dir.join("other.conll");
    std::fs::write(&other, "زار O\nمحمد B-PERS\nالقاهرة B-LOC\n. O\n\n").unwrap();
    let unseen = eval(&other);
    assert!(!unseen.contains("trained on"), "{unseen}");
    std::fs::remove_dir_all(&dir).ok();
}
