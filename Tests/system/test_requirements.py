"""The import check that scripts/test runs first: it must name a module the file stops providing."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(ROOT, "Tests", "check_requirements.py")
REQUIREMENTS = os.path.join(ROOT, "Tests", "requirements.txt")


def check(lines):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.writelines(lines)
    try:
        return subprocess.run([sys.executable, CHECK, "--requirements", f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)


def test_the_file_as_committed_provides_every_import():
    with open(REQUIREMENTS) as f:
        result = check(f.readlines())
    assert result.returncode == 0, result.stderr


def test_a_line_removed_names_the_module_and_the_importer():
    with open(REQUIREMENTS) as f:
        lines = f.readlines()
    for removed, module, importer in [("pillow==", "PIL", "Tests/browser/test_year.py"),
                                      ("openapi-spec-validator==", "openapi_spec_validator", "Tests/DVKAppTests/OpenAPITests.swift"),
                                      ("prometheus_client==", "prometheus_client", "Tests/system/test_operations.py")]:
        result = check([line for line in lines if not line.startswith(removed)])
        assert result.returncode == 1
        assert f"{importer}:" in result.stderr and f"“{module}”" in result.stderr, result.stderr


def test_an_unpinned_line_is_refused():
    result = check(["pytest\n"])
    assert result.returncode != 0
    assert "not a pinned requirement" in result.stderr
