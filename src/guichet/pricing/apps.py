from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "guichet.pricing"
    label = "pricing"
