"""Parses HTML pages with Python's HTML parser and reports anything that came from input.

Usage: python3 html_check.py MARKER FILE.html [FILE.html ...]
Prints JSON: {"FILE": ["problem", ...], ...} for the files with problems. A problem is an
element or attribute whose name contains MARKER, an event-handler attribute (on…), a
script without src, or a URL attribute whose value starts with "javascript:".
"""
import json
import sys
from html.parser import HTMLParser


class Checker(HTMLParser):
    def __init__(self, marker):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if self.marker in tag:
            self.problems.append(f"element <{tag}>")
        names = [name for name, _ in attrs]
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        for name, value in attrs:
            if self.marker in name:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def main(marker, paths):
    report = {}
    for path in paths:
        checker = Checker(marker)
        with open(path, encoding="utf-8") as f:
            checker.feed(f.read())
        checker.close()
        if checker.problems:
            report[path] = checker.problems
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
