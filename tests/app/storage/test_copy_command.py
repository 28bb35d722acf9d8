"""``flask storage copy``: moving an installation's files to another backend, and
``flask storage check``."""

from __future__ import annotations

from app import storage
from app.storage.database import DatabaseStorage
from tests.app.storage.test_contract import MB, Pattern, expected


def test_copy_from_the_instance_folder_to_s3_and_to_the_database(app, other_app, tmp_path, request):
    s3 = request.getfixturevalue("s3")
    bucket = s3.new_bucket()
    env = {
        "PORTAL_ENV": "test",
        "PORTAL_INSTANCE": str(tmp_path / "instance"),
        "DATABASE_URL": app.config["DATABASE_URL"],
        "PORTAL_BASE_URL": app.config["BASE_URL"],
        "PORTAL_STORAGE": "local",
        **{k: v for k, v in s3.env(bucket).items() if k != "PORTAL_STORAGE"},
    }
    node = other_app(env)
    local = storage.for_config(node.config)
    local.put("attachments/scan", b"%PDF-scan")
    local.put("documents/bescheid", Pattern(6 * MB))  # a multipart upload on S3
    local.put("treasury/pain008-1.xml", b"<Document/>")
    runner = node.test_cli_runner()

    copied = runner.invoke(args=["storage", "copy", "--to", "s3", "--verbose"])
    assert copied.exit_code == 0, copied.output
    assert "Copied 3 files to s3; 0 were there already." in copied.output
    in_s3 = storage.for_config(dict(node.config, PORTAL_STORAGE="s3"))
    assert list(in_s3.keys("")) == [
        "attachments/scan",
        "documents/bescheid",
        "treasury/pain008-1.xml",
    ]
    assert in_s3.read("documents/bescheid") == expected(6 * MB)
    # The database, keys and mail of the instance folder are no stored files.
    assert not any("sqlite" in key or "secret" in key for key in in_s3.keys(""))

    again = runner.invoke(args=["storage", "copy", "--to", "s3"])
    assert "Copied 0 files to s3; 3 were there already." in again.output

    to_database = runner.invoke(args=["storage", "copy", "--from", "s3", "--to", "postgres"])
    assert to_database.exit_code == 0, to_database.output
    assert DatabaseStorage().read("attachments/scan") == b"%PDF-scan"
    assert DatabaseStorage().size("documents/bescheid") == 6 * MB

    assert runner.invoke(args=["storage", "check"]).output == "local: ok\n"


def test_copy_refuses_an_unknown_or_unusable_target(app, other_app, tmp_path):
    node = other_app(
        {
            "PORTAL_ENV": "test",
            "PORTAL_INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": app.config["DATABASE_URL"],
        }
    )
    runner = node.test_cli_runner()
    unknown = runner.invoke(args=["storage", "copy", "--to", "ftp"])
    assert unknown.exit_code != 0 and "unknown storage 'ftp'" in unknown.output
    no_bucket = runner.invoke(args=["storage", "copy", "--to", "s3"])
    assert no_bucket.exit_code != 0 and "PORTAL_S3_BUCKET is not set" in no_bucket.output
