from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "guichet.letters"
    label = "letters"
