#!/usr/bin/env python3
"""Gold-file tooling: build gold JSONL from annotators' source records, check
gold files, convert gold back to source records, and list the differences
between two versions of a gold file.

Offsets are never typed by hand: an annotator names entities by their surface
string and counts by a context string that occurs once in the document, and
`build` finds the code-point offsets (what Python's `str` indexes, as
docs/FORMAT.md requires).

Source record (one JSON file per document, named ID.json):

    {"id": "reuters21578__newid7794",
     "setting": ["Chad"],
     "entities": [
       {"text": "Chad", "label": "LOC"},
       {"text": "Chadian", "label": "MISC", "canonical": "Chad"},
       {"text": "Paris", "label": "LOC", "skip": [2]},
       {"text": "Libya", "label": "LOC", "at": "site of Libya's main"}
     ],
     "counts": [
       {"text": "384", "at": "killed 384 Libyans", "value": 384,
        "unit": "libyan",
        "parties": [["Chad", "agent"], ["Libya", "affiliation"]]},
       {"text": "48", "at": "captured 48", "value": 48, "unit": "libyan",
        "parties": [["Chad", "agent"], ["Libya", "affiliation"]],
        "approx": null}
     ]}

Entities: every whole-word occurrence of `text` (case-sensitive) is an entity
with that label and canonical (default: the text itself). A whole word is
not preceded or followed by a letter or digit, nor joined to one by a hyphen
("U.S." does not match inside "U.S.-led": list "U.S.-led" itself). Longer
entries are placed first; an occurrence overlapping an entity already placed
is not used ("New York" inside "New York Times"). `only: [k, ...]` keeps the
k-th occurrences (1-based, among whole-word occurrences), `skip: [k, ...]`
drops them, `at: "context"` keeps the one occurrence inside that context
(which must occur once in the text). `start: N` gives an explicit offset.

Counts: `text` is found inside `at` (a context that occurs exactly once in the
text; the first whole-word occurrence of `text` inside it), or is unique in
the document when `at` is absent, or starts at an explicit `start`. Optional:
`approx`, `value_max`, `distributive`, `mention_of` and `sum_of` (given as
the `at` contexts, or explicit starts, of the other counts; written as
indices in the built file).

Commands:
    gold.py build SRC_DIR --texts DIR [--ids FILE [--partial]] -o OUT.jsonl
        (--ids: build only these ids, in this order; --partial: write even
        when some of them have no source record yet)
    gold.py check GOLD.jsonl [--texts DIR]
    gold.py to-source GOLD.jsonl OUT_DIR
    gold.py diff OLD.jsonl NEW.jsonl
    gold.py spotcheck GOLD.jsonl [...]   (cases to look at against the
        format's decisions: locations not named in the count's sentence,
        places named only by a demonym, "one of", capitals as countries,
        reporters as parties; prints each with its sentence)
"""

import argparse
import json
import os
import sys

LABELS = {"PER", "ORG", "LOC", "MISC"}
ROLES = {"agent", "affiliation", "location"}
APPROX = {"about", "over", "under", "range"}


class GoldError(Exception):
    pass


def is_word_char(c):
    return c.isalnum()


def whole_word(text, start, end):
    """Is text[start:end] a whole word (not part of a longer word or hyphen
    compound)?"""
    if start > 0:
        b = text[start - 1]
        if is_word_char(b) and is_word_char(text[start]):
            return False
        if b == "-" and start > 1 and is_word_char(text[start - 2]):
            return False
    if end < len(text):
        a = text[end]
        if is_word_char(a) and is_word_char(text[end - 1]):
            return False
        if a == "-" and end + 1 < len(text) and is_word_char(text[end + 1]):
            return False
    return True


def occurrences(text, needle, lo=0, hi=None):
    hi = len(text) if hi is None else hi
    out = []
    i = text.find(needle, lo, hi)
    while i >= 0:
        if whole_word(text, i, i + len(needle)):
            out.append(i)
        i = text.find(needle, i + 1, hi)
    return out


def unique_context(text, at, where):
    first = text.find(at)
    if first < 0:
        raise GoldError(f"{where}: context {at!r} is not in the text")
    if text.find(at, first + 1) >= 0:
        raise GoldError(f"{where}: context {at!r} occurs more than once in the text")
    return first


def locate_count(text, c, where):
    t = c["text"]
    if "start" in c:
        s = c["start"]
        if text[s : s + len(t)] != t:
            raise GoldError(f"{where}: text at {s} is {text[s:s+len(t)]!r}, not {t!r}")
        return s
    if "at" in c:
        at = c["at"]
        base = unique_context(text, at, where)
        occ = occurrences(text, t, base, base + len(at))
        if not occ:
            raise GoldError(f"{where}: {t!r} is not a whole word inside context {at!r}")
        return occ[0]
    occ = occurrences(text, t)
    if len(occ) != 1:
        raise GoldError(
            f"{where}: {t!r} occurs {len(occ)} times as a whole word; give an 'at' context"
        )
    return occ[0]


def overlaps(spans):
    spans = sorted(spans)
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[1]:
            return a, b
    return None


def build_record(src, text):
    did = src["id"]
    placed = []  # (start, end, entity dict)
    entries = sorted(
        enumerate(src.get("entities", [])), key=lambda e: (-len(e[1]["text"]), e[0])
    )
    for idx, e in entries:
        where = f"{did}: entity {e.get('text')!r}"
        for key in ("text", "label"):
            if key not in e:
                raise GoldError(f"{where}: no {key!r}")
        if e["label"] not in LABELS:
            raise GoldError(f"{where}: label {e['label']!r} is not one of {sorted(LABELS)}")
        t = e["text"]
        if "start" in e:
            cands = [e["start"]]
            if text[e["start"] : e["start"] + len(t)] != t:
                raise GoldError(f"{where}: text at {e['start']} is not {t!r}")
        elif "at" in e:
            base = unique_context(text, e["at"], where)
            cands = occurrences(text, t, base, base + len(e["at"]))[:1]
            if not cands:
                raise GoldError(f"{where}: not a whole word inside context {e['at']!r}")
        else:
            cands = occurrences(text, t)
            if not cands:
                raise GoldError(f"{where}: no whole-word occurrence in the text")
            n = len(cands)
            if "only" in e:
                bad = [k for k in e["only"] if not 1 <= k <= n]
                if bad:
                    raise GoldError(f"{where}: 'only' {bad} out of range 1..{n}")
                cands = [cands[k - 1] for k in e["only"]]
            if "skip" in e:
                bad = [k for k in e["skip"] if not 1 <= k <= n]
                if bad:
                    raise GoldError(f"{where}: 'skip' {bad} out of range 1..{n}")
                drop = {cands[k - 1] for k in e["skip"]}
                cands = [s for s in cands if s not in drop]
        used = 0
        for s in cands:
            end = s + len(t)
            if any(s < pe and ps < end for ps, pe, _ in placed):
                if "start" in e or "at" in e:
                    raise GoldError(f"{where}: overlaps another entity at {s}")
                continue
            placed.append(
                (
                    s,
                    end,
                    {
                        "start": s,
                        "end": end,
                        "text": t,
                        "label": e["label"],
                        "canonical": e.get("canonical") or t,
                    },
                )
            )
            used += 1
        if used == 0:
            raise GoldError(f"{where}: every occurrence lies inside a longer entity")
    placed.sort(key=lambda p: p[0])
    entities = [p[2] for p in placed]
    canon = {e["canonical"] for e in entities}

    counts = []
    starts = {}
    for i, c in enumerate(src.get("counts", [])):
        where = f"{did}: count #{i + 1} {c.get('text')!r}"
        for key in ("text", "value", "unit"):
            if key not in c:
                raise GoldError(f"{where}: no {key!r}")
        s = locate_count(text, c, where)
        if not isinstance(c["value"], (int, float)) or isinstance(c["value"], bool):
            raise GoldError(f"{where}: value must be a number")
        out = {"start": s, "end": s + len(c["text"]), "text": c["text"], "value": c["value"]}
        if c.get("value_max") is not None:
            out["value_max"] = c["value_max"]
        if c.get("approx") is not None:
            if c["approx"] not in APPROX:
                raise GoldError(f"{where}: approx {c['approx']!r} not in {sorted(APPROX)}")
            out["approx"] = c["approx"]
        if (c.get("approx") == "range") != (c.get("value_max") is not None):
            raise GoldError(f"{where}: a range has approx 'range' and a value_max")
        unit = c["unit"]
        if not unit or unit != unit.lower():
            raise GoldError(f"{where}: unit {unit!r} must be lower case")
        out["unit"] = unit
        parties = []
        seen = set()
        for p in c.get("parties", []):
            if isinstance(p, dict):
                name, role, aliases = p["party"], p["role"], p.get("aliases")
            else:
                name, role = p[0], p[1]
                aliases = p[2] if len(p) > 2 else None
            if role not in ROLES:
                raise GoldError(f"{where}: role {role!r} not in {sorted(ROLES)}")
            if name not in canon:
                raise GoldError(
                    f"{where}: party {name!r} is not the canonical name of an entity of the document"
                )
            if (name, role) in seen:
                raise GoldError(f"{where}: party {name!r} twice as {role}")
            seen.add((name, role))
            pd = {"party": name, "role": role}
            if aliases:
                pd["aliases"] = aliases
            parties.append(pd)
        out["parties"] = parties
        if c.get("distributive"):
            out["distributive"] = True
        out["_refs"] = (c.get("mention_of"), c.get("sum_of"), where)
        key_at = c.get("at")
        if key_at is not None:
            starts[("at", key_at)] = s
        starts[("start", s)] = s
        counts.append(out)
    sp = overlaps([(c["start"], c["end"]) for c in counts])
    if sp:
        raise GoldError(f"{did}: counts overlap: {sp}")
    counts.sort(key=lambda c: c["start"])
    index = {c["start"]: i for i, c in enumerate(counts)}

    def resolve(ref, where):
        key = ("start", ref) if isinstance(ref, int) else ("at", ref)
        if key not in starts:
            raise GoldError(f"{where}: no count has the context {ref!r}")
        return index[starts[key]]

    for c in counts:
        mention_of, sum_of, where = c.pop("_refs")
        if mention_of is not None:
            c["mention_of"] = resolve(mention_of, where)
        if sum_of:
            c["sum_of"] = [resolve(r, where) for r in sum_of]
    rec = {"id": did, "text": text}
    if src.get("setting"):
        for p in src["setting"]:
            if p not in canon:
                raise GoldError(f"{did}: setting {p!r} is not the canonical name of an entity")
        rec["setting"] = src["setting"]
    rec["entities"] = entities
    rec["counts"] = counts
    return rec


def check_record(rec, where):
    """The checks tests/gold.rs makes too; returns a list of problems."""
    problems = []
    text = rec.get("text")
    if not isinstance(rec.get("id"), str) or not rec["id"]:
        problems.append(f"{where}: no id")
    if not isinstance(text, str):
        return problems + [f"{where}: no text"]
    canon = set()
    for kind in ("entities", "counts"):
        spans = []
        for s in rec.get(kind, []):
            if text[s["start"] : s["end"]] != s["text"]:
                problems.append(f"{where}: {kind[:-1]} {s['text']!r} at {s['start']} does not match the text")
            spans.append((s["start"], s["end"]))
            if kind == "entities":
                if s.get("label") not in LABELS:
                    problems.append(f"{where}: entity {s['text']!r} label {s.get('label')!r}")
                canon.add(s.get("canonical") or s["text"])
        o = overlaps(spans)
        if o:
            problems.append(f"{where}: overlapping {kind}: {o}")
    for c in rec.get("counts", []):
        v = c.get("value")
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            problems.append(f"{where}: count {c['text']!r} value {v!r} is not a number")
        seen = set()
        for p in c.get("parties", []):
            if p.get("role") not in ROLES:
                problems.append(f"{where}: count {c['text']!r} role {p.get('role')!r}")
            if p.get("party") not in canon:
                problems.append(f"{where}: count {c['text']!r} party {p.get('party')!r} names no entity")
            if (p.get("party"), p.get("role")) in seen:
                problems.append(f"{where}: count {c['text']!r} party {p.get('party')!r} twice")
            seen.add((p.get("party"), p.get("role")))
    return problems


def cmd_build(args):
    ids = None
    if args.ids:
        ids = [l.strip() for l in open(args.ids, encoding="utf-8") if l.strip()]
    files = sorted(f for f in os.listdir(args.src) if f.endswith(".json"))
    if ids is not None:
        wanted = set(ids)
        files = [f for f in files if f[:-5] in wanted]
    by_id = {}
    errors = []
    for f in files:
        path = os.path.join(args.src, f)
        try:
            src = json.load(open(path, encoding="utf-8"))
        except json.JSONDecodeError as e:
            errors.append(f"{path}: {e}")
            continue
        did = src.get("id") or f[:-5]
        src["id"] = did
        tpath = os.path.join(args.texts, did + ".txt")
        try:
            with open(tpath, encoding="utf-8", newline="") as fh:
                text = fh.read()
        except OSError as e:
            errors.append(f"{path}: {e}")
            continue
        try:
            by_id[did] = build_record(src, text)
        except GoldError as e:
            errors.append(f"{path}: {e}")
    order = ids if ids is not None else sorted(by_id)
    missing = [i for i in order if i not in by_id]
    for e in errors:
        print(e, file=sys.stderr)
    if missing:
        print(f"{len(missing)} ids have no built record: {' '.join(missing[:10])}", file=sys.stderr)
    if errors or (missing and not args.partial):
        sys.exit(1)
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        for i in order:
            if i in by_id:
                out.write(json.dumps(by_id[i], ensure_ascii=False) + "\n")
    n = [by_id[i] for i in order if i in by_id]
    print(
        f"{args.out}: {len(n)} documents, {sum(len(r['entities']) for r in n)} entities, "
        f"{sum(len(r['counts']) for r in n)} counts, "
        f"{sum(len(c['parties']) for r in n for c in r['counts'])} attachments",
        file=sys.stderr,
    )


def cmd_check(args):
    problems = []
    for ln, line in enumerate(open(args.gold, encoding="utf-8"), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        where = f"{args.gold}:{ln} {rec.get('id')}"
        problems += check_record(rec, where)
        if args.texts:
            p = os.path.join(args.texts, rec["id"] + ".txt")
            if os.path.exists(p):
                with open(p, encoding="utf-8", newline="") as fh:
                    if fh.read() != rec["text"]:
                        problems.append(f"{where}: text differs from {p}")
    for p in problems:
        print(p)
    print(f"{len(problems)} problems", file=sys.stderr)
    sys.exit(1 if problems else 0)


def cmd_to_source(args):
    os.makedirs(args.out, exist_ok=True)
    for line in open(args.gold, encoding="utf-8"):
        if not line.strip():
            continue
        rec = json.loads(line)
        text = rec["text"]
        ents = []
        for e in rec["entities"]:
            d = {"text": e["text"], "label": e["label"], "start": e["start"]}
            if e.get("canonical") and e["canonical"] != e["text"]:
                d["canonical"] = e["canonical"]
            ents.append(d)
        counts = []
        for c in rec["counts"]:
            d = {"text": c["text"], "start": c["start"],
                 "context": text[max(0, c["start"] - 40) : c["end"] + 40],
                 "value": c["value"]}
            for k in ("value_max", "approx"):
                if k in c:
                    d[k] = c[k]
            d["unit"] = c["unit"]
            d["parties"] = [
                [p["party"], p["role"]] + ([p["aliases"]] if p.get("aliases") else [])
                for p in c["parties"]
            ]
            if c.get("distributive"):
                d["distributive"] = True
            if "mention_of" in c:
                d["mention_of"] = rec["counts"][c["mention_of"]]["start"]
            if "sum_of" in c:
                d["sum_of"] = [rec["counts"][i]["start"] for i in c["sum_of"]]
            counts.append(d)
        src = {"id": rec["id"]}
        if rec.get("setting"):
            src["setting"] = rec["setting"]
        src["entities"] = ents
        src["counts"] = counts
        with open(os.path.join(args.out, rec["id"] + ".json"), "w", encoding="utf-8") as fh:
            json.dump(src, fh, ensure_ascii=False, indent=1)
            fh.write("\n")


def load(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            out[r["id"]] = r
    return out


def cmd_diff(args):
    old, new = load(args.old), load(args.new)
    for did in list(old) + [i for i in new if i not in old]:
        o, n = old.get(did), new.get(did)
        lines = []
        if o is None or n is None:
            print(f"== {did}: {'added' if o is None else 'removed'}")
            continue
        oe = {(e["start"], e["end"], e["label"], e.get("canonical")) for e in o["entities"]}
        ne = {(e["start"], e["end"], e["label"], e.get("canonical")) for e in n["entities"]}
        txt = n["text"]
        for e in sorted(oe - ne):
            lines.append(f"  - entity {txt[e[0]:e[1]]!r} @{e[0]} {e[2]} -> {e[3]}")
        for e in sorted(ne - oe):
            lines.append(f"  + entity {txt[e[0]:e[1]]!r} @{e[0]} {e[2]} -> {e[3]}")
        oc = {c["start"]: c for c in o["counts"]}
        nc = {c["start"]: c for c in n["counts"]}
        for s in sorted(set(oc) | set(nc)):
            a, b = oc.get(s), nc.get(s)
            if a is None:
                lines.append(f"  + count {b['text']!r} @{s} {b['unit']} {[(p['party'], p['role']) for p in b['parties']]}")
                continue
            if b is None:
                lines.append(f"  - count {a['text']!r} @{s} {a['unit']}")
                continue
            for k in ("end", "value", "value_max", "approx", "unit", "distributive"):
                if a.get(k) != b.get(k):
                    lines.append(f"  ~ count {a['text']!r} @{s} {k}: {a.get(k)!r} -> {b.get(k)!r}")
            ap = {(p["party"], p["role"]) for p in a["parties"]}
            bp = {(p["party"], p["role"]) for p in b["parties"]}
            for p in sorted(ap - bp):
                lines.append(f"  - party {a['text']!r} @{s} {p[0]} ({p[1]})")
            for p in sorted(bp - ap):
                lines.append(f"  + party {a['text']!r} @{s} {p[0]} ({p[1]})")
        if o.get("setting") != n.get("setting"):
            lines.append(f"  ~ setting {o.get('setting')} -> {n.get('setting')}")
        if lines:
            print(f"== {did}")
            print("\n".join(lines))


CAPITALS = {
    "Moscow", "Kyiv", "Kiev", "Washington", "London", "Paris", "Tokyo", "Bonn",
    "Beijing", "Peking", "Tripoli", "Tehran", "Baghdad", "Brussels", "Rome",
    "Ottawa", "Canberra", "Pretoria", "Kremlin", "White House", "Downing Street",
    "Seoul", "Manila", "Madrid", "Lisbon", "Brasilia", "Quito", "Lima", "Cairo",
}


def sentence_bounds(text, start, end):
    lo = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start))
    lo = 0 if lo < 0 else lo + 1
    hi_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    hi = min(hi_candidates) if hi_candidates else len(text)
    return lo, hi


def cmd_spotcheck(args):
    for path in args.gold:
        n = {"d1": 0, "d3": 0, "d4": 0, "d5": 0, "d8": 0}
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            r = json.loads(line)
            text = r["text"]
            ents = r["entities"]
            for c in r["counts"]:
                lo, hi = sentence_bounds(text, c["start"], c["end"])
                sent = text[lo:hi].strip().replace("\n", " ")
                here = [e for e in ents if lo <= e["start"] and e["end"] <= hi]
                if text[c["end"]:c["end"] + 4] == " of " and c["text"].lower() == "one":
                    n["d8"] += 1
                    print(f"{path} {r['id']} D8 'one of' counted: {sent}")
                for p in c["parties"]:
                    named = [e for e in here if e.get("canonical", e["text"]) == p["party"]]
                    if p["role"] == "location":
                        if not named:
                            n["d1"] += 1
                            print(f"{path} {r['id']} D1 location {p['party']!r} not named in the sentence of {c['text']!r}: {sent}")
                        elif all(e["label"] == "MISC" for e in named):
                            n["d3"] += 1
                            print(f"{path} {r['id']} D3 location {p['party']!r} named only by a demonym for {c['text']!r}: {sent}")
                    if p["party"].lower() in ("reuters", "police"):
                        n["d5"] += 1
                        print(f"{path} {r['id']} D5 reporter {p['party']!r} on {c['text']!r}: {sent}")
            for e in ents:
                if e["text"] in CAPITALS and e.get("canonical", e["text"]) != e["text"]:
                    n["d4"] += 1
                    lo, hi = sentence_bounds(text, e["start"], e["end"])
                    print(f"{path} {r['id']} D4 capital {e['text']!r} -> {e['canonical']!r}: {text[lo:hi].strip()}")
        print(f"{path}: " + ", ".join(f"{k} {v}" for k, v in n.items()), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="source records -> gold JSONL")
    b.add_argument("src")
    b.add_argument("--texts", required=True, help="directory of ID.txt files")
    b.add_argument("--ids", help="file listing the ids, in output order")
    b.add_argument("--partial", action="store_true", help="write what built even if ids are missing")
    b.add_argument("-o", "--out", required=True)
    c = sub.add_parser("check", help="validate a gold JSONL file")
    c.add_argument("gold")
    c.add_argument("--texts", help="directory of ID.txt files to compare texts with")
    t = sub.add_parser("to-source", help="gold JSONL -> source records with explicit starts")
    t.add_argument("gold")
    t.add_argument("out")
    d = sub.add_parser("diff", help="list the changes between two gold files, per document")
    d.add_argument("old")
    d.add_argument("new")
    sc = sub.add_parser("spotcheck", help="list cases to check against the format's decisions")
    sc.add_argument("gold", nargs="+")
    args = ap.parse_args()
    {"build": cmd_build, "check": cmd_check, "to-source": cmd_to_source, "diff": cmd_diff, "spotcheck": cmd_spotcheck}[args.cmd](args)


if __name__ == "__main__":
    main()
