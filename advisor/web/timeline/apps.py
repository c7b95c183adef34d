from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "advisor.web.timeline"
    label = "timeline"
