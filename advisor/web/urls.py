from django.urls import path

from .accounts import views as accounts
from .assessments import views as rounds
from .bodies import views as bodies
from .jobs import views as jobs
from .people import views as people
from .portfolio import views as portfolio
from .progress import views as progress
from .timeline import views as timeline

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
    path("rounds/<int:pk>/outcomes/", rounds.outcomes_view, name="outcomes"),
    path("rounds/<int:pk>/submit/", rounds.submit_view, name="submit"),
    path("rounds/<int:pk>/finalise/", rounds.finalise_view, name="finalise"),
    path("rounds/<int:pk>/reopen/", rounds.reopen_view, name="reopen"),
    path("rounds/<int:pk>/next/", rounds.next_round_view, name="next_round"),
    path("rounds/<int:pk>/results/", rounds.results_view, name="results"),
    path("rounds/<int:pk>/explain/<str:item>/", rounds.explain_view, name="explain"),
    path("rounds/<int:pk>/download/<str:fmt>/", rounds.download_view, name="download"),
    path("rounds/<int:pk>/history/", rounds.history_view, name="history"),
    # managing bodies, users and roles (issue 16)
    path("manage/", people.manage_view, name="manage"),
    path("manage/bodies/new/", people.new_body_view, name="new_body"),
    path("manage/users/new/", people.new_user_view, name="new_user"),
    path("manage/users/<int:pk>/role/", people.user_role_view, name="user_role"),
    path("manage/users/<int:pk>/link/", people.user_link_view, name="user_link"),
    path("bodies/<str:slug>/people/", people.people_view, name="people"),
    path("bodies/<str:slug>/people/add/", people.add_member_view, name="add_member"),
    path("bodies/<str:slug>/people/<int:user_pk>/remove/", people.remove_member_view, name="remove_member"),
    path("bodies/<str:slug>/engagements/add/", people.add_engagement_view, name="add_engagement"),
    path("bodies/<str:slug>/engagements/<int:pk>/end/", people.end_engagement_view, name="end_engagement"),
    path("accounts/set-password/<str:uidb64>/<str:token>/", people.set_password_view, name="set_password"),
    path("portfolio/", portfolio.portfolio_view, name="portfolio"),
    path("portfolio/export/<str:fmt>/", portfolio.export_view, name="portfolio_export"),
    path("bodies/<str:slug>/timeline/", timeline.timeline_view, name="timeline"),
    path("bodies/<str:slug>/timeline/recompute/<int:number>/", timeline.recompute_view, name="timeline_recompute"),
    path("knowledge-base/", jobs.kb_view, name="kb_page"),
    path("knowledge-base/impact/", jobs.impact_view, name="kb_impact"),
    path("knowledge-base/recompute/", jobs.recompute_view, name="kb_recompute"),
    path("jobs/<int:pk>/", jobs.job_view, name="job"),
    path("jobs/<int:pk>/status/", jobs.job_status_view, name="job_status"),
]
