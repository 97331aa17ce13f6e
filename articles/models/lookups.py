"""Lookups the models' queries use, registered when the models load."""

from django.db.models import IntegerField, Lookup


@IntegerField.register_lookup
class AnyOf(Lookup):
    """`id__any=[...]`: `id = ANY(%s)`, the list sent as one array. With `__in`, 300 candidate ids
    made 300 parameters in each of the count and page queries: Django resolved every one, and
    psycopg parsed the long SQL anew each time (too long for its cache): see docs/performance.md."""

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
