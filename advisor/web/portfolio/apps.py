from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "advisor.web.portfolio"
    label = "portfolio"
