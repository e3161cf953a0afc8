#!/usr/bin/env python3
"""An independent, deliberately naive reference for `mhwopt run`.

It shares no code or data structures with the C++ implementation: it enumerates every combination
with itertools.product, scores each one with exact rational arithmetic (fractions.Fraction, with the
config's decimal numbers taken exactly as written), sorts stably, and writes the original
optimiser's CSV. Exact arithmetic makes ties true ties, so the tie rule (file position, head first)
is tested rather than masked by rounding; the example configs use binary fractions (0.25, 1.5, ...)
so that double precision is exact too and both sides must agree byte for byte.

Usage:
  reference_optimizer.py run EQUIPMENT.csv OUTPUT.csv CONFIG.json [--limit N]
  reference_optimizer.py check-order EQUIPMENT.csv CONFIG.json RESULT.csv
      exit 1 unless RESULT's rows are in non-increasing score order
  reference_optimizer.py same-rows EXPECTED.csv ACTUAL.csv
      exit 1 unless the headers are equal and the rows are the same multiset
Only the Python standard library is used (Debian's python3 is enough).
"""
import csv
import io
import itertools
import json
import sys
from collections import Counter
from fractions import Fraction

PARTS = ["head", "body", "arms", "waist", "legs", "charm"]


class Piece:
    def __init__(self, name, part, skills, slots, defence, position):
        self.name = name
        self.part = part
        self.skills = skills      # list of (skill name, level), as listed
        self.slots = slots        # 4 ints; zero for charms
        self.defence = defence    # zero for charms
        self.position = position  # index within its part, in file order


def decode(raw):
    """UTF-8 (BOM optional), else Windows-1252, as the issue specifies."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def read_equipment(path):
    with open(path, "rb") as f:
        text = decode(f.read())
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    by_part = {p: [] for p in PARTS}
    for row in rows[1:]:
        if len(row) != 11:
            raise SystemExit("%s: a row with %d cells: %r" % (path, len(row), row))
        name, s1, l1, s2, l2 = row[0:5]
        part = row[9].strip().lower()
        if part not in by_part:
            raise SystemExit("%s: unknown body part %r" % (path, row[9]))
        skills = []
        # An empty skill name means no skill there, whatever the level cell holds.
        if s1.strip():
            skills.append((s1, int(l1)))
        if s2.strip():
            skills.append((s2, int(l2)))
        if part == "charm":
            slots, defence = [0, 0, 0, 0], 0  # charms add skills only
        else:
            slots, defence = [int(c) for c in row[5:9]], int(row[10])
        by_part[part].append(Piece(name, part, skills, slots, defence, len(by_part[part])))
    return by_part


def read_config(path):
    with open(path, "rb") as f:
        raw = json.loads(decode(f.read()), parse_float=Fraction, parse_int=Fraction)
    one = Fraction(1)
    decos = raw.get("decorations", {})
    skills = {}
    for name, rule in raw.get("skills", {}).items():
        skills[name] = (rule.get("max", one), rule.get("weight", one), rule.get("penalty", one))
    return {
        "deco": [decos.get("deco_%d" % level, one) for level in (1, 2, 3, 4)],
        "num_decos": decos.get("num_decos", one),
        "defence": raw.get("defence", one),
        "limit": int(raw.get("limit", one)),
        "skills": skills,
    }


def totals(combination):
    slots = [sum(p.slots[level] for p in combination) for level in range(4)]
    defence = sum(p.defence for p in combination)
    levels = {}
    for piece in combination:
        for name, level in piece.skills:
            levels[name] = levels.get(name, 0) + level
    return slots, defence, levels


def score(config, combination):
    slots, defence, levels = totals(combination)
    value = sum(s * w for s, w in zip(slots, config["deco"]))
    value += sum(slots) * config["num_decos"]
    value += defence * config["defence"]
    for name, level in levels.items():
        if name in config["skills"]:
            cap, weight, penalty = config["skills"][name]
            value += level * (penalty if level > cap else weight)
        else:
            value += level  # a skill the config does not name weighs 1.0
    return value


def capitalize_words(text):
    # The original's header rule: str.capitalize on each space-separated word.
    return " ".join(word.capitalize() for word in text.split(" "))


def field(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_results(path, rows):
    skills = sorted({name for combination in rows for piece in combination for name, _ in piece.skills})
    header = ["Head", "Body", "Arms", "Waist", "Legs", "Charm"] + [capitalize_words(s) for s in skills]
    header += ["Lvl %d Decoration Slot" % level for level in (1, 2, 3, 4)] + ["Defence"]
    lines = [",".join(field(h) for h in header)]
    for combination in rows:
        slots, defence, levels = totals(combination)
        cells = [p.name for p in combination] + [str(levels.get(s, 0)) for s in skills]
        cells += [str(s) for s in slots] + [str(defence)]
        lines.append(",".join(field(c) for c in cells))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join(line + "\n" for line in lines))


def run(equipment_path, output_path, config_path, limit=None):
    by_part = read_equipment(equipment_path)
    config = read_config(config_path)
    if limit is None:
        limit = config["limit"]
    # product() yields in the original's nesting order (head outermost, file order within a part),
    # and sorted() is stable, so equal scores keep that order.
    scored = [(score(config, c), c) for c in itertools.product(*(by_part[p] for p in PARTS))]
    scored.sort(key=lambda sc: sc[0], reverse=True)
    write_results(output_path, [c for _, c in scored[:limit]])


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def check_order(equipment_path, config_path, result_path):
    by_part = read_equipment(equipment_path)
    config = read_config(config_path)
    lookup = {(p.part, p.name): p for part in PARTS for p in by_part[part]}
    rows = read_csv(result_path)[1:]
    scores = [score(config, [lookup[(part, name)] for part, name in zip(PARTS, row[:6])]) for row in rows]
    for i in range(1, len(scores)):
        if scores[i] > scores[i - 1]:
            print("%s: row %d scores %s, more than row %d's %s" % (result_path, i + 2, float(scores[i]), i + 1,
                                                                   float(scores[i - 1])), file=sys.stderr)
            return 1
    return 0


def same_rows(expected_path, actual_path):
    expected, actual = read_csv(expected_path), read_csv(actual_path)
    if not expected or not actual or expected[0] != actual[0]:
        print("headers differ:\n  %s\n  %s" % (expected[:1], actual[:1]), file=sys.stderr)
        return 1
    e, a = Counter(map(tuple, expected[1:])), Counter(map(tuple, actual[1:]))
    if e != a:
        print("rows differ; only expected: %s; only actual: %s" % (list(e - a), list(a - e)), file=sys.stderr)
        return 1
    return 0


def main(argv):
    if len(argv) >= 4 and argv[0] == "run":
        limit = None
        if len(argv) == 6 and argv[4] == "--limit":
            limit = int(argv[5])
        elif len(argv) != 4:
            raise SystemExit(__doc__)
        run(argv[1], argv[2], argv[3], limit)
        return 0
    if len(argv) == 4 and argv[0] == "check-order":
        return check_order(argv[1], argv[2], argv[3])
    if len(argv) == 3 and argv[0] == "same-rows":
        return same_rows(argv[1], argv[2])
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
