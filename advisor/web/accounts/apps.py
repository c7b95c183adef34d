from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "advisor.web.accounts"
    label = "accounts"
