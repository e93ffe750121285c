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
    path("matches/<str:match_id>/rematch", views.match_rematch, name="rematch"),
    path("matches/<str:match_id>/export", views.match_export, name="export"),
    # The chess download's first address, kept for links people saved.
    path("matches/<str:match_id>/pgn", views.match_export, name="pgn"),
    path("matches/<str:match_id>/transcripts/<str:log_key>", views.match_transcript, name="transcript"),
    path("api/games", api_views.games_list, name="api_games"),
    path("api/matches", api_views.matches_create, name="api_matches"),
    path("api/matches/<str:match_id>", api_views.match_detail, name="api_match"),
    path("api/matches/<str:match_id>/moves", api_views.match_moves, name="api_moves"),
]
