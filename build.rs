//! Names the entity model in `tally --version`: the SHA-256 of
//! models/ner/model.safetensors, as TALLY_MODEL_SHA256 (and its first 12
//! hex digits as TALLY_MODEL_ID); and its encoder alone (every tensor but
//! the tag head), as TALLY_ENCODER_SHA256, which the syntax head checks.

use sha2::{Digest, Sha256};

include!("src/ner/fingerprint.rs");

fn main() {
    let path = "models/ner/model.safetensors";
    println!("cargo:rerun-if-changed={path}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/ner/fingerprint.rs");
    // The syntax head (models/syntax) is built in when it is there.
    println!("cargo:rerun-if-changed=models/syntax/model.safetensors");
    println!("cargo:rerun-if-changed=models/syntax/config.json");
    println!("cargo::rustc-check-cfg=cfg(tally_syntax_model)");
    if std::path::Path::new("models/syntax/model.safetensors").exists()
        && std::path::Path::new("models/syntax/config.json").exists()
    {
        println!("cargo:rustc-cfg=tally_syntax_model");
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => panic!("cannot read {path} (the entity model, needed to build tally): {e}"),
    };
    let hex: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("cargo:rustc-env=TALLY_MODEL_SHA256={hex}");
    println!("cargo:rustc-env=TALLY_MODEL_ID={}", &hex[..12]);
    let encoder = encoder_fingerprint_of(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    println!("cargo:rustc-env=TALLY_ENCODER_SHA256={encoder}");
}
