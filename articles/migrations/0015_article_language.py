"""Each article's language (issue 15): stored, detected for the articles already there, and the
search vectors built in it (models/search.py), with pairs of letters for Chinese, Japanese and
Korean. The old vectors go first, so that filling in the languages does not recompute them."""

import articles.models.articles
import articles.models.search
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

# The letters of models/search.py's BIGRAM_LETTERS (a test holds the two to the same ranges).
BIGRAMS_SQL = r"""
CREATE FUNCTION article_search_bigrams(body text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT coalesce(string_agg(substr(run.letters[1], i, 2), ' ' ORDER BY run.n, i), '')
  FROM regexp_matches(
         body,
         '[\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+',
         'g'
       ) WITH ORDINALITY AS run(letters, n),
       generate_series(1, greatest(char_length(run.letters[1]) - 1, 1)) AS i;
END;
COMMENT ON FUNCTION article_search_bigrams(text) IS
  'Runs of Chinese, Japanese and Korean letters as overlapping pairs (中国与越南 → 中国 国与 与越 越南), for the search vectors';
"""


def detect_languages(apps, schema_editor):
    """The articles imported before languages were known: detected from their text."""
    from articles import languages

    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias).only("title", "dek", "free_text").order_by("pk")
    batch = []
    for article in articles.iterator(chunk_size=1000):
        article.language = languages.detect(article.title, article.dek, article.free_text)
        article.language_detected = True
        batch.append(article)
        if len(batch) == 1000:
            Article.objects.bulk_update(batch, ["language", "language_detected"])
            batch = []
    Article.objects.bulk_update(batch, ["language", "language_detected"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_mail_requests_and_trials'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='article', name='article_search_public'),
        migrations.RemoveIndex(model_name='article', name='article_search_members'),
        migrations.RemoveField(model_name='article', name='search_public'),
        migrations.RemoveField(model_name='article', name='search_members'),
        migrations.AddField(
            model_name='article',
            name='language',
            field=models.CharField(default='en', help_text='The language it is written in, as a BCP 47 tag (en, ru, ar, zh-Hant, pt-BR): its pages, search and tagging follow it.', max_length=35, validators=[articles.models.articles.validate_language]),
        ),
        migrations.AddField(
            model_name='article',
            name='language_detected',
            field=models.BooleanField(default=False, help_text="Detected from the text: its input did not say (an editor's choice is kept on re-import)."),
        ),
        migrations.RunPython(detect_languages, migrations.RunPython.noop),
        migrations.RunSQL(BIGRAMS_SQL, "DROP FUNCTION article_search_bigrams(text)"),
        migrations.AddField(
            model_name='article',
            name='search_public',
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector('title', config=articles.models.search.LanguageSearchConfig(), weight='A'), '||', django.contrib.postgres.search.SearchVector('dek', config=articles.models.search.LanguageSearchConfig(), weight='B'), articles.models.search.LanguageSearchConfig()), '||', django.contrib.postgres.search.SearchVector('free_text', config=articles.models.search.LanguageSearchConfig(), weight='C'), articles.models.search.LanguageSearchConfig()), '||', articles.models.search.BigramVector(('title', 'A'), ('dek', 'B'), ('free_text', 'C')), articles.models.search.LanguageSearchConfig()), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='article',
            name='search_members',
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector('members_text', config=articles.models.search.LanguageSearchConfig(), weight='D'), '||', articles.models.search.BigramVector(('members_text', 'D')), articles.models.search.LanguageSearchConfig()), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name='article',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_public'], name='article_search_public'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_members'], name='article_search_members'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['language'], name='article_language'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('language__regex', '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$')), name='article_language_is_a_tag'),
        ),
    ]
