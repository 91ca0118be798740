//! `tally show`: annotated documents as one self-contained HTML page that a
//! person can read: each text with its entities coloured by label and its
//! counts marked, every count's parties listed under its paragraph, and a
//! table per document of who did what to how many of what, where. With a
//! gold file beside the predictions, misses and false positives are marked.
//! The page has no scripts and no external references: it opens anywhere,
//! offline.

use crate::doc::{Count, Doc, Role, Span};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

/// How one predicted mark compares with gold (gold-only marks are drawn as
/// misses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    /// No gold to compare with, or in both.
    Plain,
    /// Predicted, not in gold.
    FalsePositive,
}

impl Verdict {
    fn class(self) -> &'static str {
        match self {
            Verdict::Plain => "",
            Verdict::FalsePositive => " fp",
        }
    }
}

/// One mark on the text: a span with its CSS classes and tooltip.
struct Mark {
    span: Span,
    class: String,
    title: String,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:16px/1.55 Georgia,serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
h1{font:600 1.4em system-ui,sans-serif}h2{font:600 1.1em system-ui,sans-serif;margin-top:2.5em;border-top:1px solid #ccc;padding-top:1em}
.legend span{margin-right:1em}.text{white-space:pre-wrap}
.PER{background:#fde2c8}.ORG{background:#cfe3fb}.LOC{background:#d4f2d2}.MISC{background:#eadcf8}
.count{background:#ffe97a;font-weight:700;border-bottom:2px solid #b59b00}
.fp{outline:2px solid #d33;outline-offset:-1px}.miss{outline:2px dashed #36c;outline-offset:-1px;background:none}
sup{font:600 .7em system-ui,sans-serif;color:#866}
table{border-collapse:collapse;margin:1em 0;font:.9em system-ui,sans-serif;width:100%}
td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f4f4f4}
.role-agent{color:#a33}.role-affiliation{color:#236}.role-location{color:#272}
.bad{color:#d33;font-weight:600}.missing{color:#36c;font-style:italic}.meta{color:#666;font:.85em system-ui,sans-serif}";

/// The page for `docs` (predictions or annotations) and, when given, the
/// gold documents to compare them with (matched by id).
pub fn render(docs: &[Doc], gold: Option<&[Doc]>, title: &str) -> String {
    let gold_by_id: HashMap<&str, &Doc> = gold
        .unwrap_or_default()
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        escape(title),
        escape(title)
    );
    html.push_str(
        "<p class=\"legend meta\"><span class=\"PER\">person</span><span class=\"ORG\">organisation</span>\
         <span class=\"LOC\">place</span><span class=\"MISC\">other name</span><span class=\"count\">count</span>",
    );
    if gold.is_some() {
        html.push_str(
            "<span class=\"fp\">false positive</span><span class=\"miss\">missed (gold only)</span>",
        );
    }
    html.push_str("</p>\n");
    for d in docs {
        let g = gold.map(|_| gold_by_id.get(d.id.as_str()).copied());
        render_doc(&mut html, d, g);
    }
    html.push_str("</body></html>\n");
    html
}

fn render_doc(html: &mut String, d: &Doc, gold: Option<Option<&Doc>>) {
    let _ = writeln!(html, "<h2 id=\"{0}\">{0}</h2>", escape(&d.id));
    if !d.setting.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"meta\">Setting: {}</p>",
            escape(&d.setting.join(", "))
        );
    }
    let gold = match gold {
        Some(None) => {
            html.push_str("<p class=\"bad\">No gold document has this id.</p>\n");
            None
        }
        Some(Some(g)) if g.text != d.text => {
            html.push_str("<p class=\"bad\">The gold text differs: not compared.</p>\n");
            None
        }
        Some(g) => g,
        None => None,
    };
    let mut marks = Vec::new();
    let key_e = |e: &crate::doc::Entity| (e.span, e.label);
    let gold_ents: BTreeSet<_> =
        gold.map_or_else(BTreeSet::new, |g| g.entities.iter().map(key_e).collect());
    let pred_ents: BTreeSet<_> = d.entities.iter().map(key_e).collect();
    for e in &d.entities {
        let v = if gold.is_some() && !gold_ents.contains(&key_e(e)) {
            Verdict::FalsePositive
        } else {
            Verdict::Plain
        };
        marks.push(Mark {
            span: e.span,
            class: format!("{}{}", e.label.as_str(), v.class()),
            title: format!("{} → {}", e.label.as_str(), e.canonical),
        });
    }
    if let Some(g) = gold {
        for e in g.entities.iter().filter(|e| !pred_ents.contains(&key_e(e))) {
            marks.push(Mark {
                span: e.span,
                class: format!("{} miss", e.label.as_str()),
                title: format!("missed: {} → {}", e.label.as_str(), e.canonical),
            });
        }
    }
    let gold_counts: HashMap<Span, &Count> = gold.map_or_else(HashMap::new, |g| {
        g.counts.iter().map(|c| (c.span, c)).collect()
    });
    let pred_counts: HashMap<Span, &Count> = d.counts.iter().map(|c| (c.span, c)).collect();
    for (i, c) in d.counts.iter().enumerate() {
        let v = match gold_counts.get(&c.span) {
            Some(gc) if gc.value == c.value => Verdict::Plain,
            _ if gold.is_some() => Verdict::FalsePositive,
            _ => Verdict::Plain,
        };
        marks.push(Mark {
            span: c.span,
            class: format!("count{}", v.class()),
            title: format!("#{} {}", i + 1, count_summary(c)),
        });
    }
    if let Some(g) = gold {
        for c in g
            .counts
            .iter()
            .filter(|c| !pred_counts.contains_key(&c.span))
        {
            marks.push(Mark {
                span: c.span,
                class: "count miss".into(),
                title: format!("missed count: {}", count_summary(c)),
            });
        }
    }
    html.push_str("<div class=\"text\">");
    html.push_str(&marked_text(&d.text, &marks, &d.counts));
    html.push_str("</div>\n");
    render_table(html, d, gold);
}

/// "175 prisoner (about) — agent: Russia; affiliation: Ukraine".
fn count_summary(c: &Count) -> String {
    let mut s = format!(
        "{} {}",
        crate::format::number(c.value),
        c.unit.as_deref().unwrap_or("?")
    );
    if let Some(a) = c.approx {
        let _ = write!(
            s,
            " ({})",
            serde_json::to_value(a)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        );
    }
    for role in Role::ALL {
        let ps: Vec<&str> = c.parties_in(role).collect();
        if !ps.is_empty() {
            let _ = write!(s, "; {}: {}", role.as_str(), ps.join(", "));
        }
    }
    s
}

/// The text as HTML with every mark as a span. Marks may overlap (a gold
/// entity and a predicted one that differ): the text is cut at every mark
/// boundary and each piece carries the classes of all marks over it.
fn marked_text(text: &str, marks: &[Mark], counts: &[Count]) -> String {
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, text.len()]);
    for m in marks {
        cuts.insert(m.span.start);
        cuts.insert(m.span.end);
    }
    let count_end: HashMap<usize, usize> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.span.end, i))
        .collect();
    let cuts: Vec<usize> = cuts
        .into_iter()
        .filter(|&c| text.is_char_boundary(c))
        .collect();
    let mut out = String::with_capacity(text.len() * 2);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let over: Vec<&Mark> = marks
            .iter()
            .filter(|m| m.span.start <= a && b <= m.span.end)
            .collect();
        let piece = escape(&text[a..b]);
        if over.is_empty() {
            out.push_str(&piece);
        } else {
            let class: Vec<&str> = over.iter().map(|m| m.class.as_str()).collect();
            let title: Vec<&str> = over.iter().map(|m| m.title.as_str()).collect();
            let _ = write!(
                out,
                "<span class=\"{}\" title=\"{}\">{piece}</span>",
                escape(&class.join(" ")),
                escape(&title.join("\n"))
            );
        }
        if let Some(i) = count_end.get(&b) {
            let _ = write!(out, "<sup>{}</sup>", i + 1);
        }
    }
    out
}

/// Who — did what — how many — of what — where, one row per counted thing
/// (a restatement is folded into its first mention).
fn render_table(html: &mut String, d: &Doc, gold: Option<&Doc>) {
    if d.counts.is_empty() && gold.is_none_or(|g| g.counts.is_empty()) {
        html.push_str("<p class=\"meta\">No counts.</p>\n");
        return;
    }
    html.push_str(
        "<table><tr><th>#</th><th>who</th><th>did what</th><th>how many</th><th>of what</th><th>whose</th><th>where</th></tr>\n",
    );
    let gold_counts: HashMap<Span, &Count> = gold.map_or_else(HashMap::new, |g| {
        g.counts.iter().map(|c| (c.span, c)).collect()
    });
    for (i, c) in d.counts.iter().enumerate() {
        if c.mention_of.is_some() {
            continue;
        }
        let restated: Vec<String> = d
            .counts
            .iter()
            .enumerate()
            .filter(|(_, o)| o.mention_of == Some(i))
            .map(|(j, _)| format!("#{}", j + 1))
            .collect();
        let g = gold.map(|_| gold_counts.get(&c.span).copied());
        let cell = |role: Role| parties_cell(c, g, role);
        let mut many = escape(&format!(
            "{}{}",
            c.approx.map_or(String::new(), |a| format!(
                "{} ",
                serde_json::to_value(a)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            )),
            d.slice(c.span)
        ));
        if c.distributive {
            many.push_str(" each");
        }
        if !c.sum_of.is_empty() {
            let parts: Vec<String> = c
                .sum_of
                .iter()
                .filter_map(|&p| d.counts.get(p))
                .map(|p| d.slice(p.span).to_string())
                .collect();
            let _ = write!(
                many,
                "<br><span class=\"meta\">= {}</span>",
                escape(&parts.join(" + "))
            );
        }
        if !restated.is_empty() {
            let _ = write!(
                many,
                "<br><span class=\"meta\">restated {}</span>",
                restated.join(", ")
            );
        }
        if let Some(None) = g {
            many = format!("<span class=\"bad\" title=\"not a gold count\">{many}</span>");
        }
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{many}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            cell(Role::Agent),
            escape(&clause_of(d, c.span)),
            escape(c.unit.as_deref().unwrap_or("")),
            cell(Role::Affiliation),
            cell(Role::Location),
        );
    }
    if let Some(g) = gold {
        let pred: BTreeSet<Span> = d.counts.iter().map(|c| c.span).collect();
        for c in g
            .counts
            .iter()
            .filter(|c| !pred.contains(&c.span) && c.mention_of.is_none())
        {
            let names = |role: Role| escape(&c.parties_in(role).collect::<Vec<_>>().join(", "));
            let _ = writeln!(
                html,
                "<tr class=\"missing\"><td>–</td><td>{}</td><td>{}</td><td>missed: {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                names(Role::Agent),
                escape(&clause_of(g, c.span)),
                escape(g.slice(c.span)),
                escape(c.unit.as_deref().unwrap_or("")),
                names(Role::Affiliation),
                names(Role::Location),
            );
        }
    }
    html.push_str("</table>\n");
}

/// The parties of one role, each marked against gold when there is one:
/// right, false positive, or missed.
fn parties_cell(c: &Count, gold: Option<Option<&Count>>, role: Role) -> String {
    let mine: Vec<&str> = c.parties_in(role).collect();
    let Some(g) = gold else {
        return escape(&mine.join(", "));
    };
    let theirs: Vec<&crate::doc::Party> = g.map_or_else(Vec::new, |g| {
        g.parties.iter().filter(|p| p.role == role).collect()
    });
    let same = |a: &str, p: &crate::doc::Party| {
        a.eq_ignore_ascii_case(&p.party) || p.aliases.iter().any(|x| x.eq_ignore_ascii_case(a))
    };
    let mut out: Vec<String> = mine
        .iter()
        .map(|m| {
            if theirs.iter().any(|p| same(m, p)) {
                escape(m)
            } else {
                format!(
                    "<span class=\"bad\" title=\"false positive\">{}</span>",
                    escape(m)
                )
            }
        })
        .collect();
    for p in theirs.iter().filter(|p| !mine.iter().any(|m| same(m, p))) {
        out.push(format!(
            "<span class=\"missing\" title=\"missed\">({})</span>",
            escape(&p.party)
        ));
    }
    out.join(", ")
}

/// The sentence-like stretch of text around a count: from the last line
/// break or sentence end before it to the next, at most about 160
/// characters, with the count in brackets.
fn clause_of(d: &Doc, span: Span) -> String {
    let text = &d.text;
    let before = &text[..span.start];
    let start = before.rfind(['\n', '.', ';']).map_or(0, |i| i + 1);
    let start = if span.start - start > 100 {
        // Cut at a word boundary, about 100 bytes back.
        let mut s = span.start - 100;
        while !text.is_char_boundary(s) {
            s += 1;
        }
        text[s..span.start].find(' ').map_or(s, |i| s + i + 1)
    } else {
        start
    };
    let after = &text[span.end..];
    let end = span.end + after.find(['\n', '.', ';']).unwrap_or(after.len()).min(80);
    let mut end = end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}[{}]{}",
        text[start..span.start].trim_start(),
        &text[span.start..span.end],
        &text[span.end..end]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_would_read() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
