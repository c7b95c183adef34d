from django.urls import path

from .accounts import views as accounts
from .assessments import views as rounds
from .bodies import views as bodies
from .portfolio import views as portfolio
from .progress import views as progress

urlpatterns = [
    path("", bodies.home, name="home"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("language/", accounts.language_view, name="language"),
    path("bodies/<str:slug>/", bodies.body_view, name="body"),
    path("bodies/<str:slug>/rounds/new/", bodies.new_round, name="new_round"),
    path("bodies/<str:slug>/import/", bodies.import_view, name="import"),
    path("bodies/<str:slug>/progress/", progress.progress_view, name="progress"),
    path("bodies/<str:slug>/progress/export/", progress.export_view, name="progress_export"),
    path("bodies/<str:slug>/progress/import/", progress.import_view, name="progress_import"),
    path("bodies/<str:slug>/progress/actions/<str:action>/", progress.action_view, name="progress_action"),
    path("rounds/<int:pk>/", rounds.round_view, name="round"),
    path("rounds/<int:pk>/answers/<str:criterion>/", rounds.answer_view, name="answer"),
    path("rounds/<int:pk>/meta/", rounds.meta_view, name="meta"),
    path("rounds/<int:pk>/submit/", rounds.submit_view, name="submit"),
    path("rounds/<int:pk>/finalise/", rounds.finalise_view, name="finalise"),
    path("rounds/<int:pk>/reopen/", rounds.reopen_view, name="reopen"),
    path("rounds/<int:pk>/next/", rounds.next_round_view, name="next_round"),
    path("rounds/<int:pk>/results/", rounds.results_view, name="results"),
    path("rounds/<int:pk>/explain/<str:item>/", rounds.explain_view, name="explain"),
    path("rounds/<int:pk>/download/<str:fmt>/", rounds.download_view, name="download"),
    path("rounds/<int:pk>/history/", rounds.history_view, name="history"),
    path("portfolio/", portfolio.portfolio_view, name="portfolio"),
    path("portfolio/export/<str:fmt>/", portfolio.export_view, name="portfolio_export"),
]
