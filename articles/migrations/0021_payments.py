"""Paid membership on Stripe (issue 18): subscriptions, the events Stripe sent, gifts, metered reads,
and when a trial member was mailed the plans."""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0020_desk'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='reminded_at',
            field=models.DateTimeField(blank=True, help_text='When a trial member was mailed the plans.', null=True),
        ),
        migrations.CreateModel(
            name='Gift',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(help_text='The secret in its link.', max_length=64, unique=True)),
                ('recipient_email', models.EmailField(max_length=254)),
                ('months', models.PositiveSmallIntegerField(choices=[(3, '3 months'), (6, '6 months'), (12, '12 months')])),
                ('amount', models.PositiveIntegerField(help_text="Paid, in the currency's smallest unit.")),
                ('currency', models.CharField(max_length=3)),
                ('payment_intent_id', models.CharField(blank=True, db_index=True, max_length=255)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('paid_at', models.DateTimeField(blank=True, null=True)),
                ('redeemed_at', models.DateTimeField(blank=True, null=True)),
                ('buyer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='gifts_bought', to=settings.AUTH_USER_MODEL)),
                ('redeemed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='gifts_redeemed', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Subscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('customer_id', models.CharField(max_length=255, unique=True)),
                ('subscription_id', models.CharField(blank=True, db_index=True, max_length=255)),
                ('plan', models.CharField(blank=True, help_text='monthly or yearly', max_length=20)),
                ('status', models.CharField(blank=True, help_text="Stripe's: active, past_due, canceled, …", max_length=30)),
                ('current_period_start', models.DateTimeField(blank=True, null=True)),
                ('current_period_end', models.DateTimeField(blank=True, null=True)),
                ('cancel_at_period_end', models.BooleanField(default=False)),
                ('past_due_since', models.DateTimeField(blank=True, help_text='When we first saw a renewal fail.', null=True)),
                ('amount', models.PositiveIntegerField(default=0, help_text="Each renewal, in the currency's smallest unit.")),
                ('currency', models.CharField(blank=True, max_length=3)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='subscription', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='MeteredRead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month it counts in.')),
                ('read_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('user', 'month', 'article'), name='metered_read_once_a_month')],
            },
        ),
        migrations.CreateModel(
            name='StripeEvent',
            fields=[
                ('id', models.CharField(max_length=255, primary_key=True, serialize=False)),
                ('type', models.CharField(max_length=100)),
                ('created', models.DateTimeField(help_text='When Stripe made it.')),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('payload', models.JSONField()),
                ('subscription', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='articles.subscription')),
            ],
            options={
                'indexes': [models.Index(fields=['subscription', '-created'], name='stripe_event_subscription')],
            },
        ),
    ]
