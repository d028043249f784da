import pytest

pytestmark = pytest.mark.django_db


def test_argon2id_is_the_first_password_hasher(production_hashers):
    assert production_hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_new_password_is_stored_as_an_argon2id_hash(client, production_hashers):
    client.post(
        "/accounts/signup/",
        {
            "email": "h@example.org",
            "display_name": "H",
            "password1": "an-Unusual-pass-99",
            "password2": "an-Unusual-pass-99",
        },
    )
    from seedbed.accounts.models import User

    stored = User.objects.get(email="h@example.org").password
    assert stored.startswith("argon2$argon2id$")
