from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "advisor.web.people"
    label = "people"
