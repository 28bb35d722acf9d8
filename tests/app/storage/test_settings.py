"""Storage settings and the secrets folder, checked when the configuration loads."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config
from tests.production_keys import PRODUCTION_KEYS

PRODUCTION = {
    "PORTAL_ENV": "production",
    "PORTAL_BASE_URL": "https://portal.dueren.example",
    "SMTP_HOST": "mail.dueren.example",
    "VAPID_SUB": "mailto:it@stadt-dueren.de",
}
SECRET = "q8Zt3vNw2xLp5rT7yU1oK4mJ6hG9fD0sA"


def test_the_default_is_the_instance_folder(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    assert config["PORTAL_STORAGE"] == "local"


def test_an_unknown_backend_stops_the_start(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_config({"PORTAL_INSTANCE": str(tmp_path), "PORTAL_STORAGE": "nfs"})
    assert "PORTAL_STORAGE must be one of local, postgres, s3, got 'nfs'" in str(refused.value)


def test_s3_needs_a_bucket_and_both_halves_of_a_key(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_S3_BUCKET is not set"):
        load_config({"PORTAL_INSTANCE": str(tmp_path), "PORTAL_STORAGE": "s3"})
    with pytest.raises(ConfigError, match="go together"):
        load_config(
            {
                "PORTAL_INSTANCE": str(tmp_path),
                "PORTAL_STORAGE": "s3",
                "PORTAL_S3_BUCKET": "akten",
                "PORTAL_S3_ACCESS_KEY_ID": "AKIA-only-half",
            }
        )
    with pytest.raises(ConfigError, match="PORTAL_S3_ENDPOINT_URL must be an http"):
        load_config(
            {
                "PORTAL_INSTANCE": str(tmp_path),
                "PORTAL_STORAGE": "s3",
                "PORTAL_S3_BUCKET": "akten",
                "PORTAL_S3_ENDPOINT_URL": "minio.intern:9000",
            }
        )


def test_s3_settings_and_the_prefix_as_a_folder(tmp_path):
    config = load_config(
        {
            "PORTAL_INSTANCE": str(tmp_path),
            "PORTAL_STORAGE": "s3",
            "PORTAL_S3_BUCKET": "akten",
            "PORTAL_S3_PREFIX": "portal",
            "PORTAL_S3_ENDPOINT_URL": "https://s3.rechenzentrum.example",
        }
    )
    assert config["PORTAL_S3_BUCKET"] == "akten" and config["PORTAL_S3_PREFIX"] == "portal/"
    # Without keys boto3 finds its own (environment, files, instance role).
    assert config["PORTAL_S3_ACCESS_KEY_ID"] is None


def test_postgres_needs_nothing_more(tmp_path):
    config = load_config({"PORTAL_INSTANCE": str(tmp_path), "PORTAL_STORAGE": "postgres"})
    assert config["PORTAL_STORAGE"] == "postgres"


def _secrets(folder, **values):
    folder.mkdir()
    for name, value in values.items():
        (folder / name).write_text(value + "\n")
    return folder


def test_keys_come_from_the_secrets_folder_after_the_environment(tmp_path):
    secrets = _secrets(
        tmp_path / "secrets",
        SECRET_KEY=SECRET,
        PORTAL_S3_SECRET_ACCESS_KEY="aus-dem-ordner",
        SMTP_PASSWORD="ordner",
    )
    (secrets / "..data").mkdir()  # a mount's own entry is no setting
    env = {
        "PORTAL_INSTANCE": str(tmp_path / "instance"),
        "PORTAL_SECRETS_DIR": str(secrets),
        "SMTP_PASSWORD": "umgebung",
        "PORTAL_STORAGE": "s3",
        "PORTAL_S3_BUCKET": "akten",
        "PORTAL_S3_ACCESS_KEY_ID": "AKIA1",
    }
    config = load_config(env)
    assert config["SECRET_KEY"] == SECRET  # without the line break
    assert config["PORTAL_S3_SECRET_ACCESS_KEY"] == "aus-dem-ordner"
    assert config["SMTP_PASSWORD"] == "umgebung"  # the environment first
    # Nothing generated into the instance folder for a key the folder gives.
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_a_missing_secrets_folder_stops_the_start(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_SECRETS_DIR is not a folder"):
        load_config(
            {"PORTAL_INSTANCE": str(tmp_path), "PORTAL_SECRETS_DIR": str(tmp_path / "fehlt")}
        )


def test_production_takes_every_key_from_the_secrets_folder(tmp_path):
    secrets = _secrets(tmp_path / "secrets", SECRET_KEY=SECRET, **PRODUCTION_KEYS)
    instance = tmp_path / "instance"
    config = load_config(
        PRODUCTION | {"PORTAL_INSTANCE": str(instance), "PORTAL_SECRETS_DIR": str(secrets)}
    )
    assert config["SECRET_KEY"] == SECRET
    assert config["PASS_KEY_ENCRYPTION_KEY"] == PRODUCTION_KEYS["PASS_KEY_ENCRYPTION_KEY"]
    assert config["VAPID_PRIVATE_KEY"] == PRODUCTION_KEYS["VAPID_PRIVATE_KEY"]
    # Production writes no key of its own into a node's folder.
    assert sorted(p.name for p in instance.iterdir()) == []


def test_production_refuses_keys_only_a_node_would_have(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_config(PRODUCTION | {"PORTAL_INSTANCE": str(tmp_path), "SECRET_KEY": SECRET})
    message = str(refused.value)
    assert "VAPID_PRIVATE_KEY is not set" in message
    assert "PASS_KEY_ENCRYPTION_KEY is not set" in message
    assert list(tmp_path.iterdir()) == []


def test_development_generates_the_key_encryption_key_once(tmp_path):
    first = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    second = load_config({"PORTAL_INSTANCE": str(tmp_path)})
    assert len(first["PASS_KEY_ENCRYPTION_KEY"]) >= 40
    assert first["PASS_KEY_ENCRYPTION_KEY"] == second["PASS_KEY_ENCRYPTION_KEY"]
    assert (tmp_path / "pass_key_encryption_key").stat().st_mode & 0o777 == 0o600
