from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "advisor.web.jobs"
    label = "jobs"
