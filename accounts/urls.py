from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/signup", views.signup, name="signup"),
    path("accounts/login", views.login, name="login"),
    path("accounts/logout", views.logout, name="logout"),
    path("accounts/password", views.password_change, name="password_change"),
    path("me/games", views.my_games, name="my_games"),
    path("me", views.profile, name="profile"),
]
