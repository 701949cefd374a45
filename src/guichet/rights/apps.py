from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "guichet.rights"
    label = "rights"
