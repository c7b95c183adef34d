from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "advisor.web.progress"
    label = "progress"
