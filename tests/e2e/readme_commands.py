"""Prints, one a line, as written, every command the README shows that runs mhwopt or the sqlite3 shell: lines of
its indented code blocks, backslash continuations joined, `&&` chains split, comments dropped."""
import shlex
import sys


def without_comment(text):
    """The text before an unquoted '#' that starts a word."""
    quote = None
    for i, c in enumerate(text):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or text[i - 1].isspace()):
            return text[:i].rstrip()
    return text


lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
commands = []
pending = ""
for line in lines:
    if not line.startswith("    "):
        pending = ""
        continue
    text = line.strip()
    if text.endswith("\\"):
        pending += text[:-1] + " "
        continue
    text, pending = pending + text, ""
    for part in text.split(" && "):
        part = without_comment(part.strip())
        words = shlex.split(part)
        if words and words[0] in ("build/mhwopt", "sqlite3"):
            commands.append(part)
print("\n".join(commands))
