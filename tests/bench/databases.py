"""The bench's own databases on the project's PostgreSQL server, and manage.py against them."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def server_url() -> str:
    """The PostgreSQL server to use: DATABASE_URL's, else the embedded one in .pgdata/."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from newsreader import embedded

    return f"postgres://{embedded.USER}@{quote(embedded.socket_dir(), safe='')}/{embedded.DBNAME}"


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(server_url())._replace(path=f"/{name}"))


def fresh_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(db: str, **extra) -> dict:
    return os.environ | {"DATABASE_URL": database_url(db), "PYTHONUNBUFFERED": "1"} | extra


def manage(db: str, *args: str, **env) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(db, **env), check=True, capture_output=True, text=True
    ).stdout
