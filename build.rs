//! Names the entity model in `tally --version`: the SHA-256 of
//! models/ner/model.safetensors, as TALLY_MODEL_SHA256 (and its first 12
//! hex digits as TALLY_MODEL_ID).

use sha2::{Digest, Sha256};
use std::io::Read;

fn main() {
    let path = "models/ner/model.safetensors";
    println!("cargo:rerun-if-changed={path}");
    println!("cargo:rerun-if-changed=build.rs");
    // The syntax head (models/syntax) is built in when it is there.
    println!("cargo:rerun-if-changed=models/syntax/model.safetensors");
    println!("cargo:rerun-if-changed=models/syntax/config.json");
    println!("cargo::rustc-check-cfg=cfg(tally_syntax_model)");
    if std::path::Path::new("models/syntax/model.safetensors").exists()
        && std::path::Path::new("models/syntax/config.json").exists()
    {
        println!("cargo:rustc-cfg=tally_syntax_model");
    }
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => panic!("cannot read {path} (the entity model, needed to build tally): {e}"),
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .unwrap_or_else(|e| panic!("reading {path}: {e}"));
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("cargo:rustc-env=TALLY_MODEL_SHA256={hex}");
    println!("cargo:rustc-env=TALLY_MODEL_ID={}", &hex[..12]);
}
