from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "langso.accounts"
    verbose_name = "Tài khoản / Accounts"
