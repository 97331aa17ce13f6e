from django.db import migrations


class Migration(migrations.Migration):
    """The content version the page cache keys on (articles/pagecache.py): a sequence, so that
    bumping it takes no row lock and concurrent imports never wait on each other."""

    dependencies = [("articles", "0007_import_run")]

    operations = [
        migrations.RunSQL(
            # Drawn once, so that last_value changes with the first bump too.
            "CREATE SEQUENCE articles_content_version; SELECT nextval('articles_content_version')",
            "DROP SEQUENCE articles_content_version",
        ),
    ]
