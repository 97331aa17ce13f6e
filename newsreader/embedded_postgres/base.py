"""Django's PostgreSQL backend, pointed at the embedded server, which it starts on first use."""

from django.db.backends.postgresql import base

from newsreader import embedded


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        if not self.settings_dict["HOST"]:
            # Test databases live on the same server; Django names and creates them itself.
            self.settings_dict["HOST"] = embedded.socket_dir()
        return super().get_connection_params()
