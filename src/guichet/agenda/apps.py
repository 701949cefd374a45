from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "guichet.agenda"
    label = "agenda"
