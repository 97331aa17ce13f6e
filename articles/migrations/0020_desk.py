"""The member's desk (issue 17): follows, bookmarks, read marks, digests sent, and each reader's
desk settings; an index on when articles were stored (what is new since a visit)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0019_list_copies'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Bookmark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name='Desk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('visited_at', models.DateTimeField(blank=True, help_text='Their last visit to the desk: what is new is newer.', null=True)),
                ('digest', models.CharField(choices=[('none', 'No digest'), ('daily', 'Daily'), ('weekly', 'Weekly')], default='none', max_length=10)),
                ('time_zone', models.CharField(default='UTC', help_text="Their digests' days start at midnight here.", max_length=64)),
                ('reply_emails', models.BooleanField(default=True, help_text='Mail them replies to their comments.')),
                ('feed_token', models.CharField(help_text="The secret in their private feed's URL (new_feed_token).", max_length=64, unique=True)),
                ('alerted_at', models.DateTimeField(blank=True, help_text='When their last alert was mailed.', null=True)),
            ],
        ),
        migrations.CreateModel(
            name='DigestSent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(choices=[('none', 'No digest'), ('daily', 'Daily'), ('weekly', 'Weekly')], max_length=10)),
                ('starts_on', models.DateField(help_text="The first day of the period, in the member's time zone.")),
                ('claimed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('articles', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='Follow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('country', 'Country'), ('pair', 'Two countries'), ('actor', 'Actor'), ('story', 'Story'), ('search', 'Search'), ('thread', 'Discussion')], max_length=10)),
                ('key', models.CharField(max_length=600)),
                ('label', models.CharField(max_length=300)),
                ('alert', models.BooleanField(default=False, help_text='Mail them its new articles as they come (stories, searches).')),
                ('alerted_up_to', models.DateTimeField(blank=True, help_text='Articles stored up to this have been alerted.', null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReadMark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('read_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['created_at'], name='article_stored'),
        ),
        migrations.AddField(
            model_name='bookmark',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article'),
        ),
        migrations.AddField(
            model_name='bookmark',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='bookmarks', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='desk',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='desk', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='digestsent',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='follow',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='follows', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='readmark',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article'),
        ),
        migrations.AddField(
            model_name='readmark',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='read_marks', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='bookmark',
            index=models.Index(models.F('user'), models.OrderBy(models.F('created_at'), descending=True), name='bookmark_newest'),
        ),
        migrations.AddConstraint(
            model_name='bookmark',
            constraint=models.UniqueConstraint(fields=('user', 'article'), name='bookmark_unique'),
        ),
        migrations.AddIndex(
            model_name='desk',
            index=models.Index(condition=models.Q(('digest', 'none'), _negated=True), fields=['digest'], name='desk_digest'),
        ),
        migrations.AddConstraint(
            model_name='desk',
            constraint=models.CheckConstraint(condition=models.Q(('digest__in', ['none', 'daily', 'weekly'])), name='desk_digest_valid'),
        ),
        migrations.AddConstraint(
            model_name='digestsent',
            constraint=models.UniqueConstraint(fields=('user', 'period', 'starts_on'), name='digest_once_per_period'),
        ),
        migrations.AddIndex(
            model_name='follow',
            index=models.Index(condition=models.Q(('alert', True)), fields=['alert'], name='follow_alerting'),
        ),
        migrations.AddConstraint(
            model_name='follow',
            constraint=models.UniqueConstraint(fields=('user', 'kind', 'key'), name='follow_unique'),
        ),
        migrations.AddConstraint(
            model_name='follow',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['country', 'pair', 'actor', 'story', 'search', 'thread'])), name='follow_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='follow',
            constraint=models.CheckConstraint(condition=models.Q(('alert', False), ('kind__in', ['story', 'search']), _connector='OR'), name='follow_alert_kinds'),
        ),
        migrations.AddIndex(
            model_name='readmark',
            index=models.Index(models.F('user'), models.OrderBy(models.F('read_at'), descending=True), name='read_mark_newest'),
        ),
        migrations.AddConstraint(
            model_name='readmark',
            constraint=models.UniqueConstraint(fields=('user', 'article'), name='read_mark_unique'),
        ),
    ]
