// The encoder fingerprint of a safetensors file. Plain std, `sha2` and
// `serde_json`, so that build.rs includes this same file (`include!`) to name
// the built-in model's encoder at build time.

/// SHA-256, in hex, of a safetensors file's encoder: every tensor but the
/// tag head (`classifier.*`), in name order, each as its name, dtype, shape
/// and bytes. What the syntax head depends on: refitting the tag head alone
/// (`tally train-head`) keeps it.
pub fn encoder_fingerprint_of(bytes: &[u8]) -> Result<String, String> {
    use sha2::{Digest, Sha256};
    let n = bytes
        .get(..8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap()) as usize)
        .ok_or("not a safetensors file: shorter than its header length")?;
    let body = 8usize
        .checked_add(n)
        .filter(|&end| end <= bytes.len())
        .ok_or("not a safetensors file: the header runs past the end")?;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes[8..body])
            .map_err(|e| format!("not a safetensors file: its header: {e}"))?;
    let mut names: Vec<&String> = header
        .keys()
        .filter(|k| *k != "__metadata__" && !k.starts_with("classifier."))
        .collect();
    names.sort();
    let mut hasher = Sha256::new();
    for name in names {
        let t = &header[name.as_str()];
        let offsets: Vec<usize> = t["data_offsets"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_u64())
                    .map(|v| v as usize)
                    .collect()
            })
            .unwrap_or_default();
        let (a, b) = match offsets[..] {
            [a, b] if a <= b && body + b <= bytes.len() => (body + a, body + b),
            _ => return Err(format!("tensor {name}: bad data_offsets")),
        };
        hasher.update(name.as_bytes());
        hasher.update(t["dtype"].to_string().as_bytes());
        hasher.update(t["shape"].to_string().as_bytes());
        hasher.update(&bytes[a..b]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
