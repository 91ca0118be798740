//! tally as a library: load the default pipeline, process one document and
//! print its counts with their parties.
//!
//! ```sh
//! cargo run --release --example extract
//! cargo run --release --example extract -- "Police arrested 12 men in Lagos."
//! ```

use tally::doc::Doc;
use tally::pipeline::Pipeline;

fn main() -> anyhow::Result<()> {
    let text = std::env::args().nth(1).unwrap_or_else(|| {
        "Moscow and Kyiv each returned 175 prisoners, with Russia also \
         releasing 22 wounded Ukrainian captives."
            .to_string()
    });
    // The model built into tally (or the folder in $TALLY_MODEL).
    let pipeline = Pipeline::load_default()?;
    let mut docs = vec![Doc::new("example", text)];
    pipeline.process(&mut docs)?;
    let doc = &docs[0];
    for e in &doc.entities {
        println!(
            "entity {:<4} {} (stands for {})",
            e.label.as_str(),
            doc.slice(e.span),
            e.canonical
        );
    }
    for c in &doc.counts {
        let parties: Vec<String> = c
            .parties
            .iter()
            .map(|p| format!("{}: {}", p.role.as_str(), p.party))
            .collect();
        println!(
            "count  {:<6} {:<10} {}{}",
            doc.slice(c.span),
            c.unit.as_deref().unwrap_or("?"),
            parties.join(", "),
            if c.distributive { "  (each)" } else { "" }
        );
    }
    Ok(())
}
