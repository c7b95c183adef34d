from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "advisor.web.assessments"
    label = "assessments"
