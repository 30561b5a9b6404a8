"""The system tests make PostgreSQL databases of their own (dvk_two_…, dvk_mail_…, dvk_ops_…,
dvk_rush_…, dvk_fuzz_…): whatever this session made is dropped when it ends, so that runs on
one machine do not pile them up."""
import os
import re
import subprocess

import pytest

PG = os.environ.get("DVK_TEST_POSTGRES_URL")
SCRATCH = re.compile(r"^dvk_(two|mail|ops|rush|fuzz|accounts_mail)_[0-9]+$")


def scratch_databases(admin):
    listed = subprocess.run(["psql", admin, "-Atc", "SELECT datname FROM pg_database"], capture_output=True, text=True)
    return {name for name in listed.stdout.split() if SCRATCH.match(name)}


@pytest.fixture(scope="session", autouse=True)
def drop_scratch_databases():
    if not PG:
        yield
        return
    admin = PG.rsplit("/", 1)[0] + "/postgres"
    before = scratch_databases(admin)
    yield
    for name in sorted(scratch_databases(admin) - before):
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)
