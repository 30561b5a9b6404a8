#!/usr/bin/env python3
"""Fails, naming the module and the file that imports it, when a test or test script imports a
module that no line of Tests/requirements.txt provides. Run it with the interpreter of the
virtual environment made from that file (scripts/test does, before anything is built or
started): a module is "provided" when an installed distribution named in the file ships it.

    .venv-test/bin/python Tests/check_requirements.py [--requirements FILE]

What is scanned: every .py file under Tests/, every Python script under scripts/, and the
`python3 -c "import …"` / `python3 -m …` strings in the Swift tests. The standard library and
the tests' own modules (files and packages beside the importer, or anywhere under Tests/ and
scripts/) are always allowed.
"""
import argparse
import ast
import importlib.metadata
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions(path):
    names = set()
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*[^\s;]+$", line)
            if not match:
                sys.exit(f"{path}:{number}: not a pinned requirement (NAME==VERSION): {line}")
            names.add(normalise(match.group(1)))
    return names


def python_sources():
    """(path, text) of every Python file the tests run."""
    for top in ("Tests", "scripts"):
        for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in sorted(files):
                path = os.path.join(folder, name)
                if name.endswith(".py"):
                    yield path
                elif top == "scripts" and "." not in name:
                    with open(path, "rb") as f:
                        first = f.readline()
                    if first.startswith(b"#!") and b"python" in first:
                        yield path


def own_modules():
    """Names the tests import from each other: every .py file and package under Tests/ and scripts/."""
    names = set()
    for top in ("Tests", "scripts"):
        for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
            names.update(d for d in dirs)
            names.update(f[:-3] for f in files if f.endswith(".py"))
    return names


def imports_of_python(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


SWIFT_PYTHON = re.compile(r'(?:\bimport\s+([A-Za-z_]\w*)|"-m",\s*"([A-Za-z_]\w*))')


def imports_of_swift(path):
    """Modules named in the Python snippets a Swift test runs (`python3 -c "import x"`, `-m x`)."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            for quoted in re.findall(r'"((?:[^"\\]|\\.)*)"', line):
                for match in re.finditer(r"\bimport\s+([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*(?:\s+as\s+\w+)?)*)", quoted):
                    for part in match.group(1).split(","):
                        yield number, part.strip().split(" ")[0].split(".")[0]
            for match in re.finditer(r'"-m",\s*"([A-Za-z_][\w.]*)"', line):
                yield number, match.group(1).split(".")[0]


def swift_test_sources():
    for folder, dirs, files in os.walk(os.path.join(ROOT, "Tests")):
        for name in sorted(files):
            if name.endswith(".swift"):
                yield os.path.join(folder, name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requirements", default=os.path.join(ROOT, "Tests", "requirements.txt"))
    args = parser.parse_args()

    declared = declared_distributions(args.requirements)
    provided = {module for module, dists in importlib.metadata.packages_distributions().items()
                if any(normalise(d) in declared for d in dists)}
    allowed = set(sys.stdlib_module_names) | own_modules() | {"__future__"}

    found = [(path, line, module) for path in python_sources() for line, module in imports_of_python(path)]
    found += [(path, line, module) for path in swift_test_sources() for line, module in imports_of_swift(path)]
    missing = sorted({(module, os.path.relpath(path, ROOT), line) for path, line, module in found
                      if module not in allowed and module not in provided})
    if missing:
        requirements = os.path.relpath(args.requirements, ROOT)
        for module, path, line in missing:
            print(f"{path}:{line}: imports “{module}”, which no line of {requirements} provides", file=sys.stderr)
        print(f"Add the distribution that provides each module to {requirements}, pinned (NAME==VERSION).", file=sys.stderr)
        return 1
    print(f"check_requirements: {len(found)} imports in the tests, all provided by {os.path.relpath(args.requirements, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
