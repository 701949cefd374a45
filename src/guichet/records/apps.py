from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "guichet.records"
    label = "records"
