import math

from django.db import migrations, models


def reading_minutes(*texts):
    """The rule as it stood when this migration was written: migrations must not import app code,
    which changes after them (articles/readingtime.py is the living one)."""
    return max(1, math.ceil(sum(len(text.split()) for text in texts) / 230))


def fill_reading_minutes(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    batch = []
    for article in Article.objects.only("free_text", "members_text").iterator(chunk_size=2000):
        article.reading_minutes = reading_minutes(article.free_text, article.members_text)
        batch.append(article)
        if len(batch) == 2000:
            Article.objects.bulk_update(batch, ["reading_minutes"])
            batch = []
    Article.objects.bulk_update(batch, ["reading_minutes"])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_login_throttle"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="reading_minutes",
            field=models.PositiveSmallIntegerField(default=1, help_text="Minutes to read the whole text, worked out at import."),
        ),
        migrations.RunPython(fill_reading_minutes, migrations.RunPython.noop),
    ]
