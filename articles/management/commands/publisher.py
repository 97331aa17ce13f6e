"""`manage.py publisher set "NAME" --country CC [--language LL] [--description TEXT]`."""

from django.core.management.base import BaseCommand, CommandError

from articles.actions.stories import set_home
from articles.models import Source


class Command(BaseCommand):
    help = "Set a publisher's home country (ISO 3166 alpha-2), language (ISO 639-1) and description."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["set"])
        parser.add_argument("name", help="the publisher's name, exactly as stored")
        parser.add_argument("--country", default="", help="ISO 3166 alpha-2 code, e.g. KE")
        parser.add_argument("--language", default="", help="ISO 639-1 code, e.g. en")
        parser.add_argument("--description", default=None, help="one line about the outlet")

    def handle(self, *, action, name, country, language, description, **options):
        source = Source.objects.filter(name=name).first()
        if source is None:
            raise CommandError(f"No publisher named {name!r}.")
        if not (country or language or description is not None):
            raise CommandError("Give --country, --language or --description.")
        try:
            set_home(source, country=country, language=language, description=description)
        except ValueError as error:
            raise CommandError(f"The {error}.") from None
        home = ", ".join(filter(None, [source.country_id and source.country_id.upper(), source.language]))
        self.stdout.write(f"{source.name}: {home or 'no home set'}")
