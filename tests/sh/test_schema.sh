#!/bin/sh
# test_schema.sh - docs/scenario.schema.json (JSON Schema draft 2020-12)
# is a valid schema; every shipped scenario, every JSON example of
# docs/writing-scenarios.md and the tutorial's final scenario pass it; and
# broken scenarios that are still JSON fail it. Every shipped scenario has
# captions. Needs Debian's python3
# with jsonschema (python3-jsonschema); skipped (77) without it.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "no $PY"; exit 77; }
"$PY" -c 'import jsonschema' 2>/dev/null ||
    { echo "python3-jsonschema is not installed"; exit 77; }
"$PY" - <<'PYEOF'
import glob, json, re, sys
import jsonschema

with open("docs/scenario.schema.json", encoding="utf-8") as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
fail = 0

def check(name, doc, want_ok):
    global fail
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if want_ok and errs:
        fail = 1
        print("FAIL %s does not pass the schema:" % name)
        for e in errs[:5]:
            print("    %s: %s" % (e.json_path, e.message[:200]))
    elif not want_ok and not errs:
        fail = 1
        print("FAIL %s passes the schema, but it is broken" % name)

good = sorted(glob.glob("scenarios/*.json")) + ["tests/tutorial/final.json"]
for f in good:
    with open(f, encoding="utf-8") as fh:
        doc = json.load(fh)
    check(f, doc, True)
    # Every lab explains itself: captions, "note" actions or an action's
    # "caption".
    if not doc.get("captions") and not any(
            a.get("do") == "note" or "caption" in a
            for a in doc.get("timeline", [])):
        fail = 1
        print("FAIL %s has no caption" % f)
with open("docs/writing-scenarios.md", encoding="utf-8") as fh:
    blocks = re.findall(r"^```json\n(.*?)^```$", fh.read(), re.S | re.M)
for i, b in enumerate(blocks):
    check("docs/writing-scenarios.md example %d" % (i + 1), json.loads(b), True)
# Broken scenarios whose mistakes a schema can see: unknown keys, wrong
# types, unknown names, missing keys, bad values, captions, checkpoints.
bad = ["09-unknown-key", "10-wrong-types", "13-unknown-names",
       "15-missing-keys", "16-bad-values", "21-action-keys",
       "32-meta-teach", "33-meta-teach-values", "34-captions",
       "35-checkpoints", "36-teach-types"]
for b in bad:
    f = "tests/scenarios-bad/%s.json" % b
    with open(f, encoding="utf-8") as fh:
        check(f, json.load(fh), False)
# One mistake at a time, each on its own, in an otherwise good file.
with open("tests/tutorial/final.json", encoding="utf-8") as fh:
    base = json.load(fh)
mutations = [
    ("an unknown top-level key", lambda d: d.update(colour="red")),
    ("a node without kind", lambda d: d["nodes"][0].pop("kind")),
    ("a misspelt node key", lambda d: d["nodes"][0].update(adress="10.0.0.9")),
    ("a time without unit", lambda d: d["links"][0].update(delay="10")),
    ("an unknown action", lambda d: d["timeline"][0].update(do="ping")),
    ("a caption with a line break", lambda d: d["captions"][0].update(text="a\nb")),
    ("an empty pattern", lambda d: d["captions"][1].update(when={"nth": 2})),
    ("a checkpoint with one choice", lambda d: d["checkpoints"][0].update(choices=["x"])),
    ("an unknown difficulty", lambda d: d["meta"].update(difficulty="easy")),
]
for what, change in mutations:
    d = json.loads(json.dumps(base))
    change(d)
    check("final.json with " + what, d, False)
n = len(good) + len(blocks)
if not fail:
    print("%d scenarios and examples pass the schema; %d broken ones fail it"
          % (n, len(bad) + len(mutations)))
sys.exit(fail)
PYEOF
