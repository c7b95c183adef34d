from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "advisor.web.bodies"
    label = "bodies"
