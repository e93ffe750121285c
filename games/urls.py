from django.urls import path

from games import api_views, views

app_name = "games"

urlpatterns = [
    path("", views.home, name="home"),
    path("matches/new", views.new_match, name="new"),
    path("matches/<str:match_id>/", views.match_detail, name="match"),
    path("matches/<str:match_id>/live", views.match_live, name="live"),
    path("matches/<str:match_id>/move", views.match_move, name="move"),
    path("matches/<str:match_id>/resign", views.match_resign, name="resign"),
    path("matches/<str:match_id>/join", views.match_join, name="join"),
    path("matches/<str:match_id>/claim-draw", views.match_claim_draw, name="claim_draw"),
    path("matches/<str:match_id>/pgn", views.match_pgn, name="pgn"),
    path("matches/<str:match_id>/transcripts/<str:log_key>", views.match_transcript, name="transcript"),
    path("api/matches/<str:match_id>", api_views.match_detail, name="api_match"),
    path("api/matches/<str:match_id>/moves", api_views.match_moves, name="api_moves"),
]
