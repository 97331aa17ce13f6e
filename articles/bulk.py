"""Writing many new rows at once with PostgreSQL's COPY: several times cheaper than an INSERT
built by the ORM (`bulk_create` spends more Python building its statement than COPY takes: docs/performance.md).

Rows are written as they are, with no ORM defaults, signals or conflict handling: a row the
database refuses (a unique key, a NUL character) fails the whole COPY with a DatabaseError, like
a failed `bulk_create`, and the caller's transaction decides what happens next.
"""

from collections.abc import Iterable, Sequence

from django.db import connection

from . import contentversion


def new_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys from the table's identity sequence, so that rows written by
    COPY (which returns nothing) can be referred to at once."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY `rows` (tuples in the order of `columns`, which are column names) into the model's table."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    contentversion.wrote(model._meta.db_table)
